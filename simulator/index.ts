/**
 * Public API of the simulator (pure TypeScript, no DOM, no wall clock): the engine, the trace contract, the
 * AMQP 0-9-1 broker model, the amqplib facade and the lesson scenarios.
 */
export { Engine, type EngineOptions, type TimerId } from './core/engine.ts';
export { Prng } from './core/prng.ts';
export { DEFAULT_LIMITS, SimulationLimitError, type SimulationLimits } from './core/limits.ts';
export type * from './trace.ts';
export {
  AmqpBroker, type AmqpBrokerOptions, type ConsumeOptions, type PublishFlags, type QueueInfo, type QueueStats, type Reply,
} from './brokers/amqp/model/broker.ts';
export type { ChannelListener, Delivery, ReturnedMessage } from './brokers/amqp/model/channel.ts';
export type { ConnectionListener } from './brokers/amqp/model/connection.ts';
export type { QueueProperties } from './brokers/amqp/model/queue.ts';
export { AmqpServerError, METHODS, REPLY_NAMES, type AmqpMethodRef } from './brokers/amqp/model/errors.ts';
export {
  runWorkQueue, WORK_QUEUE_NAME, WORK_QUEUE_UNTIL_MS_MAX, WORK_QUEUE_DEFAULTS, WORK_QUEUE_KNOB_RANGES,
  WORK_QUEUE_CRASHES_MAX, validateWorkQueueKnobs, type WorkQueueKnobs, type WorkQueueCrash, type KnobRange,
  type WorkQueueRun, type WorkQueueRunOptions,
} from './brokers/amqp/scenarios/work-queue.ts';
export {
  createAmqplib, crashConnection, ChannelModel, Channel, ConfirmChannel, IllegalOperationError, type AmqplibModule,
  type SocketOptions,
  type Message, type MessageFields,
} from './brokers/amqp/amqplib/index.ts';
