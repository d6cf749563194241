/**
 * Lesson 9's simulation: a publisher of sign-up events, the fanout exchange `user-events`, and up to four
 * subscribers. With a queue per subscriber every queue gets a copy of every event; with one shared queue the
 * subscribers compete and each event reaches one of them. A late last subscriber shows that a queue gets only the
 * events published after it was bound; no subscriber at all shows the exchange dropping every event.
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/amqp/scenarios/publish-subscribe-scenario.ts')).publishSubscribeScenario,
  knobs: {
    subscriberCount: {},
    queues: {},
    lastSubscriberAtMs: { max: 10_000 },
    messageCount: { max: 40 },
    producerRatePerSec: { max: 10 },
    processingMs: { max: 2000 },
  },
  counters: ['published', 'delivered', 'acked', 'dropped'],
  charts: [
    { title: 'Published and delivered per second', series: ['rate:published', 'rate:delivered'],
      description: 'With a queue per subscriber, each event is delivered once per subscriber: the delivered line runs '
        + 'at the published rate times the number of bound queues. With one shared queue the two lines meet.' },
  ],
  seed: 1,
  latencyMs: 100,
  note: 'Changing a knob re-runs the simulation from t = 0 with the same seed. The subscribers that start at 0 are '
    + 'bound before the first event (at 1 s). Each subscriber\'s own queue gets a name from the broker (amq.gen-…). '
    + 'Network latency is 100 ms each way, exaggerated so you can watch messages travel.',
  ariaLabel: 'Publish/subscribe: the sign-ups publisher, the fanout exchange user-events, one queue per subscriber, and the subscribers',
});
