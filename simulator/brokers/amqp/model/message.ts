/**
 * A message as the broker holds it: plain data. `content` is opaque to the broker (the amqplib facade stores a
 * Buffer, the work-queue scenario a string); `preview` is the short printable text recorded in the trace.
 */
export interface BrokerMessage {
  /** N of the message's trace id `mN`, unique within a run (1, 2, …); the trace stores the number. */
  num: number;
  exchange: string;
  routingKey: string;
  content: unknown;
  /** Basic properties (contentType, headers, deliveryMode, messageId, …) as the client sent them. */
  properties: Record<string, unknown>;
  /** Printable body preview, ≤ 40 chars. */
  preview: string;
  /**
   * True once the message has been delivered and returned to its queue (nack/reject with requeue, channel or
   * connection closed with it unacknowledged). Source: AMQP 0-9-1 basic.deliver `redelivered`;
   * https://www.rabbitmq.com/docs/consumers#message-redelivery
   */
  redelivered: boolean;
  /**
   * Its `CC` then `BCC` routing keys from the publish (sender-selected.ts), or undefined when it had none. Kept here
   * because `BCC` is no longer in `properties`, yet a dead-lettered copy without `x-dead-letter-routing-key` is
   * routed with all of them (RabbitMQ 3.10).
   */
  ccKeys?: readonly string[];
  /** Position in its queue (enqueue order); a requeued message goes back to this position. */
  seq: number;
  /**
   * Quorum queues only: how many times it came back to the queue after a delivery (nack / reject with requeue,
   * basic.recover, its channel closing), what consumers see as the `x-delivery-count` header. Absent until the
   * first return (and always in classic queues).
   */
  deliveryCount?: number;
  /**
   * Simulated time at which it expires in this queue (the earlier of enqueue time + the queue's `x-message-ttl` and
   * + its `expiration`), or Infinity. Set when it enters the queue and kept when it is requeued.
   */
  expiresAtMs: number;
}
