/**
 * Lesson 14's simulation: poison messages. A shop publishes orders; every few orders one is malformed and fails each
 * time a worker handles it. The knob `onFailure` chooses what the worker does with a failure: requeue it (the
 * worker gets it straight back, for ever, and the orders behind it wait), reject it without requeue (dropped, or
 * dead-lettered to `orders.dead`), or retry it after a delay through `orders.retry` and park it after a few attempts.
 * The diagram draws the dead-letter paths from a queue to its dead-letter exchange.
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/amqp/scenarios/dead-letter-scenario.ts')).deadLetterScenario,
  knobs: {
    onFailure: {},
    poisonEvery: { min: 0, max: 12 },
    consumerCount: { min: 1, max: 3 },
    retryDelayMs: { min: 500, max: 5000 },
    maxAttempts: { min: 1, max: 5 },
  },
  fixed: { messageCount: 12, producerRatePerSec: 4, processingMs: 300 },
  counters: ['published', 'acked', 'nacked', 'redelivered', 'deadLettered'],
  charts: [
    { title: 'Orders in each queue', series: ['depth:orders', 'depth:orders.dead', 'depth:orders.retry',
      'depth:orders.parked'],
    description: 'Orders waiting in the work queue, and in the dead-letter, retry and parking queues when the '
      + 'chosen handling uses them.' },
    { title: 'Redeliveries', series: ['redelivered'],
      description: 'Deliveries of an order that was delivered before and not acknowledged: a requeued order each time.' },
  ],
  seed: 1,
  latencyMs: 100,
  untilMs: 60_000,
  note: 'Changing a knob re-runs the simulation from t = 0 (it stops at 60 s). Each worker takes one order at a time '
    + '(prefetch 1) and spends 300 ms on it before it acknowledges it or fails. Network latency is 100 ms each way, '
    + 'exaggerated so you can watch messages travel.',
  ariaLabel: 'Dead-lettering: the shop publishes orders to the orders queue; workers acknowledge the good ones, and '
    + 'failed ones are requeued, dropped, dead-lettered or retried as the knobs say',
});
