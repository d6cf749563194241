/** Lesson 1's simulation: one producer, a durable queue and a pool of workers (the work queue). */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/amqp/scenarios/work-queue-scenario.ts')).workQueueScenario,
  knobs: {
    producerRatePerSec: { min: 1, max: 50 },
    messageCount: { min: 1, max: 200 },
    consumerCount: { min: 0, max: 8 },
    prefetch: { min: 0, max: 20 },
    processingMs: { min: 0, max: 5000 },
    ackMode: {},
  },
  counters: ['published', 'delivered', 'acked', 'redelivered', 'requeued', 'lost'],
  charts: [
    { title: 'Queue depth', series: ['depth', 'unacked'], description: 'Ready messages waiting in the queue, and deliveries not yet acknowledged.' },
  ],
  faults: ['crash-worker'],
  seed: 1,
  latencyMs: 100,
  note: 'Changing a knob re-runs the simulation from t = 0 with the same random seed (the Seed field below; another '
    + 'seed gives another run), so the same settings always '
    + 'play out the same way. Crash now forks history at the current time: everything before now stays identical '
    + 'and the run continues from here with that worker gone. Crashes are kept when you change a knob (the same '
    + 'crash happens at the same moment), until you press Clear faults. Network latency is 100 ms each way, '
    + 'exaggerated so you can watch messages travel.',
  ariaLabel: 'Work queue: a producer, the tasks queue and the workers',
});
