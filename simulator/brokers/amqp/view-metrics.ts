/**
 * The AMQP view's metrics over simulated time, folded from a trace in one pass (for the lesson's charts, each also
 * readable as a table):
 * - `depth` (all queues) and `depth:<queue>`: ready messages, as RabbitMQ's "Ready" count
 *   (https://www.rabbitmq.com/docs/monitoring#queue-metrics);
 * - `unacked`: deliveries to manual-ack consumers not yet acknowledged ("Unacked");
 * - `rate:published`, `rate:delivered`, `rate:acked`: messages per second;
 * - `latency:p50`, `latency:p95`: end-to-end latency of the messages acknowledged in each bucket, from the publish
 *   to the first ack the broker processed (for automatic acks, to the delivery's arrival);
 * - `redelivered`, `lost`, `errors`: running totals (deliveries flagged redelivered; messages gone without being
 *   processed, as the fold counts them, a broker restart's losses included: `restart-losses.ts`; program errors).
 * Units: ms for times, messages for levels, msg/s for rates.
 */
import type { TraceReader } from '../../trace.ts';
import type { Series } from '../../view/model.ts';
import { bucketMsFor, LatencyRecorder, LevelRecorder, RateRecorder } from '../../view/series.ts';
import { restartLosses } from './restart-losses.ts';

/** Every series of a run of `endedAtMs`, by id. */
export function amqpSeries(trace: TraceReader, endedAtMs: number): Map<string, Series> {
  const endMs = Math.max(endedAtMs, trace.at(-1)?.t ?? 0, 1);
  const bucketMs = bucketMsFor(endMs);
  const depth = new LevelRecorder();
  const perQueue = new Map<string, { level: LevelRecorder; count: number }>();
  const unacked = new LevelRecorder();
  const redelivered = new LevelRecorder();
  const lost = new LevelRecorder();
  const errors = new LevelRecorder();
  const published = new RateRecorder(bucketMs);
  const delivered = new RateRecorder(bucketMs);
  const acked = new RateRecorder(bucketMs);
  const latency = new LatencyRecorder(bucketMs);
  const publishedAt = new Map<string, number>();
  const noAckTags = new Set<string>();
  /** msgId → open (unsettled) manual-ack deliveries of it. */
  const open = new Map<string, number>();
  let total = 0;
  const stopLosses = restartLosses(trace);

  const queue = (name: string) => {
    let q = perQueue.get(name);
    if (q === undefined) perQueue.set(name, (q = { level: new LevelRecorder(), count: 0 }));
    return q;
  };
  const setQueue = (t: number, name: string, count: number) => {
    const q = queue(name);
    total += count - q.count;
    q.count = count;
    q.level.set(t, count);
    depth.set(t, total);
  };
  const settle = (t: number, msgId: string) => {
    const n = open.get(msgId) ?? 0;
    if (n === 0) return;
    if (n === 1) open.delete(msgId);
    else open.set(msgId, n - 1);
    unacked.add(t, -1);
  };

  for (const e of trace) {
    switch (e.kind) {
      case 'consumer-added':
        if (e.noAck) noAckTags.add(e.consumerTag);
        break;
      case 'published':
        published.count(e.t);
        if (!publishedAt.has(e.msgId)) publishedAt.set(e.msgId, e.t);
        if (stopLosses.publishedWhileDown.has(e.msgId)) lost.add(e.t, 1);
        break;
      case 'enqueued':
      case 'requeued':
        if (e.kind === 'requeued') settle(e.t, e.msgId);
        setQueue(e.t, e.queue, e.depth);
        break;
      case 'delivered': {
        delivered.count(e.t);
        setQueue(e.t, e.queue, Math.max(0, queue(e.queue).count - 1));
        if (e.redelivered) redelivered.add(e.t, 1);
        if (e.consumerTag !== null && noAckTags.has(e.consumerTag)) {
          const from = publishedAt.get(e.msgId);
          if (from !== undefined) latency.add(e.arriveAtMs, e.arriveAtMs - from);
        } else {
          open.set(e.msgId, (open.get(e.msgId) ?? 0) + 1);
          unacked.add(e.t, 1);
        }
        break;
      }
      case 'acked': {
        acked.count(e.t);
        settle(e.t, e.msgId);
        const from = publishedAt.get(e.msgId);
        if (from !== undefined) {
          latency.add(e.t, e.t - from);
          publishedAt.delete(e.msgId);
        }
        break;
      }
      case 'nacked':
        settle(e.t, e.msgId);
        break;
      case 'dropped':
        if (e.reason === 'acked-on-delivery') settle(e.t, e.msgId);
        else if (e.reason !== 'returned') lost.add(e.t, 1);
        if (e.queue !== undefined) setQueue(e.t, e.queue, Math.max(0, queue(e.queue).count - 1));
        break;
      case 'dead-lettered':
        if (e.reason !== 'rejected') setQueue(e.t, e.queue, Math.max(0, queue(e.queue).count - 1));
        break;
      case 'queue-purged':
      case 'queue-deleted':
        setQueue(e.t, e.queue, 0);
        break;
      case 'consumer-crashed':
        if (e.lostMsgIds !== undefined) lost.add(e.t, e.lostMsgIds.length);
        break;
      case 'broker-stopped': {
        const n = stopLosses.atStop.get(e.t);
        if (n !== undefined) lost.add(e.t, n);
        break;
      }
      case 'program-error':
        errors.add(e.t, 1);
        break;
      default:
        break;
    }
  }

  const series: Series[] = [
    depth.series('depth', 'Ready messages (all queues)', 'messages', endMs),
    ...[...perQueue].map(([name, q]) => q.level.series(`depth:${name}`, `Ready in ${name}`, 'messages', endMs)),
    unacked.series('unacked', 'Unacked deliveries', 'messages', endMs),
    published.series('rate:published', 'Published', endMs),
    delivered.series('rate:delivered', 'Delivered', endMs),
    acked.series('rate:acked', 'Acknowledged', endMs),
    latency.series('latency:p50', 'Latency p50 (publish → ack)', 50),
    latency.series('latency:p95', 'Latency p95 (publish → ack)', 95),
    redelivered.series('redelivered', 'Redeliveries (total)', 'messages', endMs),
    lost.series('lost', 'Lost messages (total)', 'messages', endMs),
    errors.series('errors', 'Program errors (total)', 'errors', endMs),
  ];
  return new Map(series.map((s) => [s.id, s]));
}
