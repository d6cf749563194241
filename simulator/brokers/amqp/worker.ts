/** The code runner's worker for programs that use RabbitMQ (amqplib): the runner with this broker only. */
import { startRunWorker } from '../../runner/worker-host.ts';
import { amqpRuntimePlugin } from './runtime.ts';

startRunWorker([amqpRuntimePlugin]);
