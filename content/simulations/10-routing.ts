/**
 * Lesson 10's simulation: an app publishes nine log messages with routing keys `<severity>.<service>` to the
 * exchange `logs`; the queues alerts, billing-team and archive are bound with the binding keys the knobs pick. With
 * a topic exchange the keys are patterns (`*` one word, `#` any number); with a direct exchange they must equal the
 * routing key.
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/amqp/scenarios/routing-scenario.ts')).routingScenario,
  knobs: {
    exchangeType: {},
    alertsKey: {},
    billingKey: {},
    archiveKey: {},
    processingMs: { max: 1000 },
  },
  counters: ['published', 'delivered', 'dropped'],
  seed: 1,
  latencyMs: 100,
  note: 'Changing a knob re-runs the simulation from t = 0 with the same seed. The app publishes info.auth, '
    + 'warn.billing, error.web, info.billing, error.auth, warn.web, info.web, warn.auth and error.billing, one every '
    + '500 ms from 1 s on. Each edge from the exchange to a queue shows that queue\'s binding key. Network latency is '
    + '100 ms each way, exaggerated so you can watch messages travel.',
  ariaLabel: 'Routing: the app, the exchange logs, and the queues alerts, billing-team and archive with their binding keys and consumers',
});
