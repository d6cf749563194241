/**
 * What a kafkajs client (producer, consumer or admin) knows of the cluster, and how it talks to brokers: kafkajs's
 * `Cluster`, `BrokerPool` and `Broker` (node_modules/kafkajs/src/cluster/index.js, cluster/brokerPool.js,
 * broker/index.js), reduced to what programs can observe:
 * - a seed broker from the `brokers` list (validated on connect: "Failed to connect: brokers should not be
 *   null", …), connected with one round trip; a refused connection is `KafkaJSConnectionError` "Connection
 *   error: connect ECONNREFUSED <ip>:<port>" (logged, retried with the next address of the list);
 * - cached metadata: target topics (those the client produces to or subscribed to), refreshed when stale
 *   (`metadataMaxAge`), when topics are added and after errors; a metadata answer with a topic error throws it
 *   (UNKNOWN_TOPIC_OR_PARTITION when the topic does not exist and may not be auto-created; LEADER_NOT_AVAILABLE,
 *   retried, right after an auto-creation);
 * - one connection per broker, opened on first use; a request to a broker that stopped fails with
 *   `KafkaJSConnectionClosedError` "Closed connection" on an open connection, ECONNREFUSED on a new one;
 * - every answer is checked as kafkajs's response parsers do: the first failing partition's error is thrown as
 *   `KafkaJSProtocolError` (`KafkaJSOffsetOutOfRange` for OFFSET_OUT_OF_RANGE, `KafkaJSMemberIdRequired` handled by
 *   rejoining at once, as kafkajs's `broker.joinGroup` does).
 * Which address reaches the cluster: any host; port 9092 + i is broker i when it exists, any other port the
 * controller (the simulator stands in for whatever cluster the program names).
 */
import type { KafkaErrorType } from '../model/errors.ts';
import type {
  ClientHandle, CreateTopicSpec, KafkaCluster, MetadataResponse, PartitionMetadata, Reply,
} from '../model/cluster.ts';
import type { FetchPartitionResult, FetchRequest } from '../model/fetch.ts';
import type { ProducePartitionResult, ProduceRequest } from '../model/produce.ts';
import type { GroupDescription, JoinResponse } from '../model/consumer-group.ts';
import { Lock, sharedPromiseTo } from './concurrency.ts';
import {
  KafkaJSAggregateError, KafkaJSBrokerNotFound, KafkaJSConnectionClosedError, KafkaJSConnectionError,
  KafkaJSCreateTopicError, KafkaJSError, KafkaJSGroupCoordinatorNotFound, KafkaJSMemberIdRequired,
  KafkaJSMetadataNotLoaded, KafkaJSNonRetriableError, KafkaJSOffsetOutOfRange, KafkaJSTopicMetadataNotLoaded,
  protocolError,
} from './errors.ts';
import { stackOf, type Logger } from './logger.ts';
import { createRetry, type RetryEnv, type RetryOptions } from './retry.ts';

/** kafkajs's EARLIEST_OFFSET (constants.js): ListOffsets timestamp for the log start offset. */
export const EARLIEST_OFFSET = -2;
/** kafkajs's LATEST_OFFSET (constants.js): ListOffsets timestamp for the high watermark. */
export const LATEST_OFFSET = -1;

/** Everything a client of the facade shares: the (observed) model, its own connection, time, randomness, logs. */
export interface ClientEnv {
  model: KafkaCluster;
  handle: ClientHandle;
  logger: Logger;
  retryEnv: RetryEnv;
  /** The simulated wall clock, ms since the Unix epoch (what a program reads as the current time; never the real clock). */
  now(): number;
}

/** Options of a client's cluster view (from `new Kafka(...)` and the client's own options). */
export interface ClusterClientOptions {
  brokers: unknown;
  clientId: string;
  retry?: RetryOptions;
  allowAutoTopicCreation: boolean;
  metadataMaxAge: number;
  /** Shared by the clients of one `Kafka` instance, as kafkajs's `PRIVATE.OFFSETS`. */
  offsets: Map<string, Record<string, Record<string, string>>>;
}

const isIpLiteral = (host: string) => /^\d+\.\d+\.\d+\.\d+$/.test(host);

