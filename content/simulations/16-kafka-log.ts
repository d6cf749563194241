/**
 * Lesson 16's simulation: a topic as an append-only log. A producer appends events to topic `events`; group `live`
 * reads them as they arrive; later a second group, `replay`, subscribes from the beginning and reads the same
 * records again, because reading removes nothing. Retention (deleting whole old segments) is the only thing that
 * removes records; "Start now" adds one more group that replays what is left.
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/kafka/scenarios/log-vs-queue-scenario.ts')).logVsQueueScenario,
  knobs: {
    producerRatePerSec: { min: 1, max: 10, default: 2, description: 'Events the producer appends to the topic per second.' },
    messageCount: { min: 1, max: 60, default: 30, description: 'How many events the producer appends in all.' },
    partitions: { min: 1, max: 3, default: 1,
      description: 'Partitions of the topic: each is a log of its own, with its own offsets starting at 0.' },
    processingMs: { label: 'Live reader\'s work per event', min: 0, max: 1000, step: 50, default: 150,
      description: 'Time the consumer of group live spends on one event.' },
    replayAtMs: { min: 0, max: 40_000, step: 1000, default: 20_000 },
    retentionMs: { min: 5_000, max: 120_000, step: 5_000, default: 120_000,
      description: 'How long the broker keeps records. Older ones are deleted a whole segment at a time (a new segment starts every 5 s here).' },
  },
  fixed: { segmentMs: 5_000 },
  counters: ['produced', 'consumed', 'commits', 'deleted'],
  charts: [
    { title: 'Lag per group', series: ['lag:live', 'lag:replay'],
      description: 'Records in the log that each group has not committed yet (log-end offset minus committed offset).' },
  ],
  faults: ['start-replay'],
  seed: 1,
  latencyMs: 100,
  untilMs: 60_000,
  note: 'Changing a knob re-runs the simulation from t = 0 with the same seed. Start now adds a consumer in a new '
    + 'group at the current time; it reads the topic from the beginning. The broker checks retention every second '
    + 'here (Kafka\'s default is every 5 minutes), and network latency is 100 ms each way, exaggerated so you can '
    + 'watch records travel.',
  ariaLabel: 'Kafka log: a producer appends events to the topic events; consumers in groups live and replay read them, each at its own offset',
});
