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
  if (connection === undefined) {
    engine.schedule(latencyMs, action);
    return;
  }
  const atMs = engine.nowMs + latencyMs;
  if (connection.outbox !== null && connection.outboxAtMs === atMs) {
    connection.outbox.push(action);
    return;
  }
  const outbox = [action];
  connection.outbox = outbox;
  connection.outboxAtMs = atMs;
  engine.schedule(latencyMs, () => {
    if (connection.outbox === outbox) connection.outbox = null;
    for (const frame of outbox) frame();
  });
}