/** One broker connection (kafkajs's `Broker`): parses answers and throws kafkajs's errors. */
export class ClientBroker {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  private connected = false;
  private readonly env: ClientEnv;
  private readonly clientId: string;
  private readonly lock = new Lock();

  constructor(env: ClientEnv, clientId: string, nodeId: number, host: string, port: number) {
    this.env = env;
    this.clientId = clientId;
    this.nodeId = nodeId;
    this.host = host;
    this.port = port;
  }

  /** `host:port` of the broker. */
  get address(): string {
    return `${this.host}:${this.port}`;
  }

  /** Whether the connection is open. */
  isConnected(): boolean {
    return this.connected;
  }

  private refused(): KafkaJSConnectionError {
    const ip = isIpLiteral(this.host) ? this.host : '127.0.0.1';
    const error = new KafkaJSConnectionError(`Connection error: connect ECONNREFUSED ${ip}:${this.port}`, {
      broker: this.address, code: 'ECONNREFUSED',
    });
    this.env.logger.namespace('Connection').error(error.message, { broker: this.address, clientId: this.clientId, stack: stackOf(error) });
    return error;
  }

  /** Opens the connection (one round trip); rejects with a connection error when the broker does not run. */
  async connect(): Promise<void> {
    await this.lock.acquire();
    try {
      if (this.connected) return;
      const reply = await new Promise<Reply<Record<string, never>>>((resolve) =>
        this.env.model.apiVersions(this.env.handle, this.nodeId, resolve));
      if (!reply.ok) throw this.refused();
      this.connected = true;
    } finally {
      this.lock.release();
    }
  }

  /** Closes the connection (the next request reconnects). */
  disconnect(): void {
    this.connected = false;
  }

