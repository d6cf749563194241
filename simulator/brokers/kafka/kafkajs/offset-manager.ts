/**
 * kafkajs's `OffsetManager` (node_modules/kafkajs/src/consumer/offsetManager/index.js), one per generation of a
 * member: the offsets it resolved (processed: last offset + 1) and those committed, and when to commit.
 * - `resolveOffset(offset)` marks offset + 1 as the next position; `nextOffset` is the resolved offset, else the
 *   committed one (an invalid one reads as 0).
 * - Committed offsets start unknown: `resolveOffsets()` asks the coordinator (OffsetFetch) for the partitions it
 *   does not know; those without a commit start at the topic's earliest (`fromBeginning`) or latest offset
 *   (ListOffsets) — kept in the client's cache as "committed" though nothing was committed.
 * - Auto-commit (`autoCommit`, kafkajs's default): `commitOffsetsIfNecessary()` commits when `autoCommitInterval`
 *   ms passed since the last commit or `autoCommitThreshold` resolved offsets are waiting (both unset by default,
 *   so kafkajs commits after each batch and before rejoining); `commitOffsets()` sends every resolved offset that
 *   differs from the committed one (OffsetCommit with this member's id and generation — rejected with
 *   UNKNOWN_MEMBER_ID / ILLEGAL_GENERATION / REBALANCE_IN_PROGRESS when the group moved on).
 * - `seek`: with auto-commit the sought offset is committed at once; without, it becomes the resolved offset.
 */
import type { ClientBroker, ClusterClient } from './cluster-client.ts';
import { CONSUMER_EVENTS, type Instrumentation } from './instrumentation.ts';

/** kafkajs's `isInvalidOffset`: no offset, or a negative one. */
export function isInvalidOffset(offset: unknown): boolean {
  return offset === undefined || offset === null || offset === '' || Number(offset) < 0;
}

/** Offsets to commit: `{ topics: [{ topic, partitions: [{ partition, offset }] }] }` (offsets as strings). */
export interface OffsetsByTopic {
  topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string; metadata?: string | null }> }>;
}

/** One generation's offsets of a member (see the module doc). */
export class OffsetManager {
  private readonly cluster: ClusterClient;
  private coordinator: ClientBroker;
  private readonly memberAssignment: Record<string, number[]>;
  private readonly autoCommit: boolean;
  private readonly autoCommitInterval: number | null;
  private readonly autoCommitThreshold: number | null;
  private readonly topicConfigurations: Record<string, { fromBeginning?: boolean }>;
  private readonly instrumentation: Instrumentation;
  readonly groupId: string;
  readonly generationId: number;
  readonly memberId: string;
  private lastCommit: number;
  private readonly topics: string[];
  private resolvedOffsets: Record<string, Record<string, string>> = {};
  private readonly now: () => number;

  constructor(o: {
    cluster: ClusterClient; coordinator: ClientBroker; memberAssignment: Record<string, number[]>; autoCommit: boolean;
    autoCommitInterval: number | null; autoCommitThreshold: number | null;
    topicConfigurations: Record<string, { fromBeginning?: boolean }>; instrumentation: Instrumentation; groupId: string;
    generationId: number; memberId: string; now: () => number;
  }) {
    this.cluster = o.cluster;
    this.coordinator = o.coordinator;
    this.memberAssignment = o.memberAssignment;
    this.autoCommit = o.autoCommit;
    this.autoCommitInterval = o.autoCommitInterval;
    this.autoCommitThreshold = o.autoCommitThreshold;
    this.topicConfigurations = o.topicConfigurations;
    this.instrumentation = o.instrumentation;
    this.groupId = o.groupId;
    this.generationId = o.generationId;
    this.memberId = o.memberId;
    this.now = o.now;
    this.lastCommit = o.now();
    this.topics = Object.keys(o.memberAssignment);
    this.clearAllOffsets();
  }

