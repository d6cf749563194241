import type { Engine } from '../../../core/engine.ts';
import type { BrokerConnection, OutboxBatch } from './connection.ts';

/**
 * Sends a frame from the broker to a client: `action` runs `latencyMs` later. Frames sent to one connection at the
 * same instant arrive together in ONE engine event (like frames in one TCP segment), so a client handles e.g.
 * consume-ok and the first deliveries without draining microtasks in between — which is what amqplib does with
 * real RabbitMQ (deliveries are logged before the code after `await ch.consume(...)` runs; recorded in
 * test/unit/amqp/fixtures/tour-program.rabbitmq-3.10.txt). Without a connection the frame travels alone.
 */
export function sendToClient(engine: Engine, latencyMs: number, connection: BrokerConnection | undefined,
  action: () => void): void {
  sendCallToClient(engine, latencyMs, connection, callAction, action, undefined);
}

/**
 * `sendToClient` for hot paths without a closure per frame: on arrival runs `fn.call(thisArg, arg)` (e.g. a
 * shared function, the channel's listener and a delivery).
 */
export function sendCallToClient<T, A>(engine: Engine, latencyMs: number, connection: BrokerConnection | undefined,
  fn: (this: T, arg: A) => void, thisArg: T, arg: A): void {
  if (connection === undefined) {
    engine.scheduleCall(latencyMs, (a: A) => fn.call(thisArg, a), arg);
    return;
  }
  const atMs = engine.nowMs + latencyMs;
  let batch = connection.outbox;
  if (batch === null || connection.outboxAtMs !== atMs) {
    const spare = spareBatches.pop();
    if (spare === undefined) batch = { connection, items: [], count: 0 };
    else {
      batch = spare;
      batch.connection = connection;
    }
    connection.outbox = batch;
    connection.outboxAtMs = atMs;
    engine.scheduleCall(latencyMs, flushOutbox, batch);
  }
  const items = batch.items;
  const n = batch.count;
  if (n < items.length) {
    items[n] = fn;
    items[n + 1] = thisArg;
    items[n + 2] = arg;
  } else {
    items.push(fn, thisArg, arg);
  }
  batch.count = n + 3;
}

function callAction(this: () => void): void {
  this();
}

/**
 * Flushed batches, reused by `sendCallToClient` (a batch per connection per instant is one of the most frequent
 * allocations of a large run). At most `SPARE_BATCHES_MAX`; a spare batch holds no frames (its slots are cleared),
 * so no state crosses from one run to another.
 */
const spareBatches: OutboxBatch[] = [];
const SPARE_BATCHES_MAX = 256;

function flushOutbox(batch: OutboxBatch): void {
  const connection = batch.connection as BrokerConnection;
  if (connection.outbox === batch) connection.outbox = null;
  // The batch left `connection.outbox` before its frames run, so nothing adds to it while they do.
  const items = batch.items;
  const n = batch.count;
  for (let i = 0; i < n; i += 3) {
    (items[i] as (this: unknown, arg: unknown) => void).call(items[i + 1], items[i + 2]);
  }
  for (let i = 0; i < n; i++) items[i] = undefined;
  batch.count = 0;
  batch.connection = null;
  if (spareBatches.length < SPARE_BATCHES_MAX) spareBatches.push(batch);
}