  /** Sends one request; a broker that went away gives "Closed connection" (open connection) or ECONNREFUSED. */
  private send<T>(call: (cb: (reply: Reply<T>) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (!this.connected) {
        reject(this.refused());
        return;
      }
      call((reply) => {
        if (reply.ok) {
          resolve(reply.value);
          return;
        }
        this.connected = false;
        reject(new KafkaJSConnectionClosedError('Closed connection', { host: this.host, port: this.port }));
      });
    });
  }

  /** Metadata of `topics`; a topic or partition error is thrown as kafkajs's parser does. */
  async metadata(topics: string[], allowAutoTopicCreation: boolean): Promise<MetadataResponse> {
    const m = this.env.model;
    const res = await this.send<MetadataResponse>((cb) => m.metadata(this.env.handle, this.nodeId, topics, allowAutoTopicCreation, cb));
    const topicError = res.topicMetadata.find((t) => t.error !== undefined);
    if (topicError?.error !== undefined) throw protocolError(topicError.error);
    for (const t of res.topicMetadata) {
      for (const p of t.partitionMetadata) if (p.partitionErrorCode !== 0) throw protocolError('LEADER_NOT_AVAILABLE');
    }
    return res;
  }

  /** Produce; resolves with kafkajs's `RecordMetadata`-like entries per partition (acks 0: resolves when sent). */
  async produce(req: ProduceRequest): Promise<ProducePartitionResult[]> {
    const m = this.env.model;
    if (req.acks === 0) {
      if (!this.connected) throw this.refused();
      m.produce(this.env.handle, this.nodeId, req, () => {});
      return [];
    }
    const results = await this.send<ProducePartitionResult[]>((cb) => m.produce(this.env.handle, this.nodeId, req, cb));
    const failed = results.find((r) => r.error !== undefined);
    if (failed?.error !== undefined) throw protocolError(failed.error);
    return results;
  }

  /** Fetch; the first failing partition's error is thrown (KafkaJSOffsetOutOfRange for OFFSET_OUT_OF_RANGE). */
  async fetch(req: FetchRequest): Promise<FetchPartitionResult[]> {
    const m = this.env.model;
    const results = await this.send<FetchPartitionResult[]>((cb) => m.fetch(this.env.handle, this.nodeId, req, cb));
    const failed = results.find((r) => r.error !== undefined);
    if (failed?.error !== undefined) {
      if (failed.error === 'OFFSET_OUT_OF_RANGE') {
        throw new KafkaJSOffsetOutOfRange(protocolError(failed.error), { topic: failed.topic, partition: failed.partition });
      }
      throw protocolError(failed.error);
    }
    return results;
  }

  async listOffsets(partitions: Array<{ topic: string; partition: number; timestamp: number }>):
    Promise<Array<{ topic: string; partition: number; offset: number }>> {
    const m = this.env.model;
    const res = await this.send<Array<{ topic: string; partition: number; error?: KafkaErrorType; offset: number }>>(
      (cb) => m.listOffsets(this.env.handle, this.nodeId, partitions, cb));
    const failed = res.find((r) => r.error !== undefined);
    if (failed?.error !== undefined) throw protocolError(failed.error);
    return res;
  }

  async findGroupCoordinator(groupId: string): Promise<{ nodeId: number; host: string; port: number }> {
    const m = this.env.model;
    const res = await this.send<{ error?: KafkaErrorType; nodeId: number; host: string; port: number }>(
      (cb) => m.findCoordinator(this.env.handle, this.nodeId, groupId, cb));
    if (res.error !== undefined) throw protocolError(res.error);
    return res;
  }

  /** JoinGroup; on MEMBER_ID_REQUIRED joins again at once with the id the coordinator gave (kafkajs does). */
  async joinGroup(req: { groupId: string; sessionTimeout: number; rebalanceTimeout: number; memberId: string;
    protocols: Array<{ name: string; metadata: Uint8Array }> }): Promise<JoinResponse> {
    const m = this.env.model;
    const once = async (memberId: string) => {
      const res = await this.send<JoinResponse>((cb) => m.joinGroup(this.env.handle, this.nodeId, req.groupId, {
        clientId: this.clientId, memberId, sessionTimeoutMs: req.sessionTimeout, rebalanceTimeoutMs: req.rebalanceTimeout,
        protocolType: 'consumer', protocols: req.protocols,
      }, cb));
      if (res.error === 'MEMBER_ID_REQUIRED') throw new KafkaJSMemberIdRequired(protocolError(res.error), { memberId: res.memberId });
      if (res.error !== undefined) throw protocolError(res.error);
      return res;
    };
    try {
      return await once(req.memberId);
    } catch (e) {
      if (e instanceof KafkaJSMemberIdRequired) return once(e.memberId);
      throw e;
    }
  }

  async syncGroup(groupId: string, generationId: number, memberId: string,
    assignment: Array<{ memberId: string; memberAssignment: Uint8Array }>): Promise<Uint8Array> {
    const m = this.env.model;
    const res = await this.send<{ error?: KafkaErrorType; assignment: Uint8Array }>(
      (cb) => m.syncGroup(this.env.handle, this.nodeId, groupId, memberId, generationId, assignment, cb));
    if (res.error !== undefined) throw protocolError(res.error);
    return res.assignment;
  }

  /** Heartbeat; throws the coordinator's error (REBALANCE_IN_PROGRESS, UNKNOWN_MEMBER_ID…). */
  async heartbeat(groupId: string, generationId: number, memberId: string): Promise<void> {
    const m = this.env.model;
    const res = await this.send<{ error?: KafkaErrorType }>((cb) => m.heartbeat(this.env.handle, this.nodeId, groupId, memberId, generationId, cb));
    if (res.error !== undefined) throw protocolError(res.error);
  }

  /** LeaveGroup; throws the coordinator's error. */
  async leaveGroup(groupId: string, memberId: string): Promise<void> {
    const m = this.env.model;
    const res = await this.send<{ error?: KafkaErrorType }>((cb) => m.leaveGroup(this.env.handle, this.nodeId, groupId, memberId, cb));
    if (res.error !== undefined) throw protocolError(res.error);
  }

  async offsetCommit(groupId: string, memberId: string, generationId: number,
    offsets: Array<{ topic: string; partition: number; offset: number; metadata: string | null }>): Promise<void> {
    const m = this.env.model;
    const res = await this.send<{ error?: KafkaErrorType; partitionErrors: Array<KafkaErrorType | undefined> }>(
      (cb) => m.offsetCommit(this.env.handle, this.nodeId, groupId, memberId, generationId, offsets, cb));
    const error = res.error ?? res.partitionErrors.find((e) => e !== undefined);
    if (error !== undefined) throw protocolError(error);
  }

  async offsetFetch(groupId: string, partitions: Array<{ topic: string; partition: number }>):
    Promise<Array<{ topic: string; partition: number; offset: number; metadata: string | null }>> {
    const m = this.env.model;
    const res = await this.send<{ error?: KafkaErrorType; offsets: Array<{ topic: string; partition: number; offset: number; metadata: string | null }> }>(
      (cb) => m.offsetFetch(this.env.handle, this.nodeId, groupId, partitions, cb));
    if (res.error !== undefined) throw protocolError(res.error);
    return res.offsets;
  }

  /** DescribeGroups; throws the first group's error. */
  async describeGroups(groupIds: string[]): Promise<GroupDescription[]> {
    const m = this.env.model;
    const res = await this.send<Array<{ error?: KafkaErrorType; description: GroupDescription }>>(
      (cb) => m.describeGroups(this.env.handle, this.nodeId, groupIds, cb));
    const failed = res.find((r) => r.error !== undefined);
    if (failed?.error !== undefined) throw protocolError(failed.error);
    return res.map((r) => r.description);
  }

  async listGroups(): Promise<Array<{ groupId: string; protocolType: string }>> {
    const m = this.env.model;
    return this.send((cb) => m.listGroups(this.env.handle, this.nodeId, cb));
  }

  /** CreateTopics: errors as kafkajs's parser builds them (KafkaJSAggregateError of KafkaJSCreateTopicError). */
  async createTopics(specs: CreateTopicSpec[], validateOnly: boolean): Promise<void> {
    const m = this.env.model;
    const res = await this.send<Array<{ topic: string; error?: KafkaErrorType }>>(
      (cb) => m.createTopics(this.env.handle, this.nodeId, specs, validateOnly, cb));
    const failed = res.filter((r) => r.error !== undefined).sort((a, b) => a.topic.localeCompare(b.topic));
    if (failed.some((f) => f.error === 'NOT_CONTROLLER')) throw protocolError('NOT_CONTROLLER');
    if (failed.length > 0) {
      throw new KafkaJSAggregateError('Topic creation errors',
        failed.map((f) => new KafkaJSCreateTopicError(protocolError(f.error as KafkaErrorType), f.topic)));
    }
  }

  /** CreatePartitions; throws the first topic's error. */
  async createPartitions(specs: Array<{ topic: string; count: number }>, validateOnly: boolean): Promise<void> {
    const m = this.env.model;
    const res = await this.send<Array<{ topic: string; error?: KafkaErrorType }>>(
      (cb) => m.createPartitionsRequest(this.env.handle, this.nodeId, specs, validateOnly, cb));
    const failed = res.find((r) => r.error !== undefined);
    if (failed?.error !== undefined) throw protocolError(failed.error);
  }

  /** DeleteTopics; throws the first topic's error. */
  async deleteTopics(topics: string[]): Promise<void> {
    const m = this.env.model;
    const res = await this.send<Array<{ topic: string; error?: KafkaErrorType }>>(
      (cb) => m.deleteTopics(this.env.handle, this.nodeId, topics, cb));
    const failed = res.find((r) => r.error !== undefined);
    if (failed?.error !== undefined) throw protocolError(failed.error);
  }

  async initProducerId(): Promise<{ producerId: number; producerEpoch: number }> {
    const m = this.env.model;
    return this.send((cb) => m.initProducerId(this.env.handle, this.nodeId, cb));
  }
}

