/**
 * The broker registry: which module names a program may `require`, which broker plugin provides each, and how to
 * load a plugin's halves (see `plugin.ts`) on first use. Adding a broker = a folder `simulator/brokers/<id>/` and one
 * entry below; nothing in the runner, the views or the site names a broker.
 *
 * A module of a broker that is not simulated yet is known by name, so a program that requires it gets a clear
 * error instead of "Cannot find module": "kafkajs is not simulated yet; simulated: amqplib, …".
 */
import type { BrokerRuntimePlugin, BrokerViewPlugin } from './plugin.ts';

/** One broker of the course. */
export interface BrokerEntry {
  id: string;
  /** Its name for learners: "RabbitMQ". */
  label: string;
  /** Client modules a program can require for it (the real packages' names). */
  modules: readonly string[];
  /** Whether a trace entry of this `kind` was written by this broker (core kinds belong to no broker). */
  ownsKind(kind: string): boolean;
  /** Loads the runtime half; absent while the broker is not simulated yet. */
  loadRuntime?: () => Promise<BrokerRuntimePlugin>;
  /** Loads the view half; absent while the broker is not simulated yet. */
  loadView?: () => Promise<BrokerViewPlugin>;
}

/** Trace kinds the AMQP model writes (simulator/brokers/amqp/trace.ts). */
const AMQP_KINDS = new Set([
  'connection-opened', 'connection-closed', 'channel-opened', 'channel-closed', 'exchange-declared',
  'exchange-deleted', 'queue-bound', 'queue-unbound', 'exchange-bound', 'exchange-unbound', 'queue-declared',
  'queue-deleted', 'queue-purged', 'consumer-added', 'consumer-cancelled', 'consumer-crashed', 'published', 'routed',
  'enqueued', 'dropped', 'delivered', 'acked', 'nacked', 'requeued', 'dead-lettered', 'message-properties',
  'broker-stopped', 'broker-started',
]);

export const BROKERS: readonly BrokerEntry[] = [
  {
    id: 'amqp',
    label: 'RabbitMQ',
    modules: ['amqplib'],
    ownsKind: (kind) => AMQP_KINDS.has(kind),
    loadRuntime: async () => (await import('./amqp/runtime.ts')).amqpRuntimePlugin,
  },
  {
    id: 'kafka',
    label: 'Apache Kafka',
    modules: ['kafkajs'],
    ownsKind: (kind) => kind.startsWith('kafka-'),
    loadRuntime: async () => (await import('./kafka/runtime.ts')).kafkaRuntimePlugin,
    loadView: async () => (await import('./kafka/view.ts')).kafkaViewPlugin,
  },
  { id: 'redis', label: 'Redis job queues', modules: ['bull', 'bullmq', 'ioredis', 'redis'], ownsKind: (kind) => kind.startsWith('redis-') },
  { id: 'sqs', label: 'Amazon SQS', modules: ['@aws-sdk/client-sqs', 'aws-sdk'], ownsKind: (kind) => kind.startsWith('sqs-') },
  { id: 'pubsub', label: 'Google Cloud Pub/Sub', modules: ['@google-cloud/pubsub'], ownsKind: (kind) => kind.startsWith('pubsub-') },
  { id: 'activemq', label: 'ActiveMQ', modules: ['@stomp/stompjs', 'stompit'], ownsKind: (kind) => kind.startsWith('activemq-') },
];

/** The broker that provides module `name` (simulated or not), or undefined for a module no broker provides. */
export function brokerOfModule(name: string): BrokerEntry | undefined {
  return BROKERS.find((broker) => broker.modules.includes(name));
}

/** The broker that wrote a trace entry of `kind`, or undefined for a core kind (console, program-error, …). */
export function brokerOfKind(kind: string): BrokerEntry | undefined {
  return BROKERS.find((broker) => broker.ownsKind(kind));
}

/** Module names a program can require today (of simulated brokers), in registry order. */
export function simulatedModules(): string[] {
  return BROKERS.filter((broker) => broker.loadRuntime !== undefined).flatMap((broker) => [...broker.modules]);
}

/**
 * The error `require(name)` throws for a module of a broker that is not simulated yet: Node's MODULE_NOT_FOUND code,
 * with a message that says what is simulated instead.
 */
export function notSimulatedError(name: string): Error {
  const broker = brokerOfModule(name);
  const what = broker === undefined ? `'${name}' is not a module the simulator provides`
    : `${name} (${broker.label}) is not simulated yet`;
  const error = new Error(`${what}; simulated: ${simulatedModules().join(', ')}`) as Error & { code: string };
  error.code = 'MODULE_NOT_FOUND';
  return error;
}
