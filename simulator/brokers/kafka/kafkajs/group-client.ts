/**
 * kafkajs's client side of a consumer group (node_modules/kafkajs/src/consumer/consumerGroup.js): join and sync
 * (the leader runs the assigner), heartbeats, the member's assignment, seeks and pauses, and the fetch of the
 * member's partitions led by one broker.
 * - `joinAndSync()` (retried): find the coordinator, JoinGroup (rejoining with the id MEMBER_ID_REQUIRED gives),
 *   SyncGroup — the leader refreshes metadata and assigns with the protocol the coordinator chose; then the
 *   GROUP_JOIN event and the INFO line "Consumer has joined the group". REBALANCE_IN_PROGRESS /
 *   ILLEGAL_GENERATION / NOT_COORDINATOR_FOR_GROUP and UNKNOWN_MEMBER_ID (member id forgotten) restart the join;
 *   other errors end it.
 * - `heartbeat({ interval })` sends a Heartbeat only when `interval` ms passed since the last one — kafkajs has no
 *   background heartbeat: the runner calls this between messages and batches, so a handler that runs longer than
 *   the session timeout gets its member removed by the coordinator.
 * - `fetch(nodeId)`: the assigned, unpaused partitions whose leader is `nodeId`, from each one's next offset
 *   (after applying seeks and learning committed offsets); with none it sleeps `maxWaitTimeInMs` (an idle poll) and
 *   returns nothing. Errors: stale metadata refreshes it and rejoins; offset out of range resets the partition to
 *   the default offset; a closed connection forgets the broker.
 */
import { Buffer } from 'buffer';
import { decodeAssignment, encodeAssignment, encodeMemberMetadata } from '../model/consumer-protocol.ts';
import type { ClientBroker, ClientEnv, ClusterClient } from './cluster-client.ts';
import { sharedPromiseTo } from './concurrency.ts';
import {
  KafkaJSError, KafkaJSNonRetriableError, KafkaJSStaleTopicMetadataAssignment, isRebalancing,
} from './errors.ts';
import { CONSUMER_EVENTS, type Instrumentation } from './instrumentation.ts';
import type { Logger } from './logger.ts';
import { toKafkaMessage } from './messages.ts';
import { Batch } from './batch.ts';
import { OffsetManager, type OffsetsByTopic } from './offset-manager.ts';
import { createRetry, type RetryOptions } from './retry.ts';
import { SeekOffsets, SubscriptionState, type TopicPartitions } from './subscription-state.ts';

/** A partition assigner as kafkajs programs write them (`partitionAssigners: [({ cluster, groupId, logger }) => …]`). */
export interface Assigner {
  name: string;
  version: number;
  assign(group: { members: Array<{ memberId: string; memberMetadata: Buffer }>; topics: string[] }):
    Promise<Array<{ memberId: string; memberAssignment: Buffer }>> | Array<{ memberId: string; memberAssignment: Buffer }>;
  protocol(subscription: { topics: string[] }): { name: string; metadata: Buffer };
}

/** Options of a member (from the consumer's options). */
export interface GroupClientOptions {
  groupId: string;
  topics: string[];
  topicConfigurations: Record<string, { fromBeginning?: boolean }>;
  retry: RetryOptions | undefined;
  assigners: Assigner[];
  sessionTimeout: number;
  rebalanceTimeout: number;
  maxBytesPerPartition: number;
  minBytes: number;
  maxBytes: number;
  maxWaitTimeInMs: number;
  autoCommit: boolean;
  autoCommitInterval: number | null;
  autoCommitThreshold: number | null;
}