  /** The group's committed offsets as this client knows them (shared by the clients of one `Kafka`). */
  committedOffsets(): Record<string, Record<string, string>> {
    return this.cluster.committedOffsets({ groupId: this.groupId });
  }

  /** The offset the next fetch of topic/partition starts at. */
  nextOffset(topic: string, partition: number): number {
    if (!this.resolvedOffsets[topic][partition]) {
      this.resolvedOffsets[topic][partition] = this.committedOffsets()[topic][partition];
    }
    const offset = this.resolvedOffsets[topic][partition];
    return isInvalidOffset(offset) ? 0 : Number(offset);
  }

  private async getCoordinator(): Promise<ClientBroker> {
    if (!this.coordinator.isConnected()) this.coordinator = await this.cluster.findBroker({ nodeId: this.coordinator.nodeId });
    return this.coordinator;
  }

  /** The next offset goes back to the committed one. */
  resetOffset({ topic, partition }: { topic: string; partition: number }): void {
    this.resolvedOffsets[topic][partition] = this.committedOffsets()[topic][partition];
  }

  /** Marks `offset` processed: offset + 1 is resolved. */
  resolveOffset({ topic, partition, offset }: { topic: string; partition: number; offset: string | number }): void {
    this.resolvedOffsets[topic][partition] = String(Number(offset) + 1);
  }

  /** Resolved offsets not committed yet (sum of resolved − committed per partition). */
  countResolvedOffsets(): number {
    const committed = this.committedOffsets();
    let sum = 0;
    for (const topic of this.topics) {
      for (const partition of Object.keys(this.resolvedOffsets[topic])) {
        const resolved = Number(this.resolvedOffsets[topic][partition]);
        const c = committed[topic]?.[partition];
        sum += isInvalidOffset(c) ? resolved : resolved - Number(c);
      }
    }
    return sum;
  }

  /** Commits the topic's default offset (offset out of range: start again from earliest / latest). */
  async setDefaultOffset({ topic, partition }: { topic: string; partition: number }): Promise<void> {
    const defaultOffset = this.cluster.defaultOffset(this.topicConfigurations[topic] ?? {});
    const coordinator = await this.getCoordinator();
    await coordinator.offsetCommit(this.groupId, this.memberId, this.generationId,
      [{ topic, partition, offset: defaultOffset, metadata: null }]);
    this.clearOffsets({ topic, partition });
  }

  /** A seek (see the module doc); a partition this member is not assigned is ignored. */
  async seek({ topic, partition, offset }: { topic: string; partition: number; offset: string }): Promise<void> {
    if (!this.memberAssignment[topic] || !this.memberAssignment[topic].includes(partition)) return;
    if (!this.autoCommit) {
      this.resolveOffset({ topic, partition, offset: String(Number(offset) - 1) });
      return;
    }
    const coordinator = await this.getCoordinator();
    await coordinator.offsetCommit(this.groupId, this.memberId, this.generationId,
      [{ topic, partition, offset: Number(offset), metadata: null }]);
    this.clearOffsets({ topic, partition });
  }

  /** Commits when `autoCommitInterval` passed or `autoCommitThreshold` offsets wait. */
  async commitOffsetsIfNecessary(): Promise<void> {
    const now = this.now();
    const timeoutReached = this.autoCommitInterval != null && now >= this.lastCommit + this.autoCommitInterval;
    const thresholdReached = this.autoCommitThreshold != null && this.countResolvedOffsets() >= this.autoCommitThreshold;
    if (timeoutReached || thresholdReached) await this.commitOffsets();
  }

  /** Resolved offsets that differ from the committed ones (kafkajs's `uncommittedOffsets`). */
  uncommittedOffsets(): OffsetsByTopic {
    const committed = this.committedOffsets();
    return {
      topics: this.topics.map((topic) => ({
        topic,
        partitions: Object.keys(this.resolvedOffsets[topic])
          .map((partition) => ({ partition: Number(partition), offset: this.resolvedOffsets[topic][partition] }))
          .filter(({ partition, offset }) => offset !== committed[topic]?.[partition] && Number(offset) >= 0),
      })).filter(({ partitions }) => partitions.length > 0),
    };
  }

