import type { Engine } from '../core/engine.ts';
import type { BrokerConnection } from './connection.ts';

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
  const pending = connection.outbox;
  if (pending !== null && connection.outboxAtMs === atMs) {
    pending.push(fn, thisArg, arg);
    return;
  }
  // [connection, fn, thisArg, arg, fn, thisArg, arg, …]: one array per batch, flushed by a shared function.
  let outbox = spareOutboxes.pop();
  if (outbox === undefined) outbox = [connection, fn, thisArg, arg];
  else outbox.push(connection, fn, thisArg, arg);
  connection.outbox = outbox;
  connection.outboxAtMs = atMs;
  engine.scheduleCall(latencyMs, flushOutbox, outbox);
}

function callAction(this: () => void): void {
  this();
}

/**
 * Emptied batch arrays, reused by `sendCallToClient` (a batch per connection per instant is one of the most
 * frequent allocations of a large run). At most `SPARE_OUTBOXES_MAX`; only empty arrays are kept, so no state
 * crosses from one run to another.
 */
const spareOutboxes: unknown[][] = [];
const SPARE_OUTBOXES_MAX = 256;

function flushOutbox(outbox: unknown[]): void {
  const connection = outbox[0] as BrokerConnection;
  if (connection.outbox === outbox) connection.outbox = null;
  for (let i = 1; i < outbox.length; i += 3) {
    (outbox[i] as (this: unknown, arg: unknown) => void).call(outbox[i + 1], outbox[i + 2]);
  }
  // The batch left `connection.outbox` before its frames ran, so nothing can add to it now.
  if (spareOutboxes.length < SPARE_OUTBOXES_MAX) {
    outbox.length = 0;
    spareOutboxes.push(outbox);
  }
}
