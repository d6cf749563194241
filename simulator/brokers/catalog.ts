/**
 * The catalog of brokers: each broker of the course, the client modules a program can require for it, and which
 * trace kinds it writes — names only, no code, so the page, the runner and the worker entries can ask "which
 * broker is this?" without loading any broker. `registry.ts` adds how to load each simulated broker's plugin.
 * Adding a broker = a folder `simulator/brokers/<id>/`, its entry here and its loaders in `registry.ts`.
 */

/** One broker of the course. */
export interface BrokerInfo {
  id: string;
  /** Its name for learners: "RabbitMQ". */
  label: string;
  /** Client modules a program can require for it (the real packages' names). */
  modules: readonly string[];
  /** Whether the simulator models it (its plugin is in `registry.ts`). */
  simulated: boolean;
  /** Whether a trace entry of this `kind` was written by this broker (core kinds belong to no broker). */
  ownsKind(kind: string): boolean;
}

/** Trace kinds the AMQP model writes (simulator/trace.ts). */
const AMQP_KINDS = new Set([
  'connection-opened', 'connection-closed', 'channel-opened', 'channel-closed', 'exchange-declared',
  'exchange-deleted', 'queue-bound', 'queue-unbound', 'exchange-bound', 'exchange-unbound', 'queue-declared',
  'queue-deleted', 'queue-purged', 'consumer-added', 'consumer-cancelled', 'consumer-crashed', 'published', 'routed',
  'enqueued', 'dropped', 'delivered', 'acked', 'nacked', 'requeued', 'dead-lettered', 'message-properties',
  'broker-stopped', 'broker-started', 'network-slowed',
]);

export const BROKER_CATALOG: readonly BrokerInfo[] = [
  {
    id: 'amqp', label: 'RabbitMQ', simulated: true, ownsKind: (kind) => AMQP_KINDS.has(kind),
    // The callback API also under its .js name: what an ES module has to import (amqplib has no exports map).
    modules: ['amqplib', 'amqplib/callback_api', 'amqplib/callback_api.js'],
  },
  { id: 'kafka', label: 'Apache Kafka', modules: ['kafkajs'], simulated: true, ownsKind: (kind) => kind.startsWith('kafka-') },
  { id: 'redis', label: 'Redis job queues', modules: ['bull', 'bullmq', 'ioredis', 'redis'], simulated: false,
    ownsKind: (kind) => kind.startsWith('redis-') },
  { id: 'sqs', label: 'Amazon SQS', modules: ['@aws-sdk/client-sqs', 'aws-sdk'], simulated: false,
    ownsKind: (kind) => kind.startsWith('sqs-') },
  { id: 'pubsub', label: 'Google Cloud Pub/Sub', modules: ['@google-cloud/pubsub'], simulated: false,
    ownsKind: (kind) => kind.startsWith('pubsub-') },
  { id: 'activemq', label: 'ActiveMQ', modules: ['@stomp/stompjs', 'stompit'], simulated: false,
    ownsKind: (kind) => kind.startsWith('activemq-') },
];

/** The broker that provides module `name` (simulated or not), or undefined for a module no broker provides. */
export function brokerOfModule(name: string): BrokerInfo | undefined {
  return BROKER_CATALOG.find((broker) => broker.modules.includes(name));
}

/** The broker that wrote a trace entry of `kind`, or undefined for a core kind (console, program-error, …). */
export function brokerOfKind(kind: string): BrokerInfo | undefined {
  return BROKER_CATALOG.find((broker) => broker.ownsKind(kind));
}

/** Module names a program can require today (of simulated brokers), in catalog order. */
export function simulatedModules(): string[] {
  return BROKER_CATALOG.filter((broker) => broker.simulated).flatMap((broker) => [...broker.modules]);
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

/** Module specifiers a source names literally in require / import / import() (comments are not told apart). */
export function modulesNamedIn(source: string): string[] {
  const names = new Set<string>();
  const patterns = [
    /\brequire\s*\(\s*(['"`])([^'"`\s]+)\1\s*\)/g,
    /\bimport\s*\(\s*(['"`])([^'"`\s]+)\1\s*\)/g,
    /\bfrom\s*(['"])([^'"\s]+)\1/g,
    /\bimport\s*(['"])([^'"\s]+)\1/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) names.add(match[2]);
  return [...names];
}

/** The simulated brokers the sources name (by the modules they require), in catalog order. */
export function brokersNamedIn(sources: readonly string[]): BrokerInfo[] {
  const named = new Set(sources.flatMap(modulesNamedIn));
  return BROKER_CATALOG.filter((broker) => broker.simulated && broker.modules.some((m) => named.has(m)));
}