/** A client's view of the cluster (kafkajs's `Cluster` + `BrokerPool`). */
export class ClusterClient {
  readonly env: ClientEnv;
  readonly options: ClusterClientOptions;
  targetTopics = new Set<string>();
  metadata: MetadataResponse | null = null;
  private metadataExpireAt: number | null = null;
  private seedBroker: ClientBroker | undefined;
  private seedIndex = 0;
  brokers = new Map<string, ClientBroker>();
  private readonly retrier: ReturnType<typeof createRetry>;
  private readonly logger: Logger;
  private readonly mutatingTargetTopics = new Lock();
  readonly connect: () => Promise<void>;
  readonly refreshMetadata: () => Promise<void>;
  readonly refreshMetadataIfNecessary: () => Promise<void>;

  constructor(env: ClientEnv, options: ClusterClientOptions) {
    this.env = env;
    this.options = options;
    this.logger = env.logger.namespace('BrokerPool');
    this.retrier = createRetry(env.retryEnv, options.retry);
    this.connect = sharedPromiseTo(() => this.connectPool());
    this.refreshMetadata = sharedPromiseTo(() => this.refreshPool([...this.targetTopics]));
    this.refreshMetadataIfNecessary = sharedPromiseTo(() => this.refreshPoolIfNecessary([...this.targetTopics]));
  }

