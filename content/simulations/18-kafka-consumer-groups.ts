/**
 * Lesson 18's simulation: a consumer group shares a topic's partitions. A producer sends 40 tasks to the topic
 * `tasks` (4 partitions); the members of group-1 each own some partitions (one owner per partition, extra members
 * idle). Faults make a member join, leave cleanly or crash (noticed only after the session timeout); the commit
 * choice shows at-least-once against at-most-once; a slow record longer than the session timeout gets its member
 * evicted and its commit rejected; more groups each read every record.
 */
import { defineSimulation } from './types.ts';

export default defineSimulation({
  scenario: async () => (await import('../../simulator/brokers/kafka/scenarios/consumer-groups-scenario.ts')).consumerGroupsScenario,
  knobs: {
    partitions: { min: 1, max: 6, default: 4 },
    members: { label: 'Members of group-1', min: 1, max: 6, default: 2,
      description: 'Consumers in group-1 when the run starts (and in each other group).' },
    commit: {},
    sessionTimeoutMs: { min: 6_000, max: 30_000, step: 1_000, default: 10_000,
      description: 'A member the coordinator has not heard a heartbeat from for this long is removed from the group.' },
    slowHandlerMs: { min: 0, max: 60_000, step: 5_000, default: 0,
      description: 'How long the record at offset 4 of p0 hangs the first time group-1 handles it (0: none).' },
    groups: { label: 'Consumer groups', min: 1, max: 3, default: 1 },
    processingMs: { min: 100, max: 1000, step: 50, default: 300, description: 'Time a member spends on one task.' },
  },
  fixed: { messageCount: 40, producerRatePerSec: 4, slowOffset: 4 },
  counters: ['produced', 'consumed', 'duplicates', 'rebalances', 'commits', 'rejectedCommits'],
  charts: [
    { title: 'Lag of group-1 per partition', series: ['lag:group-1:tasks/0', 'lag:group-1:tasks/1', 'lag:group-1:tasks/2', 'lag:group-1:tasks/3'],
      description: 'Tasks of each partition that group-1 has not committed yet: a partition whose owner is gone climbs until the group rebalances.' },
  ],
  faults: ['add-member', 'leave-member', 'crash-member'],
  seed: 1,
  latencyMs: 100,
  untilMs: 60_000,
  note: 'Changing a knob re-runs the simulation from t = 0 with the same seed. A fault happens at the current time '
    + 'and re-runs from there. Members heartbeat every 3 s, between records only (as kafkajs does). A new group '
    + 'waits 3 s for more members before its first assignment, and network latency is 100 ms each way, '
    + 'exaggerated so you can watch records travel.',
  ariaLabel: 'Kafka consumer groups: a producer sends tasks to the topic tasks; the members of group-1 each own some of its partitions',
});
