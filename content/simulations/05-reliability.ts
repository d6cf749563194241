/**
 * Lesson 5's simulation: the work queue of lesson 1 with the three settings that decide what survives a failure —
 * the queue's durability, the messages' delivery mode and the acknowledgement mode — and the failures themselves
 * as buttons: crash a worker, restart it, restart the broker. The producer sends more than the two workers can
 * keep up with, so there is almost always something in the queue for a restart to keep or lose.
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/amqp/scenarios/work-queue-scenario.ts')).workQueueScenario,
  knobs: {
    durable: {},
    persistent: { default: 'yes' },
    ackMode: {},
    brokerDownMs: { min: 1000, max: 10_000, default: 3000,
      description: 'How long the broker stays down after Restart now. Meanwhile every client is refused and tries again each second.' },
    consumerCount: { min: 1, max: 4, default: 2 },
  },
  fixed: { messageCount: 30, producerRatePerSec: 10, processingMs: 1000, prefetch: 1 },
  counters: ['published', 'acked', 'redelivered', 'lost'],
  charts: [
    { title: 'Messages in the broker', series: ['depth', 'unacked'],
      description: 'Messages waiting in the queue, and messages a worker holds unacknowledged. A restart keeps only '
        + 'what a durable queue holds as persistent messages.' },
    { title: 'Lost for good', series: ['lost'],
      description: 'Messages gone without being processed: dropped by a restart, or held by a crashed worker that '
        + 'had received them with automatic acknowledgement.' },
  ],
  faults: ['crash-worker', 'restart-worker', 'restart-broker'],
  seed: 1,
  latencyMs: 100,
  note: 'Changing a knob re-runs the simulation from t = 0 with the same seed. Crash now kills a worker at the '
    + 'current time and Restart now starts it again; Restart now for the broker stops it at the current time for '
    + '"Broker down for". Network latency is 100 ms each way, exaggerated so you can watch messages travel.',
  ariaLabel: 'Reliability: a producer publishes to the tasks queue and workers consume from it; the broker and the '
    + 'workers can be crashed and restarted',
});