  /** The `brokers` option as a list (kafkajs's validation and messages). */
  private async brokerList(): Promise<string[]> {
    let list: unknown = this.options.brokers;
    if (typeof list === 'function') {
      try {
        list = await (list as () => unknown)();
      } catch (e) {
        const wrapped = new KafkaJSConnectionError(`Failed to connect: "config.brokers" threw: ${(e as Error)?.message}`);
        wrapped.stack = `${wrapped.name}\n  Caused by: ${(e as Error)?.stack}`;
        throw wrapped;
      }
    }
    if (!list) throw new KafkaJSNonRetriableError('Failed to connect: brokers should not be null');
    if (Array.isArray(list)) {
      if (list.length === 0) throw new KafkaJSNonRetriableError('Failed to connect: brokers array is empty');
      list.forEach((b, i) => {
        if (!b || typeof b !== 'string' || b.length === 0) {
          throw new KafkaJSNonRetriableError(`Failed to connect: broker at index ${i} is invalid "${typeof b}"`);
        }
      });
    }
    return list as string[];
  }

  /** Which simulated broker an address reaches (see the module doc). */
  private nodeOfAddress(port: number): number {
    const brokers = this.env.model.brokers;
    const byPort = brokers.find((b) => b.port === port);
    return byPort !== undefined ? byPort.id : Math.max(this.env.model.controllerId(), 0);
  }

  private async createSeedBroker(): Promise<void> {
    this.seedBroker?.disconnect();
    const list = await this.brokerList();
    const address = list[this.seedIndex++ % list.length];
    const [host, portText] = address.split(':');
    const port = Number(portText);
    this.seedBroker = new ClientBroker(this.env, this.options.clientId, this.nodeOfAddress(port), host, port);
  }

  /** Whether any broker connection is open (kafkajs `hasConnectedBrokers`). */
  isConnected(): boolean {
    if (this.seedBroker?.isConnected()) return true;
    for (const b of this.brokers.values()) if (b.isConnected()) return true;
    return false;
  }

  private async connectPool(): Promise<void> {
    if (this.isConnected()) return;
    if (this.seedBroker === undefined) await this.createSeedBroker();
    await this.retrier(async (bail, retryCount, retryTime) => {
      try {
        await (this.seedBroker as ClientBroker).connect();
      } catch (e) {
        const error = e as KafkaJSError;
        if (error.name === 'KafkaJSConnectionError') {
          await this.createSeedBroker();
          this.logger.error(`Failed to connect to seed broker, trying another broker from the list: ${error.message}`, { retryCount, retryTime });
        } else {
          this.logger.error(error.message, { retryCount, retryTime });
        }
        if (error.retriable) throw e;
        bail(e);
      }
    });
  }

  /** Forgets the broker at `host:port` (its connection closed) and marks the metadata stale (kafkajs `removeBroker`). */
  removeBroker({ host, port }: { host?: string; port?: number }): void {
    for (const [key, b] of this.brokers) {
      if (b.host === host && b.port === port) {
        this.brokers.delete(key);
        this.metadataExpireAt = null;
        if (this.seedBroker === b) this.seedBroker = [...this.brokers.values()][0];
      }
    }
  }

  /** Disconnects every broker connection and forgets the metadata. */
  disconnect(): void {
    this.seedBroker?.disconnect();
    for (const b of this.brokers.values()) b.disconnect();
    this.brokers = new Map();
    this.metadata = null;
  }

