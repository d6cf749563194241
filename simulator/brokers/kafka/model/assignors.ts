/**
 * Partition assignors: how the group leader splits the partitions of the subscribed topics among the members.
 * In Kafka the leader (a client) computes the assignment and sends it to the coordinator in SyncGroup; these are
 * the client-side strategies, pure functions of the members and the partitions.
 *
 * - `roundRobinAssign`: kafkajs 2's RoundRobinAssigner, its default (node_modules/kafkajs/src/consumer/assigners/
 *   roundRobinAssigner/index.js): member ids sorted (JavaScript's default string order), the leader's subscribed
 *   topics in order, each topic's partitions in metadata order, dealt one by one to the members in turn. Every
 *   member gets partitions of every one of those topics, subscribed or not (kafkajs ignores the members'
 *   subscriptions); a member dealt nothing is absent from the result (it gets an empty assignment).
 * - `rangeAssign`: the Java client's RangeAssignor (`org.apache.kafka.clients.consumer.RangeAssignor`, its javadoc
 *   example: two consumers, two topics of 3 partitions → C0: t0p0, t0p1, t1p0, t1p1; C1: t0p2, t1p2): per topic,
 *   the members subscribed to it sorted by member id get consecutive ranges; the first `n % m` get one extra.
 * - `javaRoundRobinAssign`: the Java client's RoundRobinAssignor (all topic-partitions sorted by topic and
 *   partition, dealt to the members sorted by id, skipping members not subscribed to the topic), for comparisons.
 */

/** A group member as the leader sees it: its id and the topics it subscribed to. */
export interface AssignorMember {
  memberId: string;
  topics: readonly string[];
}

/** memberId → topic → partitions (ascending), as SyncGroup carries it. */
export type GroupAssignment = Map<string, Map<string, number[]>>;

function add(result: GroupAssignment, memberId: string, topic: string, partition: number): void {
  let byTopic = result.get(memberId);
  if (byTopic === undefined) {
    byTopic = new Map();
    result.set(memberId, byTopic);
  }
  let list = byTopic.get(topic);
  if (list === undefined) {
    list = [];
    byTopic.set(topic, list);
  }
  list.push(partition);
}

/**
 * kafkajs's RoundRobinAssigner. @param topics the leader's subscription, in order; @param partitionsOf a topic's
 * partition ids in metadata order ([] for a topic without metadata).
 */
export function roundRobinAssign(members: readonly AssignorMember[], topics: readonly string[],
  partitionsOf: (topic: string) => readonly number[]): GroupAssignment {
  const result: GroupAssignment = new Map();
  if (members.length === 0) return result;
  const sorted = members.map((m) => m.memberId).sort();
  let i = 0;
  for (const topic of topics) {
    for (const partition of partitionsOf(topic)) {
      add(result, sorted[i % sorted.length], topic, partition);
      i++;
    }
  }
  return result;
}

/** The Java client's RangeAssignor (see the module doc). Topics are taken from the members' subscriptions. */
export function rangeAssign(members: readonly AssignorMember[],
  partitionsOf: (topic: string) => readonly number[]): GroupAssignment {
  const result: GroupAssignment = new Map();
  const consumersPerTopic = new Map<string, string[]>();
  for (const m of members) {
    for (const topic of m.topics) {
      const list = consumersPerTopic.get(topic) ?? [];
      if (!list.includes(m.memberId)) list.push(m.memberId);
      consumersPerTopic.set(topic, list);
    }
  }
  for (const topic of [...consumersPerTopic.keys()].sort()) {
    const consumers = (consumersPerTopic.get(topic) as string[]).sort();
    const partitions = [...partitionsOf(topic)].sort((a, b) => a - b);
    const per = Math.floor(partitions.length / consumers.length);
    const extra = partitions.length % consumers.length;
    for (let i = 0; i < consumers.length; i++) {
      const start = per * i + Math.min(i, extra);
      const length = per + (i + 1 > extra ? 0 : 1);
      for (let p = start; p < start + length; p++) add(result, consumers[i], topic, partitions[p]);
    }
  }
  return result;
}

/** The Java client's RoundRobinAssignor (see the module doc). */
export function javaRoundRobinAssign(members: readonly AssignorMember[],
  partitionsOf: (topic: string) => readonly number[]): GroupAssignment {
  const result: GroupAssignment = new Map();
  const sorted = [...members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
  if (sorted.length === 0) return result;
  const topics = [...new Set(members.flatMap((m) => m.topics))].sort();
  let next = 0;
  for (const topic of topics) {
    for (const partition of [...partitionsOf(topic)].sort((a, b) => a - b)) {
      // Circular iterator over the sorted members, skipping those not subscribed to this topic.
      for (let tries = 0; tries < sorted.length; tries++) {
        const m = sorted[next % sorted.length];
        next++;
        if (m.topics.includes(topic)) {
          add(result, m.memberId, topic, partition);
          break;
        }
      }
    }
  }
  return result;
}
