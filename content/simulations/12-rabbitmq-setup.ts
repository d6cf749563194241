/**
 * Lesson 12's simulation: one program, one connection ("app"), one channel per job: a publisher channel and worker
 * channels consuming from `tasks`. A probe for the missing queue `reports` closes the channel it runs on (404), on
 * worker 1's channel or on a channel of its own; the connection and the other channels carry on.
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/amqp/scenarios/channels-scenario.ts')).channelsScenario,
  knobs: {
    probe: {},
    probeAtMs: { max: 6000 },
    channelCount: {},
    processingMs: { max: 2000 },
  },
  fixed: { messageCount: 20, producerRatePerSec: 5 },
  counters: ['published', 'delivered', 'acked', 'redelivered'],
  charts: [
    { title: 'Messages in the broker', series: ['depth', 'unacked'],
      description: 'Tasks waiting in the queue, and tasks the worker channels hold. When a channel is closed, what it '
        + 'held goes back to the queue.' },
  ],
  seed: 1,
  latencyMs: 100,
  note: 'Changing a knob re-runs the simulation from t = 0 with the same seed. Every channel belongs to the one '
    + 'connection "app"; the workers are named after it (app · consumer 1, …). Network latency is 100 ms each way, '
    + 'exaggerated so you can watch messages travel.',
  ariaLabel: 'Channels: the program app publishes tasks on one channel and consumes them on several worker channels, '
    + 'all over one connection; a check for a missing queue closes one channel',
});