  private async findConnectedBroker(): Promise<ClientBroker> {
    for (const [nodeId, b] of this.brokers) if (b.isConnected()) return this.findBroker({ nodeId });
    for (const nodeId of this.brokers.keys()) {
      try {
        return await this.findBroker({ nodeId });
      } catch {
        // try the next one
      }
    }
    await this.connectPool();
    return this.seedBroker as ClientBroker;
  }

  private async refreshPool(topics: string[]): Promise<void> {
    const broker = await this.findConnectedBroker();
    await this.retrier(async (bail) => {
      try {
        this.metadata = await broker.metadata(topics, this.options.allowAutoTopicCreation);
        this.metadataExpireAt = this.env.now() + this.options.metadataMaxAge;
        const fresh = new Map<string, ClientBroker>();
        for (const b of this.metadata.brokers) {
          const key = String(b.nodeId);
          const known = this.brokers.get(key);
          if (known !== undefined && known.host === b.host && known.port === b.port) fresh.set(key, known);
          else if (this.seedBroker !== undefined && this.seedBroker.nodeId === b.nodeId) fresh.set(key, this.seedBroker);
          else fresh.set(key, new ClientBroker(this.env, this.options.clientId, b.nodeId, b.host, b.port));
        }
        for (const [key, b] of this.brokers) if (!fresh.has(key)) b.disconnect();
        this.brokers = fresh;
      } catch (e) {
        if ((e as { type?: string }).type === 'LEADER_NOT_AVAILABLE') throw e;
        bail(e);
      }
    });
  }

  private async refreshPoolIfNecessary(topics: string[]): Promise<void> {
    const md = this.metadata;
    const stale = md === null || this.metadataExpireAt === null || this.env.now() > this.metadataExpireAt ||
      !topics.every((t) => md.topicMetadata.some((tm) => tm.topic === t));
    if (stale) await this.refreshPool(topics);
  }

  /** Adds topics to the targets; refreshes metadata when the set changed (rolled back on a topic error). */
  async addMultipleTargetTopics(topics: string[]): Promise<void> {
    await this.mutatingTargetTopics.acquire();
    try {
      const previous = new Set(this.targetTopics);
      for (const t of topics) this.targetTopics.add(t);
      if (previous.size !== this.targetTopics.size || this.metadata === null) {
        try {
          await this.refreshMetadata();
        } catch (e) {
          const type = (e as { type?: string }).type;
          if (type === 'INVALID_TOPIC_EXCEPTION' || type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'TOPIC_AUTHORIZATION_FAILED') {
            this.targetTopics = previous;
          }
          throw e;
        }
      }
    } finally {
      this.mutatingTargetTopics.release();
    }
  }

  /** A topic's partitions from the cached metadata ([] when unknown). @throws KafkaJSTopicMetadataNotLoaded. */
  findTopicPartitionMetadata(topic: string): PartitionMetadata[] {
    if (this.metadata === null) throw new KafkaJSTopicMetadataNotLoaded('Topic metadata not loaded', { topic });
    return this.metadata.topicMetadata.find((t) => t.topic === topic)?.partitionMetadata ?? [];
  }

  /** nodeId → partitions it leads, for `partitions` (unknown partitions are left out, as in kafkajs). */
  findLeaderForPartitions(topic: string, partitions: Array<number | string>): Map<number, number[]> {
    const metadata = this.findTopicPartitionMetadata(topic);
    const result = new Map<number, number[]>();
    for (const id of partitions) {
      const partitionId = parseInt(String(id), 10);
      const m = metadata.find((p) => p.partitionId === partitionId);
      if (m === undefined) continue;
      if (m.leader === null || m.leader === undefined) {
        throw new KafkaJSError('Invalid partition metadata', { retriable: true });
      }
      result.set(m.leader, [...(result.get(m.leader) ?? []), partitionId]);
    }
    return result;
  }

  /** The connected broker `nodeId`. @throws KafkaJSBrokerNotFound (after refreshing metadata). */
  async findBroker({ nodeId }: { nodeId: number | string }): Promise<ClientBroker> {
    const broker = this.brokers.get(String(nodeId));
    try {
      if (broker === undefined) throw new KafkaJSBrokerNotFound(`Broker ${nodeId} not found in the cached metadata`);
      if (!broker.isConnected()) {
        await this.retrier(async (bail) => {
          try {
            await broker.connect();
          } catch (e) {
            if ((e as Error).name === 'KafkaJSConnectionError') return bail(e);
            throw e;
          }
        });
      }
      return broker;
    } catch (e) {
      const name = (e as Error).name;
      if (name === 'KafkaJSBrokerNotFound' || name === 'KafkaJSLockTimeout' || name === 'KafkaJSConnectionError') {
        await this.refreshMetadata();
      }
      throw e;
    }
  }

