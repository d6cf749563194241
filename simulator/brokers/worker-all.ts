/**
 * The code runner's worker with every simulated broker: for programs that use several brokers at once, and for
 * the dev server. Part of the registry: a new broker adds its runtime plugin here.
 */
import { startRunWorker } from '../runner/worker-host.ts';
import { amqpRuntimePlugin } from './amqp/runtime.ts';
import { kafkaRuntimePlugin } from './kafka/runtime.ts';

startRunWorker([amqpRuntimePlugin, kafkaRuntimePlugin]);
