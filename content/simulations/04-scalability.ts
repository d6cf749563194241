/**
 * Lesson 4's simulation: the work queue of lesson 1 seen as a throughput problem. The producer publishes tasks at a
 * steady rate for the whole run (three simulated minutes); the knobs change the consumer side (workers, prefetch,
 * processing time) and the producer's rate, and the charts compare what comes in (published) with what gets done
 * (acknowledged) and show the backlog (queue depth).
 *
 * Every run lasts exactly `untilMs` (the producer has more tasks than it can publish in that time), so the charts'
 * rate buckets are always one second wide and a rate of 2 msg/s reads as a flat 2, whatever the knobs.
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/amqp/scenarios/work-queue-scenario.ts')).workQueueScenario,
  knobs: {
    consumerCount: { min: 1, max: 12, default: 1 },
    prefetch: { min: 0, max: 10 },
    processingMs: { min: 100, max: 2000, default: 300, step: 100 },
    producerRatePerSec: { min: 1, max: 20, default: 10 },
  },
  fixed: { messageCount: 5000, ackMode: 'manual', processingJitterMs: 0 },
  counters: ['published', 'delivered', 'acked'],
  charts: [
    { title: 'Throughput', series: ['rate:published', 'rate:acked'], description: 'Tasks coming in (published) and tasks done (acknowledged), per second.' },
    { title: 'Backlog', series: ['depth', 'unacked'], description: 'Tasks waiting in the queue for a free worker, and tasks handed to a worker and not yet acknowledged.' },
  ],
  inspector: false,
  seed: 1,
  latencyMs: 100,
  untilMs: 180_000,
  note: 'Changing a knob re-runs the simulation from t = 0 with the same seed. The producer publishes at its rate '
    + 'for the whole three simulated minutes, and its code is the same whatever you do to the workers. Network '
    + 'latency is 100 ms each way, exaggerated so you can watch messages travel; the charts show the whole run at '
    + 'once, with a dashed line at the current time.',
  ariaLabel: 'Scalability: a producer, the tasks queue and a pool of workers',
});
