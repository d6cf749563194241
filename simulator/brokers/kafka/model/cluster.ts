/**
 * The simulated Kafka cluster: brokers, topics and partitions, the controller, group coordinators, and the network
 * between clients and brokers. Clients (the kafkajs facade, scenario clients) reach it only through this class's
 * request methods, which take plain data and a callback — no promises, so the model stays deterministic and the
 * runner can tell client work from broker work (`RuntimeContext.observe`).
 *
 * Network: a request leaves the client at `t`, reaches its broker at `t + latencyMs`, is handled there (maybe
 * waiting: a long-poll fetch, an acks=all produce, a JoinGroup), and the answer reaches the client `latencyMs`
 * after the broker sends it. A request to a stopped broker comes back as a refused connection after the round trip
 * (`CONNECTION_REFUSED`); answers to a client that went away are dropped.
 *
 * What lives where: `partition-log.ts` (a partition's records, segments, retention, idempotence state),
 * `replication.ts` (followers, ISR, high watermark, leader election), `produce.ts`, `fetch.ts`,
 * `consumer-group.ts` (the group coordinator), `config.ts` (topic configs), `assignors.ts` (client-side
 * assignment). Broker and topic defaults are Kafka's (`KafkaClusterOptions`).
 *
 * Simplified (see each file): the controller is the live broker with the lowest id and acts at once; a group's
 * coordinator is broker `partitionFor(groupId) % brokers`, or the next running one while it is down (Kafka: the
 * leader of partition `abs(groupId.hashCode) % 50` of __consumer_offsets), and the group's state survives a
 * coordinator move (Kafka reloads it from __consumer_offsets); requests the old coordinator's address receives
 * get NOT_COORDINATOR_FOR_GROUP (or a refused connection while it is down).
 */
import { SIMULATED_EPOCH_MS } from '../../../core/clock.ts';
import type { Engine, TimerId } from '../../../core/engine.ts';
import type { Prng } from '../../../core/prng.ts';
import type { KafkaBrokerInfo, KafkaPartitionInfo, TraceEventInput } from '../../../trace.ts';
import { invalidTopicName, isConfigProblem, topicConfigFrom, TOPIC_CONFIG_DEFAULTS, type TopicConfig } from './config.ts';
import {
  ConsumerGroup, type CommittedOffset, type GroupDescription, type JoinRequest, type JoinResponse,
} from './consumer-group.ts';
import type { KafkaErrorType } from './errors.ts';
import { msgCount } from './msg-list.ts';
import { handleFetch, listOffset, type FetchPartitionResult, type FetchRequest } from './fetch.ts';
import { handleProduce, type ProduceBatch, type ProducePartitionResult, type ProduceRequest } from './produce.ts';
import {
  computeHighWatermark, onBrokerStarted, onBrokerStopped, scheduleFollowers, updateHighWatermark, type ReplicationHost,
} from './replication.ts';
import { Partition, Topic } from './topic.ts';

/** Options of a cluster (Kafka broker configs where one exists). Times in simulated ms. */
export interface KafkaClusterOptions {
  /** Number of brokers, ids 0 … n-1 (1–9, default 3). */
  brokerCount?: number;
  /** Host the brokers advertise (default 'localhost'); broker i listens on port 9092 + i. */
  host?: string;
  /** One-way client↔broker latency (0–60000 ms, default 10, like the AMQP model). */
  latencyMs?: number;
  /** Time for a follower to copy new records (default 2 × latencyMs, see replication.ts). */
  replicationDelayMs?: number;
  /** auto.create.topics.enable (default true). */
  autoCreateTopics?: boolean;
  /** num.partitions for auto-created topics and CreateTopics with -1 (default 1). */
  defaultPartitions?: number;
  /** default.replication.factor (default 1). */
  defaultReplicationFactor?: number;
  /** log.retention.check.interval.ms (default 300000, Kafka's 5 minutes). */
  retentionCheckIntervalMs?: number;
  /** Broker-wide topic config defaults (log.retention.ms, …) over Kafka's. */
  topicDefaults?: Partial<TopicConfig>;
}

/** Named limits of the model (bad input never grows it without bound). */
export const KAFKA_LIMITS = Object.freeze({
  /** Most brokers a cluster may have. */
  brokersMax: 9,
  /** Most partitions one topic may have. */
  partitionsPerTopicMax: 1000,
  /** Most topics a cluster may hold. */
  topicsMax: 1000,
  /** Most consumer groups a cluster may hold. */
  groupsMax: 1000,
  /** Most records one produce batch may carry. */
  recordsPerBatchMax: 100_000,
});

/** A client connection as the model knows it (plain data; `id` is `k<N>`). */
export interface ClientHandle {
  readonly id: string;
  readonly label: string;
  readonly role: 'producer' | 'consumer' | 'admin';
  open: boolean;
  nextRequest: number;
}

/** An answer: a value, or a failure of the connection itself. */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: 'CONNECTION_REFUSED' };

/** A broker in a metadata answer (kafkajs's field names). */
export interface BrokerMetadata {
  nodeId: number;
  host: string;
  port: number;
  rack: null;
}