  /** The controller's connection. @throws KafkaJSMetadataNotLoaded before any metadata. */
  async findControllerBroker(): Promise<ClientBroker> {
    const md = this.metadata;
    if (md === null || md.controllerId == null) throw new KafkaJSMetadataNotLoaded('Topic metadata not loaded');
    return this.findBroker({ nodeId: md.controllerId });
  }

  /** The coordinator broker of a group (kafkajs's `findGroupCoordinator`, retried). */
  async findGroupCoordinator({ groupId }: { groupId: string }): Promise<ClientBroker> {
    return this.retrier(async (bail) => {
      try {
        let found: { nodeId: number } | undefined;
        for (const nodeId of this.brokers.keys()) {
          try {
            const broker = await this.findBroker({ nodeId });
            found = await broker.findGroupCoordinator(groupId);
            break;
          } catch (e) {
            if ((e as { type?: string }).type === 'GROUP_COORDINATOR_NOT_AVAILABLE') throw e;
          }
        }
        if (found === undefined) {
          if (this.brokers.size === 0) throw new KafkaJSBrokerNotFound('No brokers in the broker pool');
          throw new KafkaJSGroupCoordinatorNotFound('Failed to find group coordinator');
        }
        return await this.findBroker({ nodeId: found.nodeId });
      } catch (e) {
        const err = e as { name?: string; type?: string; code?: string };
        if (err.name === 'KafkaJSBrokerNotFound' || err.type === 'GROUP_COORDINATOR_NOT_AVAILABLE') {
          await this.refreshMetadata();
          throw e;
        }
        if (err.code === 'ECONNREFUSED') throw e;
        bail(e);
        return undefined as unknown as ClientBroker;
      }
    });
  }

  /** -2 (earliest) when `fromBeginning`, else -1 (latest). */
  defaultOffset({ fromBeginning }: { fromBeginning?: boolean }): number {
    return fromBeginning ? EARLIEST_OFFSET : LATEST_OFFSET;
  }

  /** ListOffsets for topics' partitions at their leaders: `fromBeginning` / `fromTimestamp` as in kafkajs. */
  async fetchTopicsOffset(topics: Array<{ topic: string; partitions: Array<{ partition: number }>; fromBeginning?: boolean; fromTimestamp?: number }>):
    Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>> {
    const perBroker = new Map<number, Array<{ topic: string; partition: number; timestamp: number }>>();
    for (const t of topics) {
      const timestamp = t.fromTimestamp ?? this.defaultOffset(t);
      const leaders = this.findLeaderForPartitions(t.topic, t.partitions.map((p) => p.partition));
      for (const [nodeId, parts] of leaders) {
        const list = perBroker.get(nodeId) ?? [];
        for (const partition of parts) list.push({ topic: t.topic, partition, timestamp });
        perBroker.set(nodeId, list);
      }
    }
    const answers = await Promise.all([...perBroker].map(async ([nodeId, parts]) => {
      const broker = await this.findBroker({ nodeId });
      return broker.listOffsets(parts);
    }));
    const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
    for (const a of answers.flat()) {
      byTopic.set(a.topic, [...(byTopic.get(a.topic) ?? []), { partition: a.partition, offset: String(a.offset) }]);
    }
    return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
  }

  /** The committed offsets this `Kafka` instance's consumers of a group know (kafkajs's shared cache). */
  committedOffsets({ groupId }: { groupId: string }): Record<string, Record<string, string>> {
    let offsets = this.options.offsets.get(groupId);
    if (offsets === undefined) {
      offsets = {};
      this.options.offsets.set(groupId, offsets);
    }
    return offsets;
  }

  /** Node ids of the brokers in the cached metadata (strings, as kafkajs's `getNodeIds`). */
  getNodeIds(): string[] {
    return [...this.brokers.keys()];
  }
}