const STALE_METADATA_ERRORS = ['LEADER_NOT_AVAILABLE', 'NOT_LEADER_FOR_PARTITION', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH', 'UNKNOWN_TOPIC_OR_PARTITION'];

/** One member's view of its group (kafkajs's ConsumerGroup; see the module doc). */
export class GroupClient {
  readonly groupId: string;
  private readonly env: ClientEnv;
  private readonly cluster: ClusterClient;
  private readonly o: GroupClientOptions;
  private readonly logger: Logger;
  private readonly instrumentation: Instrumentation;
  private readonly retrier: ReturnType<typeof createRetry>;
  private readonly seekOffset = new SeekOffsets();
  private readonly subscriptionState = new SubscriptionState();
  topics: string[];
  readonly topicsSubscribed: string[];
  coordinator: ClientBroker | null = null;
  generationId: number | null = null;
  leaderId: string | null = null;
  memberId: string | null = null;
  private members: Array<{ memberId: string; memberMetadata: Uint8Array }> = [];
  groupProtocol: string | null = null;
  private partitionsPerSubscribedTopic: Map<string, number[]> | null = null;
  offsetManager: OffsetManager | null = null;
  private lastRequest: number;
  private readonly sharedHeartbeat: (arg: { interval: number }) => Promise<void>;

  constructor(env: ClientEnv, cluster: ClusterClient, logger: Logger, instrumentation: Instrumentation, o: GroupClientOptions) {
    this.env = env;
    this.cluster = cluster;
    this.o = o;
    this.groupId = o.groupId;
    this.topics = o.topics;
    this.topicsSubscribed = o.topics;
    this.logger = logger.namespace('ConsumerGroup');
    this.instrumentation = instrumentation;
    this.retrier = createRetry(env.retryEnv, { ...o.retry });
    this.lastRequest = env.now();
    this.sharedHeartbeat = sharedPromiseTo(async ({ interval }: { interval: number }) => {
      const { groupId, generationId, memberId } = this;
      const now = this.env.now();
      if (memberId && now >= this.lastRequest + interval) {
        const payload = { groupId, memberId, groupGenerationId: generationId };
        await (this.coordinator as ClientBroker).heartbeat(groupId, generationId as number, memberId);
        this.instrumentation.emit(CONSUMER_EVENTS.HEARTBEAT, payload);
        this.lastRequest = this.env.now();
      }
    });
  }

  /** Whether this member is the group's leader (it computes the assignment). */
  isLeader(): boolean {
    return Boolean(this.leaderId && this.memberId === this.leaderId);
  }

  /** Broker ids of the cached metadata (one fetcher each). */
  getNodeIds(): string[] {
    return this.cluster.getNodeIds();
  }

  /** Connects the cluster view and loads metadata. */
  async connect(): Promise<void> {
    await this.cluster.connect();
    this.instrumentation.emit(CONSUMER_EVENTS.CONNECT);
    await this.cluster.refreshMetadataIfNecessary();
  }

  private async join(): Promise<void> {
    this.coordinator = await this.cluster.findGroupCoordinator({ groupId: this.groupId });
    const protocols = this.o.assigners.map((a) => a.protocol({ topics: this.topicsSubscribed }));
    const data = await this.coordinator.joinGroup({
      groupId: this.groupId, sessionTimeout: this.o.sessionTimeout, rebalanceTimeout: this.o.rebalanceTimeout,
      memberId: this.memberId || '',
      protocols: protocols.map((p) => ({ name: p.name, metadata: new Uint8Array(p.metadata) })),
    });
    this.generationId = data.generationId;
    this.leaderId = data.leaderId;
    this.memberId = data.memberId;
    this.members = data.members;
    this.groupProtocol = data.groupProtocol;
  }

  /** LeaveGroup (when a member id is held), then forgets the member id. */
  async leave(): Promise<void> {
    if (this.memberId) {
      await (this.coordinator as ClientBroker).leaveGroup(this.groupId, this.memberId);
      this.memberId = null;
    }
  }

  private async sync(): Promise<void> {
    let assignment: Array<{ memberId: string; memberAssignment: Uint8Array }> = [];
    const { groupId, generationId, memberId, groupProtocol, topicsSubscribed } = this;
    if (this.isLeader()) {
      this.logger.debug('Chosen as group leader', { groupId, generationId, memberId, topics: this.topics });
      const assigner = this.o.assigners.find(({ name }) => name === groupProtocol);
      if (!assigner) {
        throw new KafkaJSNonRetriableError(`Unsupported partition assigner "${groupProtocol}", the assigner wasn't found in the assigners list`);
      }
      await this.cluster.refreshMetadata();
      const result = await assigner.assign({
        members: this.members.map((m) => ({ memberId: m.memberId, memberMetadata: Buffer.from(m.memberMetadata) })),
        topics: topicsSubscribed,
      });
      assignment = result.map((a) => ({ memberId: a.memberId, memberAssignment: new Uint8Array(a.memberAssignment) }));
    }
    this.partitionsPerSubscribedTopic = this.generatePartitionsPerSubscribedTopic();
    const bytes = await (this.coordinator as ClientBroker).syncGroup(groupId, generationId as number, memberId as string, assignment);
    const decoded = decodeAssignment(bytes);
    const decodedAssignment = decoded !== null ? decoded.assignment : {};
    const assignedTopics = Object.keys(decodedAssignment);
    const notSubscribed = assignedTopics.filter((t) => !topicsSubscribed.includes(t));
    if (notSubscribed.length > 0) {
      const payload = { groupId, generationId, memberId, assignedTopics, topicsSubscribed, topicsNotSubscribed: notSubscribed };
      this.instrumentation.emit(CONSUMER_EVENTS.RECEIVED_UNSUBSCRIBED_TOPICS, payload);
      this.logger.warn('Consumer group received unsubscribed topics', {
        ...payload, helpUrl: 'https://kafka.js.org/docs/faq#why-am-i-receiving-messages-for-topics-i-m-not-subscribed-to',
      });
    }
    const current = assignedTopics.filter((t) => !notSubscribed.includes(t)).map((topic) => ({ topic, partitions: decodedAssignment[topic] }));
    for (const { topic, partitions } of current) {
      const known = this.partitionsPerSubscribedTopic.get(topic) ?? [];
      if (!partitions.every((p) => known.includes(p))) {
        this.logger.warn('Consumer is not aware of all assigned partitions, refreshing metadata', {
          groupId, generationId, memberId, topic, knownPartitions: known, assignedPartitions: partitions,
        });
        await this.cluster.refreshMetadata();
        this.partitionsPerSubscribedTopic = this.generatePartitionsPerSubscribedTopic();
        break;
      }
    }
    this.topics = current.map(({ topic }) => topic);
    this.subscriptionState.assign(current);
    this.offsetManager = new OffsetManager({
      cluster: this.cluster, coordinator: this.coordinator as ClientBroker,
      memberAssignment: Object.fromEntries(current.map(({ topic, partitions }) => [topic, partitions])),
      autoCommit: this.o.autoCommit, autoCommitInterval: this.o.autoCommitInterval, autoCommitThreshold: this.o.autoCommitThreshold,
      topicConfigurations: this.o.topicConfigurations, instrumentation: this.instrumentation, groupId,
      generationId: generationId as number, memberId: memberId as string, now: this.env.now,
    });
  }

  /** Joins the group and gets the member's partitions (see the module doc). */
  joinAndSync(): Promise<void> {
    const startJoin = this.env.now();
    return this.retrier(async (bail) => {
      try {
        await this.join();
        await this.sync();
        const memberAssignment = Object.fromEntries(this.assigned().map(({ topic, partitions }) => [topic, partitions]));
        const payload = {
          groupId: this.groupId, memberId: this.memberId, leaderId: this.leaderId, isLeader: this.isLeader(),
          memberAssignment, groupProtocol: this.groupProtocol, duration: this.env.now() - startJoin,
        };
        this.instrumentation.emit(CONSUMER_EVENTS.GROUP_JOIN, payload);
        this.logger.info('Consumer has joined the group', payload);
      } catch (e) {
        const error = e as KafkaJSError & { type?: string };
        if (isRebalancing(error)) throw new KafkaJSError(error);
        if (error.type === 'UNKNOWN_MEMBER_ID') {
          this.memberId = null;
          throw new KafkaJSError(error);
        }
        bail(e);
      }
    });
  }

  /** The partition's next offset goes back to the committed one. */
  resetOffset(tp: { topic: string; partition: number }): void {
    this.offsetManager?.resetOffset(tp);
  }

  /** Marks `offset` processed (the next offset is offset + 1). */
  resolveOffset(tpo: { topic: string; partition: number; offset: string }): void {
    this.offsetManager?.resolveOffset(tpo);
  }

  /** Queues a seek applied at the next fetch. */
  seek({ topic, partition, offset }: { topic: string; partition: number; offset: string }): void {
    this.seekOffset.set(topic, partition, offset);
  }

  /** Pauses partitions (logged at INFO, as kafkajs). */
  pause(topicPartitions: Array<{ topic: string; partitions?: number[] }>): void {
    this.logger.info(`Pausing fetching from ${topicPartitions.length} topics`, { topicPartitions });
    this.subscriptionState.pause(topicPartitions);
  }

  /** Resumes partitions (logged at INFO, as kafkajs). */
  resume(topicPartitions: Array<{ topic: string; partitions?: number[] }>): void {
    this.logger.info(`Resuming fetching from ${topicPartitions.length} topics`, { topicPartitions });
    this.subscriptionState.resume(topicPartitions);
  }

  /** The member's partitions. */
  assigned(): TopicPartitions[] {
    return this.subscriptionState.assigned();
  }

  /** The member's paused partitions. */
  paused(): TopicPartitions[] {
    return this.subscriptionState.paused();
  }

  /** Whether topic/partition is paused. */
  isPaused(topic: string, partition: number): boolean {
    return this.subscriptionState.isPaused(topic, partition);
  }

  /** Auto-commit if the interval or threshold says so. */
  async commitOffsetsIfNecessary(): Promise<void> {
    await (this.offsetManager as OffsetManager).commitOffsetsIfNecessary();
  }

  /** Commits `offsets` (default: every resolved offset not committed yet). */
  async commitOffsets(offsets?: Partial<OffsetsByTopic>): Promise<void> {
    await (this.offsetManager as OffsetManager).commitOffsets(offsets);
  }

  /** Resolved offsets not committed yet. */
  uncommittedOffsets(): OffsetsByTopic {
    return (this.offsetManager as OffsetManager).uncommittedOffsets();
  }

  /** A heartbeat if `interval` ms passed since the last one (shared by concurrent callers). */
  async heartbeat({ interval }: { interval: number }): Promise<void> {
    return this.sharedHeartbeat({ interval });
  }

  /** Whether a seek waits for topic/partition. */
  hasSeekOffset({ topic, partition }: { topic: string; partition: number }): boolean {
    return this.seekOffset.has(topic, partition);
  }

  /** Fetches this member's partitions led by `nodeId` (see the module doc); resolves with one Batch per partition. */
  async fetch(nodeId: string): Promise<Batch[]> {
    try {
      await this.cluster.refreshMetadataIfNecessary();
      this.checkForStaleAssignment();
      const topicPartitions = this.assigned().map(({ topic, partitions }) => ({
        topic, partitions: partitions.filter((p) => String(this.leaderOf(topic, p)) === String(nodeId)),
      }));
      await this.seekOffsets(topicPartitions);
      const offsetManager = this.offsetManager as OffsetManager;
      const committed = offsetManager.committedOffsets();
      const requests = topicPartitions.flatMap(({ topic, partitions }) => partitions
        .filter((p) => committed[topic]?.[p] != null && !this.isPaused(topic, p))
        .map((partition) => ({ topic, partition, fetchOffset: offsetManager.nextOffset(topic, partition), maxBytes: this.o.maxBytesPerPartition })));
      if (requests.length === 0) {
        await new Promise<void>((resolve) => this.env.model.clientTimer(this.env.handle, this.o.maxWaitTimeInMs, true, resolve));
        return [];
      }
      const broker = await this.cluster.findBroker({ nodeId });
      const results = await broker.fetch({
        maxWaitMs: this.o.maxWaitTimeInMs, minBytes: this.o.minBytes, maxBytes: this.o.maxBytes, partitions: requests, materialize: true,
      });
      return results
        .filter((r) => !this.seekOffset.has(r.topic, r.partition) && !this.isPaused(r.topic, r.partition))
        .map((r) => {
          const request = requests.find((q) => q.topic === r.topic && q.partition === r.partition);
          return new Batch(r.topic, r.partition, String(request?.fetchOffset ?? r.fromOffset), r.highWatermark,
            (r.records ?? []).map(toKafkaMessage));
        });
    } catch (e) {
      await this.recoverFromFetch(e as KafkaJSError & { type?: string; topic?: string; partition?: number });
      return [];
    }
  }

  private leaderOf(topic: string, partition: number): number | undefined {
    return this.cluster.findTopicPartitionMetadata(topic).find((p) => p.partitionId === partition)?.leader;
  }

  private async recoverFromFetch(e: KafkaJSError & { type?: string; topic?: string; partition?: number; host?: string; port?: number }): Promise<void> {
    if ((e.type !== undefined && STALE_METADATA_ERRORS.includes(e.type)) || e.name === 'KafkaJSTopicMetadataNotLoaded') {
      this.logger.debug('Stale cluster metadata, refreshing...', { groupId: this.groupId, memberId: this.memberId, error: e.message });
      await this.cluster.refreshMetadata();
      await this.joinAndSync();
      return;
    }
    if (e.name === 'KafkaJSStaleTopicMetadataAssignment') {
      const stale = e as unknown as KafkaJSStaleTopicMetadataAssignment;
      this.logger.warn(`${e.message}, resync group`, { groupId: this.groupId, memberId: this.memberId, topic: stale.topic, unknownPartitions: stale.unknownPartitions });
      await this.joinAndSync();
      return;
    }
    if (e.name === 'KafkaJSOffsetOutOfRange') {
      this.logger.error('Offset out of range, resetting to default offset', { topic: e.topic, partition: e.partition, groupId: this.groupId, memberId: this.memberId });
      await (this.offsetManager as OffsetManager).setDefaultOffset({ topic: e.topic as string, partition: e.partition as number });
      return;
    }
    if (e.name === 'KafkaJSConnectionClosedError') {
      this.cluster.removeBroker({ host: e.host, port: e.port });
      return;
    }
    if (e.name === 'KafkaJSBrokerNotFound') {
      this.logger.debug(`${e.message}, refreshing metadata and retrying...`);
      await this.cluster.refreshMetadata();
      return;
    }
    throw e;
  }

  private generatePartitionsPerSubscribedTopic(): Map<string, number[]> {
    const map = new Map<string, number[]>();
    for (const topic of this.topicsSubscribed) {
      map.set(topic, this.cluster.findTopicPartitionMetadata(topic).map((m) => m.partitionId).sort());
    }
    return map;
  }

  private checkForStaleAssignment(): void {
    if (this.partitionsPerSubscribedTopic === null) return;
    for (const [topic, partitions] of this.generatePartitionsPerSubscribedTopic()) {
      const before = this.partitionsPerSubscribedTopic.get(topic) ?? [];
      const diff = partitions.filter((p) => !before.includes(p));
      if (diff.length > 0) throw new KafkaJSStaleTopicMetadataAssignment('Topic has been updated', { topic, unknownPartitions: diff });
    }
  }

  private async seekOffsets(topicPartitions: TopicPartitions[]): Promise<void> {
    for (const { topic, partitions } of topicPartitions) {
      for (const partition of partitions) {
        const entry = this.seekOffset.pop(topic, partition);
        if (entry === undefined) continue;
        this.logger.debug('Seek offset', { groupId: this.groupId, memberId: this.memberId, seek: entry });
        await (this.offsetManager as OffsetManager).seek(entry);
      }
    }
    await (this.offsetManager as OffsetManager).resolveOffsets();
  }
}

/** kafkajs's `PartitionAssigners.roundRobin` (consumer/assigners/roundRobinAssigner), over a cluster view. */
export function roundRobinAssigner({ cluster }: { cluster: { findTopicPartitionMetadata(topic: string): Array<{ partitionId: number }> } }): Assigner {
  return {
    name: 'RoundRobinAssigner',
    version: 0,
    async assign({ members, topics }) {
      const sorted = members.map(({ memberId }) => memberId).sort();
      // An object keyed by member id, as kafkajs keeps it, so the result lists members in the same order
      // (integer-like ids first); null-prototype, so an id like "toString" cannot reach Object.prototype.
      const assignment = Object.create(null) as Record<string, Record<string, number[]>>;
      const topicsPartitions = topics.flatMap((topic) => cluster.findTopicPartitionMetadata(topic).map((m) => ({ topic, partitionId: m.partitionId })));
      topicsPartitions.forEach((tp, i) => {
        const assignee = sorted[i % sorted.length];
        const a = (assignment[assignee] ??= Object.create(null) as Record<string, number[]>);
        (a[tp.topic] ??= []).push(tp.partitionId);
      });
      return Object.keys(assignment).map((memberId) => ({
        memberId, memberAssignment: Buffer.from(encodeAssignment({ version: this.version, assignment: assignment[memberId] })),
      }));
    },
    protocol({ topics }) {
      return { name: this.name, metadata: Buffer.from(encodeMemberMetadata({ version: this.version, topics })) };
    },
  };
}
