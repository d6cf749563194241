/**
 * Lesson 15's simulation: a price feed publishes faster than one pricer handles, so the queue `prices` grows. The
 * knobs are the queue's arguments: a message TTL, a length limit with its overflow mode, and a dead-letter
 * exchange that catches what expires or is thrown out (drawn as the dead-letter edge to `prices.dlx` and the queue
 * `prices.dead`).
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/amqp/scenarios/ttl-limits-scenario.ts')).ttlLimitsScenario,
  knobs: {
    messageTtlMs: { max: 10_000 },
    maxLength: { max: 20 },
    overflow: {},
    deadLetter: {},
    producerRatePerSec: { max: 10 },
    processingMs: { max: 2000 },
  },
  fixed: { messageCount: 40 },
  counters: ['published', 'acked', 'deadLettered', 'dropped'],
  charts: [
    { title: 'Ready messages per queue', series: ['depth:prices', 'depth:prices.dead'],
      description: 'Updates waiting in prices, and updates collected in prices.dead. A TTL or a length limit '
        + 'caps the first line; what it removes moves to the second when dead-lettering is on.' },
  ],
  seed: 1,
  latencyMs: 100,
  note: 'Changing a knob re-runs the simulation from t = 0 with the same seed. The feed publishes 40 updates from '
    + '1 s on, with publisher confirms; the pricer takes one at a time (prefetch 1). Network latency is 100 ms each '
    + 'way, exaggerated so you can watch messages travel.',
  ariaLabel: 'Expiry and limits: the price feed publishes to the queue prices, the pricer consumes from it; expired '
    + 'and dropped updates are dead-lettered through the exchange prices.dlx to the queue prices.dead',
});
