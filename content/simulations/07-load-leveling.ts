/**
 * Lesson 7's simulation: a producer that sends in bursts and a pool of workers with a steady pace; the depth chart
 * rises with each burst and drains between them, and the rates chart shows the bursty arrivals against the flat
 * rate of finished jobs.
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/amqp/scenarios/work-queue-scenario.ts')).workQueueScenario,
  knobs: {
    burstSize: { min: 1, max: 50, default: 20, description: 'Jobs the producer sends in each burst.' },
    burstEveryMs: { min: 1000, max: 15_000, step: 500, default: 6000 },
    producerRatePerSec: { label: 'Rate within a burst', min: 5, max: 100, default: 50,
      description: 'How fast the jobs of one burst are sent: the peak rate.' },
    messageCount: { label: 'Jobs in all', min: 20, max: 200, default: 120,
      description: 'The producer stops after this many jobs.' },
    consumerCount: { min: 1, max: 8, default: 3 },
    prefetch: { min: 1, max: 10, default: 2 },
    processingMs: { min: 100, max: 2000, default: 500 },
  },
  // A little jitter keeps the workers from finishing in lockstep, so the rate of finished jobs reads as a band.
  fixed: { ackMode: 'manual', processingJitterMs: 100 },
  counters: ['published', 'delivered', 'acked'],
  charts: [
    { title: 'Queue depth', series: ['depth', 'unacked'],
      description: 'Jobs waiting in the queue rise with each burst and fall back to 0 between bursts, as long as the '
        + 'workers keep up on average.' },
    { title: 'Arriving and finished jobs per second', series: ['rate:published', 'rate:acked'],
      description: 'Jobs arrive in spikes (the peak rate); the workers finish them at their own steady pace.' },
  ],
  seed: 1,
  latencyMs: 100,
  note: 'Changing a knob re-runs the simulation from t = 0 with the same seed, so the same settings always play out '
    + 'the same way. Each job takes the processing time ± 100 ms. Network latency is 100 ms each way, exaggerated so you can watch messages travel.',
  ariaLabel: 'Load leveling: a bursty producer, the tasks queue and a pool of workers',
});
