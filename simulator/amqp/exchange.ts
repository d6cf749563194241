/**
 * Exchanges. Only the default exchange routes for now: it is a direct exchange with no name to which every queue
 * is bound with its own name as the binding key, so a message published to '' with routing key K goes to queue K
 * or, if there is none, is unroutable and dropped (https://www.rabbitmq.com/docs/exchanges#default-exchange;
 * AMQP 0-9-1 spec §3.1.3.1). The pre-declared `amq.*` exchanges exist but have no bindings yet.
 */
export const DEFAULT_EXCHANGE = '';

/** Exchanges every RabbitMQ vhost has (https://www.rabbitmq.com/docs/exchanges#pre-declared-exchanges). */
export const PREDECLARED_EXCHANGES: ReadonlySet<string> = new Set([
  '', 'amq.direct', 'amq.fanout', 'amq.topic', 'amq.headers', 'amq.match',
]);
