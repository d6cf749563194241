/**
 * Lesson 2's simulation: a shop publishes order events with a JSON body, the standard properties and two custom
 * headers to the `invoices` queue; one consumer handles them. The inspector shows each message's parts; the knobs
 * set what the broker reads (routing key, expiration) and what only consumers read (the other properties, headers).
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/amqp/scenarios/message-anatomy-scenario.ts')).messageAnatomyScenario,
  knobs: {
    messageCount: { min: 1, max: 30 },
    producerRatePerSec: { min: 1, max: 10 },
    processingMs: { min: 0, max: 2000 },
    properties: {},
    expirationMs: { min: 0, max: 5000 },
    routingKey: {},
  },
  counters: ['published', 'delivered', 'acked', 'dropped'],
  charts: [
    { title: 'Queue depth', series: ['depth'], description: 'Messages waiting in invoices for the invoicing service.' },
  ],
  seed: 1,
  latencyMs: 100,
  note: 'Changing a knob re-runs the simulation from t = 0. Click a message in the diagram, or choose one below it, '
    + 'to read its body, properties, headers and history. Network latency is 100 ms each way, exaggerated so you '
    + 'can watch messages travel; the simulation does not charge for message size.',
  ariaLabel: 'Message anatomy: the shop, the default exchange, the invoices queue and the invoicing consumer',
});
