/**
 * Lesson 11's simulation: a shop asks a price service (one to three servers sharing the queue `price-requests`) for
 * four prices, each request with `replyTo` and its own `correlationId`; the servers answer on `replyTo` with the
 * same id. Request 1 is slow, so with two servers the replies to the later requests overtake it. The reply path is
 * direct reply-to (no queue) or an exclusive server-named queue the shop declared.
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/amqp/scenarios/request-reply-scenario.ts')).requestReplyScenario,
  knobs: {
    replyQueue: {},
    serverCount: {},
    slowRequestMs: { max: 3000 },
    processingMs: { max: 1000 },
    requestCount: { max: 8 },
  },
  counters: ['published', 'delivered', 'acked', 'autoAcked'],
  seed: 1,
  latencyMs: 100,
  note: 'Changing a knob re-runs the simulation from t = 0 with the same seed. The shop sends request r1 at 1 s and '
    + 'one more every 200 ms; each reply carries the correlation id of its request (click a message to see it). '
    + 'Network latency is 100 ms each way, exaggerated so you can watch messages travel.',
  ariaLabel: 'Request-reply: the shop, the default exchange, the request queue price-requests, the pricers, and the reply path back to the shop',
});