  /** Commits `offsets` (default: the uncommitted ones); updates the cache; rethrows the coordinator's error. */
  async commitOffsets(offsets: Partial<OffsetsByTopic> = {}): Promise<void> {
    const { topics = this.uncommittedOffsets().topics } = offsets;
    if (topics.length === 0) {
      this.lastCommit = this.now();
      return;
    }
    const payload = { groupId: this.groupId, memberId: this.memberId, groupGenerationId: this.generationId, topics };
    try {
      const coordinator = await this.getCoordinator();
      await coordinator.offsetCommit(this.groupId, this.memberId, this.generationId, topics.flatMap(({ topic, partitions }) =>
        partitions.map(({ partition, offset, metadata }) => ({ topic, partition: Number(partition), offset: Number(offset), metadata: metadata ?? null }))));
      this.instrumentation.emit(CONSUMER_EVENTS.COMMIT_OFFSETS, payload);
      const committed = this.committedOffsets();
      for (const { topic, partitions } of topics) {
        const updated: Record<string, string> = {};
        for (const { partition, offset } of partitions) updated[partition] = String(offset);
        committed[topic] = Object.assign({}, committed[topic], updated);
      }
      this.lastCommit = this.now();
    } catch (e) {
      if ((e as { type?: string }).type === 'NOT_COORDINATOR_FOR_GROUP') await this.cluster.refreshMetadata();
      throw e;
    }
  }

  /** Learns the committed offsets it does not know yet (OffsetFetch, then ListOffsets for those never committed). */
  async resolveOffsets(): Promise<void> {
    const committed = this.committedOffsets();
    const pending = this.topics
      .map((topic) => ({
        topic,
        partitions: this.memberAssignment[topic].filter((p) => isInvalidOffset(committed[topic]?.[p])).map((partition) => ({ partition })),
      }))
      .filter((t) => t.partitions.length > 0);
    if (pending.length === 0) return;
    const coordinator = await this.getCoordinator();
    const fetched = await coordinator.offsetFetch(this.groupId, pending.flatMap(({ topic, partitions }) =>
      partitions.map(({ partition }) => ({ topic, partition }))));
    const unresolved = pending.map(({ topic }) => ({
      topic,
      partitions: fetched.filter((f) => f.topic === topic && isInvalidOffset(f.offset)).map(({ partition }) => ({ partition })),
      ...this.topicConfigurations[topic],
    }));
    const offsets = new Map<string, Map<number, string>>();
    for (const f of fetched) {
      const m = offsets.get(f.topic) ?? new Map<number, string>();
      m.set(f.partition, String(f.offset));
      offsets.set(f.topic, m);
    }
    if (unresolved.some((t) => t.partitions.length > 0)) {
      const topicOffsets = await this.cluster.fetchTopicsOffset(unresolved.filter((t) => t.partitions.length > 0));
      for (const { topic, partitions } of topicOffsets) {
        for (const { partition, offset } of partitions) {
          const m = offsets.get(topic) as Map<number, string>;
          if (isInvalidOffset(m.get(partition))) m.set(partition, offset);
        }
      }
    }
    for (const [topic, m] of offsets) {
      const current = { ...(committed[topic] ?? {}) };
      for (const [partition, offset] of m) current[partition] = offset;
      committed[topic] = current;
    }
  }

  private clearOffsets({ topic, partition }: { topic: string; partition: number }): void {
    delete this.committedOffsets()[topic][partition];
    delete this.resolvedOffsets[topic][partition];
  }

  private clearAllOffsets(): void {
    const committed = this.committedOffsets();
    for (const topic of Object.keys(committed)) delete committed[topic];
    for (const topic of this.topics) committed[topic] = {};
    this.resolvedOffsets = Object.fromEntries(this.topics.map((t) => [t, {}]));
  }
}
