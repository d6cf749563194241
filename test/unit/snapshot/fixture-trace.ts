import type { TraceEvent } from '../../../simulator/trace.ts';

/**
 * A hand-written work-queue run (network latency 10 ms each way): one producer, queue "tasks", two workers with
 * prefetch 1 and manual acks, 500 ms of work per message. Worker 2 crashes at 700 ms holding m2, which the broker
 * requeues to the head and redelivers to worker 1.
 */
export const WORK_QUEUE_FIXTURE: TraceEvent[] = [
  { t: 0, kind: 'connection-opened', connection: 'c1', label: 'producer' },
  { t: 0, kind: 'channel-opened', channel: 'c1.ch1', connection: 'c1' },
  { t: 0, kind: 'connection-opened', connection: 'c2', label: 'worker 1' },
  { t: 0, kind: 'channel-opened', channel: 'c2.ch1', connection: 'c2' },
  { t: 0, kind: 'connection-opened', connection: 'c3', label: 'worker 2' },
  { t: 0, kind: 'channel-opened', channel: 'c3.ch1', connection: 'c3' },
  { t: 0, kind: 'queue-declared', queue: 'tasks', durable: true, exclusive: false, autoDelete: false },
  { t: 0, kind: 'consumer-added', queue: 'tasks', consumerTag: 'ctag1', channel: 'c2.ch1', noAck: false, prefetch: 1 },
  { t: 0, kind: 'consumer-added', queue: 'tasks', consumerTag: 'ctag2', channel: 'c3.ch1', noAck: false, prefetch: 1 },
  { t: 100, kind: 'published', msgId: 'm1', channel: 'c1.ch1', exchange: '', routingKey: 'tasks', preview: 'job 1', arriveAtMs: 110 },
  { t: 110, kind: 'routed', msgId: 'm1', exchange: '', queues: ['tasks'] },
  { t: 110, kind: 'enqueued', msgId: 'm1', queue: 'tasks', depth: 1 },
  { t: 110, kind: 'delivered', msgId: 'm1', queue: 'tasks', channel: 'c2.ch1', consumerTag: 'ctag1', deliveryTag: 1, redelivered: false, arriveAtMs: 120 },
  { t: 200, kind: 'published', msgId: 'm2', channel: 'c1.ch1', exchange: '', routingKey: 'tasks', preview: 'job 2', arriveAtMs: 210 },
  { t: 210, kind: 'routed', msgId: 'm2', exchange: '', queues: ['tasks'] },
  { t: 210, kind: 'enqueued', msgId: 'm2', queue: 'tasks', depth: 1 },
  { t: 210, kind: 'delivered', msgId: 'm2', queue: 'tasks', channel: 'c3.ch1', consumerTag: 'ctag2', deliveryTag: 1, redelivered: false, arriveAtMs: 220 },
  { t: 300, kind: 'published', msgId: 'm3', channel: 'c1.ch1', exchange: '', routingKey: 'tasks', preview: 'job 3', arriveAtMs: 310 },
  { t: 310, kind: 'routed', msgId: 'm3', exchange: '', queues: ['tasks'] },
  { t: 310, kind: 'enqueued', msgId: 'm3', queue: 'tasks', depth: 1 },
  { t: 630, kind: 'acked', msgId: 'm1', queue: 'tasks', channel: 'c2.ch1', deliveryTag: 1, sentAtMs: 620 },
  { t: 630, kind: 'delivered', msgId: 'm3', queue: 'tasks', channel: 'c2.ch1', consumerTag: 'ctag1', deliveryTag: 2, redelivered: false, arriveAtMs: 640 },
  { t: 650, kind: 'published', msgId: 'm4', channel: 'c1.ch1', exchange: '', routingKey: 'tasks', preview: 'job 4', arriveAtMs: 660 },
  { t: 660, kind: 'routed', msgId: 'm4', exchange: '', queues: ['tasks'] },
  { t: 660, kind: 'enqueued', msgId: 'm4', queue: 'tasks', depth: 1 },
  { t: 700, kind: 'consumer-crashed', channel: 'c3.ch1', connection: 'c3' },
  { t: 710, kind: 'connection-closed', connection: 'c3' },
  { t: 710, kind: 'consumer-cancelled', queue: 'tasks', consumerTag: 'ctag2', channel: 'c3.ch1', reason: 'channel-closed' },
  { t: 710, kind: 'requeued', msgId: 'm2', queue: 'tasks', depth: 2 },
  { t: 1150, kind: 'acked', msgId: 'm3', queue: 'tasks', channel: 'c2.ch1', deliveryTag: 2, sentAtMs: 1140 },
  { t: 1150, kind: 'delivered', msgId: 'm2', queue: 'tasks', channel: 'c2.ch1', consumerTag: 'ctag1', deliveryTag: 3, redelivered: true, arriveAtMs: 1160 },
  { t: 1670, kind: 'acked', msgId: 'm2', queue: 'tasks', channel: 'c2.ch1', deliveryTag: 3, sentAtMs: 1660 },
  { t: 1670, kind: 'delivered', msgId: 'm4', queue: 'tasks', channel: 'c2.ch1', consumerTag: 'ctag1', deliveryTag: 4, redelivered: false, arriveAtMs: 1680 },
  { t: 2190, kind: 'acked', msgId: 'm4', queue: 'tasks', channel: 'c2.ch1', deliveryTag: 4, sentAtMs: 2180 },
];

/** Same shape with automatic acknowledgement: the broker forgets each message as it delivers it. */
export const AUTO_ACK_FIXTURE: TraceEvent[] = [
  { t: 0, kind: 'connection-opened', connection: 'c1', label: 'producer' },
  { t: 0, kind: 'channel-opened', channel: 'c1.ch1', connection: 'c1' },
  { t: 0, kind: 'connection-opened', connection: 'c2', label: 'worker 1' },
  { t: 0, kind: 'channel-opened', channel: 'c2.ch1', connection: 'c2' },
  { t: 0, kind: 'queue-declared', queue: 'tasks', durable: false, exclusive: false, autoDelete: false },
  { t: 0, kind: 'consumer-added', queue: 'tasks', consumerTag: 'ctag1', channel: 'c2.ch1', noAck: true, prefetch: 0 },
  { t: 100, kind: 'published', msgId: 'm1', channel: 'c1.ch1', exchange: '', routingKey: 'tasks', preview: 'a', arriveAtMs: 110 },
  { t: 110, kind: 'routed', msgId: 'm1', exchange: '', queues: ['tasks'] },
  { t: 110, kind: 'enqueued', msgId: 'm1', queue: 'tasks', depth: 1 },
  { t: 110, kind: 'delivered', msgId: 'm1', queue: 'tasks', channel: 'c2.ch1', consumerTag: 'ctag1', deliveryTag: 1, redelivered: false, arriveAtMs: 120 },
  { t: 110, kind: 'dropped', msgId: 'm1', reason: 'acked-on-delivery' },
  { t: 200, kind: 'published', msgId: 'm2', channel: 'c1.ch1', exchange: 'nowhere', routingKey: 'x', preview: 'b', arriveAtMs: 210 },
  { t: 210, kind: 'routed', msgId: 'm2', exchange: 'nowhere', queues: [] },
  { t: 210, kind: 'dropped', msgId: 'm2', reason: 'unroutable' },
];