/** A partition in a metadata answer (kafkajs's field names). */
export interface PartitionMetadata {
  partitionErrorCode: number;
  partitionId: number;
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

/** A topic in a metadata answer. */
export interface TopicMetadata {
  topicErrorCode: number;
  error?: KafkaErrorType;
  topic: string;
  isInternal: boolean;
  partitionMetadata: PartitionMetadata[];
}

/** A Metadata answer. */
export interface MetadataResponse {
  brokers: BrokerMetadata[];
  clusterId: string;
  controllerId: number;
  topicMetadata: TopicMetadata[];
}

/** One topic of a CreateTopics request (kafkajs's field names; -1 = the broker's default). */
export interface CreateTopicSpec {
  topic: string;
  numPartitions?: number;
  replicationFactor?: number;
  replicaAssignment?: Array<{ partition: number; replicas: number[] }>;
  configEntries?: Array<{ name: string; value: string | null }>;
}

/** Kafka error code of a type name (0 for none). */
export type ErrorCodeOf = (type: KafkaErrorType | undefined) => number;

/** The cluster id metadata answers carry (a fixed, made-up id). */
export const CLUSTER_ID = 'mq-lab-kafka-cluster';

/** The simulated cluster of one run (see the module doc). */
export class KafkaCluster implements ReplicationHost {
  readonly engine: Engine;
  readonly latencyMs: number;
  readonly replicationDelayMs: number;
  readonly brokers: readonly KafkaBrokerInfo[];
  private readonly up: boolean[];
  private readonly topics = new Map<string, Topic>();
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly rng: Prng;
  private readonly autoCreateTopics: boolean;
  private readonly defaultPartitions: number;
  private readonly defaultReplicationFactor: number;
  private readonly retentionCheckIntervalMs: number;
  private readonly topicDefaults: TopicConfig;
  private readonly errorCode: ErrorCodeOf;
  private nextClient = 1;
  private nextMsg = 1;
  private nextTopicId = 1;
  private nextProducerId = 1000;
  private retentionTimer: TimerId | null = null;
  /** Scenario hook: decide per produce attempt whether the network loses the request or its answer. */
  produceFault: ((client: ClientHandle, req: ProduceRequest) => 'drop-request' | 'drop-response' | undefined) | undefined;

  /**
   * @param errorCode maps an error type to its protocol code (`kafkaErrorCode` from errors.ts; injected so this
   *   file does not depend on the table's shape).
   * @throws RangeError for options out of range (named in the message).
   */
  constructor(engine: Engine, options: KafkaClusterOptions, errorCode: ErrorCodeOf) {
    this.engine = engine;
    this.errorCode = errorCode;
    const count = options.brokerCount ?? 3;
    checkInt('brokerCount', count, 1, KAFKA_LIMITS.brokersMax);
    this.latencyMs = options.latencyMs ?? 10;
    checkInt('latencyMs', this.latencyMs, 0, 60_000);
    this.replicationDelayMs = options.replicationDelayMs ?? 2 * this.latencyMs;
    checkInt('replicationDelayMs', this.replicationDelayMs, 0, 600_000);
    this.autoCreateTopics = options.autoCreateTopics ?? true;
    this.defaultPartitions = options.defaultPartitions ?? 1;
    checkInt('defaultPartitions', this.defaultPartitions, 1, KAFKA_LIMITS.partitionsPerTopicMax);
    this.defaultReplicationFactor = options.defaultReplicationFactor ?? 1;
    checkInt('defaultReplicationFactor', this.defaultReplicationFactor, 1, count);
    this.retentionCheckIntervalMs = options.retentionCheckIntervalMs ?? 300_000;
    checkInt('retentionCheckIntervalMs', this.retentionCheckIntervalMs, 1, 86_400_000);
    this.topicDefaults = { ...TOPIC_CONFIG_DEFAULTS, ...options.topicDefaults };
    const host = options.host ?? 'localhost';
    this.brokers = Array.from({ length: count }, (_, id) => ({ id, host, port: 9092 + id }));
    this.up = this.brokers.map(() => true);
    this.rng = engine.rng.fork();
    this.record({ kind: 'kafka-cluster', brokers: this.brokers.map((b) => ({ ...b })), controller: 0 });
  }

  // ───────────────────────────── basics ─────────────────────────────

  /** Appends a trace entry at the current simulated time. */
  record(event: TraceEventInput): void {
    this.engine.record(event);
  }

  /** The brokers' wall clock: simulated epoch + now (what record timestamps and retention use), ms. */
  nowEpochMs(): number {
    return SIMULATED_EPOCH_MS + this.engine.nowMs;
  }

  /** A new message number (ids `m<N>`), unique in the run. */
  newMsgNum(): number {
    return this.nextMsg++;
  }

  /** Reserves `n` consecutive message numbers and returns the first. */
  newMsgNums(n: number): number {
    const first = this.nextMsg;
    this.nextMsg += n;
    return first;
  }

  /** Whether broker `broker` runs. */
  isBrokerUp(broker: number): boolean {
    return this.up[broker] === true;
  }

  /** Ids of the running brokers, ascending. */
  liveBrokers(): number[] {
    return this.brokers.filter((b) => this.up[b.id]).map((b) => b.id);
  }

  /** The controller: the live broker with the lowest id (-1 when none runs). */
  controllerId(): number {
    return this.liveBrokers()[0] ?? -1;
  }

