/**
 * Lesson 19's simulation: consumer lag. A producer writes clicks to the topic `clicks` (4 partitions) faster than
 * one member of group `analytics` can handle them; the group's lag (log-end offset minus committed offset) climbs.
 * A member joins every 15 s: the lag levels off and falls once the group's capacity passes the producer's rate,
 * until members reach the partition count; members beyond it get no partition.
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/kafka/scenarios/lag-scenario.ts')).lagScenario,
  knobs: {
    producerRatePerSec: { label: 'Clicks per second', min: 5, max: 50, default: 20 },
    processingMs: { min: 50, max: 500, step: 10, default: 150, description: 'Time a member spends on one click.' },
    partitions: { min: 1, max: 8, default: 4 },
    initialMembers: { min: 1, max: 8, default: 1 },
    maxMembers: { min: 1, max: 8, default: 6 },
    addMemberEveryMs: { min: 0, max: 30_000, step: 5_000, default: 15_000 },
    messageCount: { label: 'Clicks in all', min: 100, max: 2_000, step: 100, default: 1_200 },
  },
  counters: ['produced', 'consumed', 'rebalances'],
  charts: [
    { title: 'Lag of the group analytics', series: ['lag:analytics'],
      description: 'Clicks written but not yet committed by the group, over all partitions: it climbs while the '
        + 'group is slower than the producer and falls once it is faster.' },
    { title: 'Clicks written and handled per second', series: ['rate:produce', 'rate:consume'],
      description: 'The producer\'s rate against the group\'s throughput: lag grows whenever the first line is above the second.' },
  ],
  faults: ['add-member'],
  seed: 1,
  latencyMs: 100,
  untilMs: 150_000,
  note: 'Changing a knob re-runs the simulation from t = 0 with the same seed. Add now makes one more consumer join '
    + 'the group at the current time. Each member handles one click at a time; network latency is 100 ms each way.',
  ariaLabel: 'Kafka lag: a producer writes clicks to the topic clicks; the members of group analytics read them',
});
