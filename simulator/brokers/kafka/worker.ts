/** The code runner's worker for programs that use Apache Kafka (kafkajs): the runner with this broker only. */
import { startRunWorker } from '../../runner/worker-host.ts';
import { kafkaRuntimePlugin } from './runtime.ts';

startRunWorker([kafkaRuntimePlugin]);
