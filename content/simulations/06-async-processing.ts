/**
 * Lesson 6's simulation: the queued design seen from the broker. The producer is the web server's order handler,
 * which publishes one job per order and has already answered the customer; the workers do the slow part. The chart
 * shows how long each job takes to be done (publish → ack): the time until the customer gets the result.
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/amqp/scenarios/work-queue-scenario.ts')).workQueueScenario,
  knobs: {
    producerRatePerSec: { label: 'Orders per second', min: 1, max: 20, default: 5,
      description: 'How fast customers place orders. The web server publishes one job per order and answers at once.' },
    messageCount: { label: 'Orders', min: 1, max: 60, default: 20, description: 'How many orders are placed in all.' },
    consumerCount: { min: 0, max: 6, default: 1 },
    processingMs: { label: 'Work per job', min: 100, max: 2000, default: 500,
      description: 'Time a worker needs for one job (rendering the invoice, sending the email).' },
    consumersStartAtMs: { min: 0, max: 15_000, default: 0,
      description: 'When the workers start. Until then the jobs wait in the queue; the web server keeps answering.' },
    ackMode: {},
  },
  fixed: { prefetch: 1 },
  counters: ['published', 'acked', 'redelivered', 'lost'],
  charts: [
    { title: 'Order to finished job', series: ['latency:p50', 'latency:p95'],
      description: 'How long after the order its job was done (publish → ack): when the customer gets the result. '
        + 'The answer itself came at the moment of the publish.' },
    { title: 'Jobs waiting', series: ['depth', 'unacked'],
      description: 'Jobs waiting in the queue for a worker, and jobs a worker is busy with.' },
  ],
  faults: ['crash-worker', 'restart-worker'],
  seed: 1,
  latencyMs: 100,
  note: 'The producer is the web server: each blue dot is a job for an order it has already answered. Changing a '
    + 'knob re-runs the simulation from t = 0 with the same seed. Crash now kills a worker at the current time; '
    + 'Restart now starts it again. Network latency is 100 ms each way, exaggerated so you can watch messages travel.',
  ariaLabel: 'Asynchronous processing: the web server publishes one job per order to the tasks queue, and workers do the jobs',
});