  /** A fresh random UUID (version-4 layout) from the cluster's PRNG. */
  uuid(): string {
    const hex = (n: number) => {
      let s = '';
      for (let i = 0; i < n; i++) s += (this.rng.nextUint32() & 15).toString(16);
      return s;
    };
    return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[this.rng.nextUint32() & 3]}${hex(3)}-${hex(12)}`;
  }

  /** A random unsigned 32-bit integer from the cluster's PRNG (clients' random choices). */
  randomUint32(): number {
    return this.rng.nextUint32();
  }

  /** A new client connection; records `kafka-client`. */
  connectClient(role: ClientHandle['role'], label: string, clientId: string, groupId?: string): ClientHandle {
    const client: ClientHandle = { id: `k${this.nextClient++}`, label, role, open: true, nextRequest: 1 };
    this.record({ kind: 'kafka-client', client: client.id, role, label, clientId, ...(groupId !== undefined ? { groupId } : {}) });
    return client;
  }

  /** The client is gone (disconnected, crashed, its process ended): answers to it are dropped from now on. */
  closeClient(client: ClientHandle, reason: 'disconnected' | 'crashed' | 'process-ended'): void {
    if (!client.open) return;
    client.open = false;
    this.record({ kind: 'kafka-client-closed', client: client.id, reason });
  }

  /** Schedules `fn` after `delayMs` for a client (its own timers: sleeps, retry backoff); idle ones are polls. */
  clientTimer(client: ClientHandle, delayMs: number, idle: boolean, fn: () => void): TimerId {
    const run = () => {
      if (client.open) fn();
    };
    return idle ? this.engine.scheduleIdle(delayMs, run) : this.engine.schedule(delayMs, run);
  }

  /** Cancels a `clientTimer`. */
  cancelTimer(id: TimerId): void {
    this.engine.cancel(id);
  }

  /**
   * The network round trip of one request: at the broker (if it runs) `handle` runs and answers through
   * `respond`; the answer reaches `onReply` `latencyMs` later, if the client is still open. `handle` may return a
   * cancel function (called if the client goes away first — not modelled: the broker still answers into the void).
   */
  private roundTrip<T>(client: ClientHandle, broker: number, handle: (respond: (value: T) => void) => void,
    onReply: (reply: Reply<T>) => void): void {
    if (!client.open) return;
    const latency = this.latencyMs;
    this.engine.schedule(latency, () => {
      if (!this.isBrokerUp(broker)) {
        this.engine.schedule(latency, () => {
          if (client.open) onReply({ ok: false, error: 'CONNECTION_REFUSED' });
        });
        return;
      }
      handle((value) => {
        this.engine.schedule(latency, () => {
          if (client.open) onReply({ ok: true, value });
        });
      });
    });
  }

  // ───────────────────────────── topics ─────────────────────────────

  /** The partition, or undefined when the topic or partition does not exist. */
  partitionOf(topic: string, partition: number): Partition | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  /** Whether the topic exists. */
  topicExists(topic: string): boolean {
    return this.topics.has(topic);
  }

  /** Topic names, in creation order. */
  topicNames(): string[] {
    return [...this.topics.keys()];
  }

  /** A topic's partitions (for scenarios, views and tests), or undefined. */
  topic(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  private *allPartitions(): Iterable<Partition> {
    for (const t of this.topics.values()) yield* t.partitions;
  }

  /**
   * Kafka's rack-unaware replica placement (`AdminUtils.assignReplicasToBrokers`): partition i's first replica
   * is broker (i + start) mod n, the others follow at a shift that grows every n partitions; `start` and the
   * initial shift are random (here from the seeded PRNG).
   */
  private assignReplicas(count: number, rf: number, firstPartition: number): number[][] {
    const brokers = this.liveBrokers();
    const n = brokers.length;
    const start = this.rng.nextUint32() % n;
    let shift = this.rng.nextUint32() % n;
    const out: number[][] = [];
    for (let i = firstPartition; i < firstPartition + count; i++) {
      if (i > 0 && i % n === 0) shift++;
      const first = (i + start) % n;
      const replicas = [brokers[first]];
      for (let j = 0; j < rf - 1; j++) replicas.push(brokers[(first + 1 + ((shift + j) % (n - 1))) % n]);
      out.push(replicas);
    }
    return out;
  }

  /**
   * Creates a topic (CreateTopics at the controller, or auto-creation). Returns the error type, if any:
   * TOPIC_ALREADY_EXISTS, INVALID_TOPIC_EXCEPTION, INVALID_PARTITIONS (< 1 or over the limit),
   * INVALID_REPLICATION_FACTOR (< 1 or more than the live brokers), INVALID_CONFIG, INVALID_REQUEST (a replica
   * assignment naming unknown brokers).
   */
  createTopic(spec: CreateTopicSpec, validateOnly = false): KafkaErrorType | undefined {
    if (this.topics.has(spec.topic)) return 'TOPIC_ALREADY_EXISTS';
    if (invalidTopicName(spec.topic) !== undefined) return 'INVALID_TOPIC_EXCEPTION';
    if (this.topics.size >= KAFKA_LIMITS.topicsMax) return 'INVALID_REQUEST';
    const config = topicConfigFrom(spec.configEntries ?? [], this.topicDefaults);
    if (isConfigProblem(config)) return 'INVALID_CONFIG';
    let assignment: number[][];
    const manual = spec.replicaAssignment ?? [];
    if (manual.length > 0) {
      const sorted = [...manual].sort((a, b) => a.partition - b.partition);
      if (sorted.some((a, i) => a.partition !== i || a.replicas.length === 0 ||
        a.replicas.some((r) => !Number.isInteger(r) || this.brokers[r] === undefined))) return 'INVALID_REQUEST';
      if (sorted.length > KAFKA_LIMITS.partitionsPerTopicMax) return 'INVALID_PARTITIONS';
      assignment = sorted.map((a) => [...a.replicas]);
    } else {
      const count = spec.numPartitions === undefined || spec.numPartitions === -1 ? this.defaultPartitions : spec.numPartitions;
      if (!Number.isInteger(count) || count < 1 || count > KAFKA_LIMITS.partitionsPerTopicMax) return 'INVALID_PARTITIONS';
      const rf = spec.replicationFactor === undefined || spec.replicationFactor === -1
        ? this.defaultReplicationFactor : spec.replicationFactor;
      if (!Number.isInteger(rf) || rf < 1 || rf > this.liveBrokers().length) return 'INVALID_REPLICATION_FACTOR';
      assignment = this.assignReplicas(count, rf, 0);
    }
    if (validateOnly) return undefined;
    const topic = new Topic(spec.topic, this.nextTopicId++, config);
    this.topics.set(spec.topic, topic);
    this.addPartitions(topic, assignment);
    this.record({
      kind: 'kafka-topic-created', topic: spec.topic, partitions: topic.partitions.map(partitionInfo), config: { ...config },
    });
    this.ensureRetentionTimer();
    return undefined;
  }

  private addPartitions(topic: Topic, assignment: number[][]): void {
    for (const replicas of assignment) {
      const live = replicas.filter((r) => this.isBrokerUp(r));
      const p = new Partition(topic.name, topic.partitions.length, replicas, live[0] ?? -1);
      p.isr = live;
      p.lastIsr = [...live];
      topic.partitions.push(p);
    }
  }

  /** Grows a topic to `count` partitions (CreatePartitions); INVALID_PARTITIONS unless it grows. */
  createPartitions(topicName: string, count: number, validateOnly = false): KafkaErrorType | undefined {
    const topic = this.topics.get(topicName);
    if (topic === undefined) return 'UNKNOWN_TOPIC_OR_PARTITION';
    const current = topic.partitions.length;
    if (!Number.isInteger(count) || count <= current || count > KAFKA_LIMITS.partitionsPerTopicMax) return 'INVALID_PARTITIONS';
    if (validateOnly) return undefined;
    const rf = topic.partitions[0]?.replicas.length ?? 1;
    if (rf > this.liveBrokers().length) return 'INVALID_REPLICATION_FACTOR';
    this.addPartitions(topic, this.assignReplicas(count - current, rf, current));
    this.record({ kind: 'kafka-partitions-created', topic: topicName, partitions: topic.partitions.slice(current).map(partitionInfo) });
    return undefined;
  }

  /** Deletes a topic (its records, its committed offsets in every group). */
  deleteTopic(topicName: string): KafkaErrorType | undefined {
    const topic = this.topics.get(topicName);
    if (topic === undefined) return 'UNKNOWN_TOPIC_OR_PARTITION';
    this.topics.delete(topicName);
    for (const p of topic.partitions) {
      for (const w of [...p.waitingFetches]) w.wake();
      const acks = p.pendingAcks;
      p.pendingAcks = [];
      for (const a of acks) a.complete('NOT_LEADER_FOR_PARTITION');
    }
    for (const g of this.groups.values()) g.forgetTopic(topicName);
    this.record({ kind: 'kafka-topic-deleted', topic: topicName });
    return undefined;
  }

  /** Sets topic configs (scenarios; admin alterConfigs is not modelled). */
  setTopicConfig(topicName: string, config: Partial<TopicConfig>): void {
    const topic = this.topics.get(topicName);
    if (topic !== undefined) topic.config = { ...topic.config, ...config };
  }

  private ensureRetentionTimer(): void {
    if (this.retentionTimer !== null) return;
    const tick = () => {
      this.retentionTimer = this.engine.scheduleCall(this.retentionCheckIntervalMs, tick, undefined, true);
      this.applyRetention();
    };
    this.retentionTimer = this.engine.scheduleCall(this.retentionCheckIntervalMs, tick, undefined, true);
  }

  /** One retention pass over every partition led by a running broker (see partition-log.ts). */
  applyRetention(): void {
    const now = this.nowEpochMs();
    for (const t of this.topics.values()) {
      for (const p of t.partitions) {
        if (p.leader < 0) continue;
        const r = p.log.applyRetention(now, t.config['retention.ms'], t.config['retention.bytes'], p.highWatermark);
        if (r !== null) {
          this.record({
            kind: 'kafka-records-deleted', topic: t.name, partition: p.id, logStartOffset: r.logStartOffset,
            count: r.count, reason: r.reason,
          });
        }
      }
    }
  }

  // ───────────────────────────── brokers ─────────────────────────────

  /** Stops broker `id` (a controlled shutdown, see replication.ts); no-op if it is already down. */
  stopBroker(id: number): void {
    checkInt('broker', id, 0, this.brokers.length - 1);
    if (!this.up[id]) return;
    this.up[id] = false;
    this.record({ kind: 'kafka-broker-stopped', broker: id });
    onBrokerStopped(this, this.allPartitions(), id);
  }

  /** Starts broker `id` again; its replicas catch up. */
  startBroker(id: number): void {
    checkInt('broker', id, 0, this.brokers.length - 1);
    if (this.up[id]) return;
    this.up[id] = true;
    this.record({ kind: 'kafka-broker-started', broker: id });
    onBrokerStarted(this, this.allPartitions(), id);
  }

  /** Wakes every fetch waiting on `p` (its high watermark moved, its leader changed). */
  wakeFetches(p: Partition): void {
    if (p.waitingFetches.size === 0) return;
    for (const w of [...p.waitingFetches]) w.wake();
  }

  // ───────────────────────────── requests: metadata, admin ─────────────────────────────

  private partitionMetadata(p: Partition): PartitionMetadata {
    return {
      partitionErrorCode: p.leader < 0 ? this.errorCode('LEADER_NOT_AVAILABLE') : 0,
      partitionId: p.id, leader: p.leader, leaderEpoch: p.leaderEpoch, replicas: [...p.replicas], isr: [...p.isr],
      offlineReplicas: p.replicas.filter((r) => !this.isBrokerUp(r)),
    };
  }

  /** Metadata as broker `broker` would answer now (topics null: all), auto-creating topics when allowed. */
  metadataNow(topics: readonly string[] | null, allowAutoTopicCreation: boolean): MetadataResponse {
    const names = topics ?? [...this.topics.keys()];
    const topicMetadata: TopicMetadata[] = [];
    for (const name of names) {
      const topic = this.topics.get(name);
      if (topic !== undefined) {
        topicMetadata.push({ topicErrorCode: 0, topic: name, isInternal: false, partitionMetadata: topic.partitions.map((p) => this.partitionMetadata(p)) });
        continue;
      }
      let error: KafkaErrorType = 'UNKNOWN_TOPIC_OR_PARTITION';
      if (invalidTopicName(name) !== undefined) error = 'INVALID_TOPIC_EXCEPTION';
      else if (allowAutoTopicCreation && this.autoCreateTopics && this.createTopic({ topic: name }) === undefined) {
        // Kafka answers the request that created the topic before its leaders are elected.
        error = 'LEADER_NOT_AVAILABLE';
      }
      topicMetadata.push({ topicErrorCode: this.errorCode(error), error, topic: name, isInternal: false, partitionMetadata: [] });
    }
    return {
      brokers: this.liveBrokers().map((id) => ({ nodeId: id, host: this.brokers[id].host, port: this.brokers[id].port, rack: null })),
      clusterId: CLUSTER_ID, controllerId: this.controllerId(), topicMetadata,
    };
  }

  /** ApiVersions: the first request on a new connection (kafkajs's `broker.connect`); answers when the broker runs. */
  apiVersions(client: ClientHandle, broker: number, cb: (reply: Reply<Record<string, never>>) => void): void {
    this.roundTrip(client, broker, (respond) => respond({}), cb);
  }

  /** Reopens a client that disconnected and connects again (records `kafka-client` again). */
  reopenClient(client: ClientHandle, clientId: string, groupId?: string): void {
    if (client.open) return;
    client.open = true;
    this.record({
      kind: 'kafka-client', client: client.id, role: client.role, label: client.label, clientId,
      ...(groupId !== undefined ? { groupId } : {}),
    });
  }

  /** Metadata request. */
  metadata(client: ClientHandle, broker: number, topics: string[] | null, allowAutoTopicCreation: boolean,
    cb: (reply: Reply<MetadataResponse>) => void): void {
    this.roundTrip(client, broker, (respond) => respond(this.metadataNow(topics, allowAutoTopicCreation)), cb);
  }

  /** CreateTopics at `broker` (NOT_CONTROLLER if it is not the controller); one error (or none) per topic. */
  createTopics(client: ClientHandle, broker: number, specs: CreateTopicSpec[], validateOnly: boolean,
    cb: (reply: Reply<Array<{ topic: string; error?: KafkaErrorType }>>) => void): void {
    this.roundTrip(client, broker, (respond) => respond(specs.map((s) => {
      const error = broker !== this.controllerId() ? 'NOT_CONTROLLER' : this.createTopic(s, validateOnly);
      return error === undefined ? { topic: s.topic } : { topic: s.topic, error };
    })), cb);
  }

  /** CreatePartitions at `broker`. */
  createPartitionsRequest(client: ClientHandle, broker: number, specs: Array<{ topic: string; count: number }>,
    validateOnly: boolean, cb: (reply: Reply<Array<{ topic: string; error?: KafkaErrorType }>>) => void): void {
    this.roundTrip(client, broker, (respond) => respond(specs.map((s) => {
      const error = broker !== this.controllerId() ? 'NOT_CONTROLLER' : this.createPartitions(s.topic, s.count, validateOnly);
      return error === undefined ? { topic: s.topic } : { topic: s.topic, error };
    })), cb);
  }

  /** DeleteTopics at `broker`. */
  deleteTopics(client: ClientHandle, broker: number, topics: string[],
    cb: (reply: Reply<Array<{ topic: string; error?: KafkaErrorType }>>) => void): void {
    this.roundTrip(client, broker, (respond) => respond(topics.map((t) => {
      const error = broker !== this.controllerId() ? 'NOT_CONTROLLER' : this.deleteTopic(t);
      return error === undefined ? { topic: t } : { topic: t, error };
    })), cb);
  }

  /** InitProducerId (idempotent producers): a new producer id, epoch 0. */
  initProducerId(client: ClientHandle, broker: number, cb: (reply: Reply<{ producerId: number; producerEpoch: number }>) => void): void {
    this.roundTrip(client, broker, (respond) => respond({ producerId: this.nextProducerId++, producerEpoch: 0 }), cb);
  }

  // ───────────────────────────── requests: produce, fetch, offsets ─────────────────────────────

  /**
   * Produce request to `broker` (see produce.ts). Records `kafka-produce-sent` per batch now, `kafka-appended`
   * at the leader, `kafka-produce-response` per batch when answered. `cb` is not called for acks=0 (kafkajs
   * expects no answer) or when the network lost the request or its answer (a scenario's `produceFault`).
   */
  produce(client: ClientHandle, broker: number, req: ProduceRequest, cb: (reply: Reply<ProducePartitionResult[]>) => void): void {
    if (!client.open) return;
    const request = client.nextRequest++;
    const arriveAtMs = this.engine.nowMs + this.latencyMs;
    for (const b of req.batches) {
      const n = msgCount(b.msgs);
      if (n > KAFKA_LIMITS.recordsPerBatchMax) {
        throw new RangeError(`a produce batch may hold at most ${KAFKA_LIMITS.recordsPerBatchMax} records (recordsPerBatchMax), got ${n}`);
      }
      this.record({
        kind: 'kafka-produce-sent', client: client.id, request, broker, topic: b.topic, partition: b.partition,
        ...(Array.isArray(b.msgs) ? { msgs: b.msgs as number[] } : { msgRange: { ...(b.msgs as { first: number; stride: number; count: number }) } }),
        ...(b.keys !== undefined ? { keys: b.keys } : {}), ...(b.previews !== undefined ? { previews: b.previews } : {}),
        ...(b.previewStem !== undefined ? { previewStem: b.previewStem } : {}),
        ...(b.headers !== undefined ? { headers: b.headers } : {}),
        ...(b.explicitTimestamps !== undefined ? { timestamps: b.explicitTimestamps } : {}),
        acks: req.acks, attempt: req.attempt,
        ...(req.producerId >= 0 ? { producerId: req.producerId, baseSequence: b.baseSequence } : {}), arriveAtMs,
      });
    }
    const fault = this.produceFault?.(client, req);
    if (fault === 'drop-request') return;
    this.roundTrip<ProducePartitionResult[]>(client, broker, (respond) => {
      this.producing = { client: client.id, request };
      const host = this.produceHost;
      handleProduce(host, broker, req, (results) => {
        const back = this.engine.nowMs + this.latencyMs;
        for (const r of results) {
          this.record({
            kind: 'kafka-produce-response', client: client.id, request, topic: r.topic, partition: r.partition,
            baseOffset: r.baseOffset, ...(r.error !== undefined ? { error: r.error } : {}),
            ...(r.duplicate === true ? { duplicate: true } : {}), arriveAtMs: back,
          });
        }
        if (fault !== 'drop-response') respond(results);
      });
    }, cb);
  }

  /** The request whose batches `handleProduce` is appending now (for the `kafka-appended` entries). */
  private producing = { client: '', request: 0 };

  /** What produce handling needs (one object for every request). */
  private readonly produceHost = {
    partitionOf: (t: string, p: number) => this.partitionOf(t, p),
    topicExists: (t: string) => this.topicExists(t),
    minInsyncReplicas: (t: string) => this.topics.get(t)?.config['min.insync.replicas'] ?? 1,
    segmentConfig: (t: string) => {
      const c = this.topics.get(t)?.config ?? this.topicDefaults;
      return { bytes: c['segment.bytes'], ms: c['segment.ms'] };
    },
    nowMs: () => this.engine.nowMs,
    append: (p: Partition, b: ProduceBatch, leader: number, producerId: number, producerEpoch: number) =>
      this.append(p, b, leader, this.producing.client, this.producing.request, producerId, producerEpoch),
    after: (ms: number, fn: () => void) => {
      const id = this.engine.schedule(ms, fn);
      return () => this.engine.cancel(id);
    },
  };

  /** Appends a batch to `p`'s log at its leader and lets replication follow. Returns the base offset. */
  private append(p: Partition, b: ProduceBatch, broker: number, client: string, request: number,
    producerId: number, producerEpoch: number): number {
    const config = this.topics.get(p.topic)?.config ?? this.topicDefaults;
    const baseOffset = p.log.append({
      msgs: b.msgs, timestamps: b.timestamps, sizes: b.sizes, payloads: b.payloads, producerId, producerEpoch,
      baseSequence: b.baseSequence,
    }, this.engine.nowMs, config['segment.bytes'], config['segment.ms'], p.leaderEpoch);
    scheduleFollowers(this, p);
    // The entry carries the high watermark after the append (it moves at once when the leader is the only
    // in-sync replica); the acks and fetches it releases come after the entry, so no separate kafka-hw is written.
    this.record({
      kind: 'kafka-appended', topic: p.topic, partition: p.id, broker, client, request, baseOffset,
      count: msgCount(b.msgs), logEndOffset: p.log.logEndOffset, highWatermark: computeHighWatermark(p),
    });
    updateHighWatermark(this, p, false);
    return baseOffset;
  }

  /**
   * Fetch request to `broker` (see fetch.ts). Records `kafka-fetched` for each partition that returns records or
   * an error, when the broker answers.
   */
  fetch(client: ClientHandle, broker: number, req: FetchRequest, cb: (reply: Reply<FetchPartitionResult[]>) => void): void {
    const host = {
      partitionOf: (t: string, p: number) => this.partitionOf(t, p),
      idleAfter: (ms: number, fn: () => void) => {
        const id = this.engine.scheduleIdle(ms, fn);
        return () => this.engine.cancel(id);
      },
    };
    this.roundTrip<FetchPartitionResult[]>(client, broker, (respond) => {
      handleFetch(host, broker, req, (results) => {
        const arriveAtMs = this.engine.nowMs + this.latencyMs;
        for (const r of results) {
          if (r.count === 0 && r.error === undefined) continue;
          this.record({
            kind: 'kafka-fetched', client: client.id, broker, topic: r.topic, partition: r.partition,
            fromOffset: r.fromOffset, count: r.count, highWatermark: r.highWatermark, arriveAtMs,
            ...(r.error !== undefined ? { error: r.error } : {}),
          });
        }
        respond(results);
      });
    }, cb);
  }

  /** ListOffsets at `broker` (timestamp -1 latest, -2 earliest, else by time). */
  listOffsets(client: ClientHandle, broker: number, partitions: Array<{ topic: string; partition: number; timestamp: number }>,
    cb: (reply: Reply<Array<{ topic: string; partition: number; error?: KafkaErrorType; offset: number }>>) => void): void {
    const host = { partitionOf: (t: string, p: number) => this.partitionOf(t, p), idleAfter: () => () => {} };
    this.roundTrip(client, broker, (respond) => respond(partitions.map((q) => ({
      topic: q.topic, partition: q.partition, ...listOffset(host, broker, q.topic, q.partition, q.timestamp),
    }))), cb);
  }

  // ───────────────────────────── group coordinator ─────────────────────────────

  /**
   * The broker coordinating `groupId` (see the module doc): Kafka's `partitionFor(groupId)` = abs(Java
   * String.hashCode) % 50 picks broker `partition % brokers`; while that broker is down, the next running one
   * (by id, wrapping) stands in — as the __consumer_offsets partition's leadership would move to a replica.
   * -1 when no broker runs.
   */
  coordinatorFor(groupId: string): number {
    const n = this.brokers.length;
    const preferred = javaAbs(javaStringHashCode(groupId)) % 50 % n;
    for (let i = 0; i < n; i++) {
      const id = (preferred + i) % n;
      if (this.up[id]) return id;
    }
    return -1;
  }

  private group(groupId: string, create: boolean): ConsumerGroup | undefined {
    let g = this.groups.get(groupId);
    if (g === undefined && create) {
      if (this.groups.size >= KAFKA_LIMITS.groupsMax) return undefined;
      g = new ConsumerGroup(groupId, {
        engine: this.engine,
        coordinatorBroker: () => this.coordinatorFor(groupId),
        uuid: () => this.uuid(),
        partitionExists: (t, p) => this.partitionOf(t, p) !== undefined,
        record: (e) => this.record(e),
      });
      this.groups.set(groupId, g);
    }
    return g;
  }

  /** The group's coordinator object, if the group exists (views, scenarios, tests). */
  groupOf(groupId: string): ConsumerGroup | undefined {
    return this.groups.get(groupId);
  }

  /** Group ids known to the cluster. */
  groupIds(): string[] {
    return [...this.groups.keys()];
  }

  /** FindCoordinator. */
  findCoordinator(client: ClientHandle, broker: number, groupId: string,
    cb: (reply: Reply<{ error?: KafkaErrorType; nodeId: number; host: string; port: number }>) => void): void {
    this.roundTrip(client, broker, (respond) => {
      const id = this.coordinatorFor(groupId);
      if (id < 0) respond({ error: 'GROUP_COORDINATOR_NOT_AVAILABLE', nodeId: -1, host: '', port: -1 });
      else respond({ nodeId: id, host: this.brokers[id].host, port: this.brokers[id].port });
    }, cb);
  }

  /** Runs `fn` on the group at its coordinator, or answers NOT_COORDINATOR_FOR_GROUP at another broker. */
  private atCoordinator<T>(client: ClientHandle, broker: number, groupId: string, create: boolean,
    notCoordinator: T, fn: (g: ConsumerGroup | undefined, respond: (value: T) => void) => void,
    cb: (reply: Reply<T>) => void): void {
    this.roundTrip(client, broker, (respond) => {
      if (this.coordinatorFor(groupId) !== broker) {
        respond(notCoordinator);
        return;
      }
      if (groupId === '') {
        fn(undefined, respond);
        return;
      }
      fn(this.group(groupId, create), respond);
    }, cb);
  }

  /** JoinGroup (answered when the join phase ends). */
  joinGroup(client: ClientHandle, broker: number, groupId: string, req: Omit<JoinRequest, 'client'>,
    cb: (reply: Reply<JoinResponse>) => void): void {
    const fail = (error: KafkaErrorType): JoinResponse =>
      ({ error, memberId: req.memberId, generationId: -1, groupProtocol: '', leaderId: '', members: [] });
    this.atCoordinator(client, broker, groupId, true, fail('NOT_COORDINATOR_FOR_GROUP'), (g, respond) => {
      if (g === undefined) respond(fail(groupId === '' ? 'INVALID_GROUP_ID' : 'GROUP_COORDINATOR_NOT_AVAILABLE'));
      else g.join({ ...req, client: client.id }, respond);
    }, cb);
  }

  /** SyncGroup. */
  syncGroup(client: ClientHandle, broker: number, groupId: string, memberId: string, generationId: number,
    assignment: Array<{ memberId: string; memberAssignment: Uint8Array }>,
    cb: (reply: Reply<{ error?: KafkaErrorType; assignment: Uint8Array }>) => void): void {
    const empty = new Uint8Array(0);
    this.atCoordinator<{ error?: KafkaErrorType; assignment: Uint8Array }>(client, broker, groupId, false, { error: 'NOT_COORDINATOR_FOR_GROUP', assignment: empty },
      (g, respond) => {
        if (g === undefined) {
          respond({ error: groupId === '' ? 'INVALID_GROUP_ID' : 'UNKNOWN_MEMBER_ID', assignment: empty });
          return;
        }
        g.sync(memberId, generationId, new Map(assignment.map((a) => [a.memberId, a.memberAssignment])), respond);
      }, cb);
  }

  /** Heartbeat. */
  heartbeat(client: ClientHandle, broker: number, groupId: string, memberId: string, generationId: number,
    cb: (reply: Reply<{ error?: KafkaErrorType }>) => void): void {
    const sentAtMs = this.engine.nowMs;
    this.atCoordinator<{ error?: KafkaErrorType }>(client, broker, groupId, false, { error: 'NOT_COORDINATOR_FOR_GROUP' }, (g, respond) => {
      const error = g === undefined ? 'UNKNOWN_MEMBER_ID' : g.heartbeat(memberId, generationId, client.id, sentAtMs);
      respond(error === undefined ? {} : { error });
    }, cb);
  }

  /** LeaveGroup. */
  leaveGroup(client: ClientHandle, broker: number, groupId: string, memberId: string,
    cb: (reply: Reply<{ error?: KafkaErrorType }>) => void): void {
    this.atCoordinator<{ error?: KafkaErrorType }>(client, broker, groupId, false, { error: 'NOT_COORDINATOR_FOR_GROUP' }, (g, respond) => {
      const error = g === undefined ? 'UNKNOWN_MEMBER_ID' : g.leave(memberId);
      respond(error === undefined ? {} : { error });
    }, cb);
  }

  /** OffsetCommit (generation -1 / member '' for a client outside the group). */
  offsetCommit(client: ClientHandle, broker: number, groupId: string, memberId: string, generationId: number,
    offsets: Array<{ topic: string; partition: number; offset: number; metadata: string | null }>,
    cb: (reply: Reply<{ error?: KafkaErrorType; partitionErrors: Array<KafkaErrorType | undefined> }>) => void): void {
    const sentAtMs = this.engine.nowMs;
    this.atCoordinator<{ error?: KafkaErrorType; partitionErrors: Array<KafkaErrorType | undefined> }>(client, broker, groupId, true,
      { error: 'NOT_COORDINATOR_FOR_GROUP', partitionErrors: [] },
      (g, respond) => {
        if (g === undefined) respond({ error: groupId === '' ? 'INVALID_GROUP_ID' : 'GROUP_COORDINATOR_NOT_AVAILABLE', partitionErrors: [] });
        else respond(g.commit(memberId, generationId, client.id, sentAtMs, offsets));
      }, cb);
  }

  /** OffsetFetch: the committed offset of each partition (-1 when none). */
  offsetFetch(client: ClientHandle, broker: number, groupId: string, partitions: Array<{ topic: string; partition: number }>,
    cb: (reply: Reply<{ error?: KafkaErrorType; offsets: Array<{ topic: string; partition: number } & CommittedOffset> }>) => void): void {
    this.atCoordinator<{ error?: KafkaErrorType; offsets: Array<{ topic: string; partition: number } & CommittedOffset> }>(
      client, broker, groupId, false, { error: 'NOT_COORDINATOR_FOR_GROUP', offsets: [] },
      (g, respond) => {
        // No partitions asked: every committed offset of the group (OffsetFetch v2+ with null topics).
        const asked = partitions.length > 0 ? partitions : (g?.committedTopics() ?? []).flatMap((topic) =>
          (this.topics.get(topic)?.partitions ?? []).filter((p) => g?.committed(topic, p.id) !== undefined)
            .map((p) => ({ topic, partition: p.id })));
        respond({
          offsets: asked.map((q) => ({ topic: q.topic, partition: q.partition, ...(g?.committed(q.topic, q.partition) ?? { offset: -1, metadata: null }) })),
        });
      }, cb);
  }

  /** Topics a group has committed offsets for (OffsetFetch with no topics). */
  committedTopicsOf(groupId: string): string[] {
    return this.groups.get(groupId)?.committedTopics() ?? [];
  }

  /** DescribeGroups at `broker` (groups it does not coordinate: NOT_COORDINATOR_FOR_GROUP per group). */
  describeGroups(client: ClientHandle, broker: number, groupIds: string[],
    cb: (reply: Reply<Array<{ error?: KafkaErrorType; description: GroupDescription }>>) => void): void {
    this.roundTrip(client, broker, (respond) => respond(groupIds.map((id) => {
      const dead: GroupDescription = { groupId: id, state: 'Dead', protocolType: '', protocol: '', members: [] };
      if (this.coordinatorFor(id) !== broker) return { error: 'NOT_COORDINATOR_FOR_GROUP' as KafkaErrorType, description: dead };
      return { description: this.groups.get(id)?.describe() ?? dead };
    })), cb);
  }

  /** ListGroups at `broker`: the groups it coordinates. */
  listGroups(client: ClientHandle, broker: number, cb: (reply: Reply<Array<{ groupId: string; protocolType: string }>>) => void): void {
    this.roundTrip(client, broker, (respond) => respond([...this.groups.values()]
      .filter((g) => this.coordinatorFor(g.groupId) === broker)
      .map((g) => ({ groupId: g.groupId, protocolType: g.describe().protocolType || 'consumer' }))), cb);
  }

  // ───────────────────────────── client-side notes (trace only) ─────────────────────────────

  /** A consumer's handler starts records [offset, offset + count). */
  noteProcessing(client: ClientHandle, topic: string, partition: number, offset: number, count: number): void {
    this.record({ kind: 'kafka-processing', client: client.id, topic, partition, offset, count });
  }

  /** A consumer's handler finished records [offset, offset + count) begun at `startedAtMs`. */
  noteConsumed(client: ClientHandle, topic: string, partition: number, offset: number, count: number,
    startedAtMs: number, error?: string): void {
    this.record({
      kind: 'kafka-consumed', client: client.id, topic, partition, offset, count, startedAtMs,
      ...(error !== undefined ? { error } : {}),
    });
  }

  /** A consumer's `seek` (trace only). */
  noteSeek(client: ClientHandle, topic: string, partition: number, offset: number): void {
    this.record({ kind: 'kafka-seek', client: client.id, topic, partition, offset });
  }

  /** A consumer's `pause` / `resume` (trace only; `partitions` null: the whole topic). */
  notePause(client: ClientHandle, topic: string, partitions: number[] | null, resumed: boolean): void {
    this.record({ kind: resumed ? 'kafka-resumed' : 'kafka-paused', client: client.id, topic, partitions });
  }

  /**
   * A client failed (a kafkajs consumer crash; `restart`: it will restart), or a scenario producer retries or gives
   * up records (`records`: their partition and message numbers; `gaveUp`: given up).
   */
  noteClientError(client: ClientHandle, error: string, restart?: boolean,
    records?: { topic: string; partition: number; msgs: number[]; gaveUp?: boolean }): void {
    this.record({
      kind: 'kafka-client-error', client: client.id, error, ...(restart !== undefined ? { restart } : {}),
      ...(records !== undefined ? { topic: records.topic, partition: records.partition, msgs: records.msgs, ...(records.gaveUp === true ? { gaveUp: true } : {}) } : {}),
    });
  }
}

function partitionInfo(p: Partition): KafkaPartitionInfo {
  return { partition: p.id, replicas: [...p.replicas], leader: p.leader, isr: [...p.isr] };
}

function checkInt(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

/** Java's `String.hashCode` (UTF-16 code units, 31 multiplier, 32-bit wrap). */
export function javaStringHashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Kafka's `Utils.abs` (Integer.MIN_VALUE maps to 0). */
function javaAbs(n: number): number {
  return n === -2147483648 ? 0 : Math.abs(n);
}
