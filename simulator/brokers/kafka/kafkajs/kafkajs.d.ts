/**
 * Types of MQ Lab's simulated `kafkajs` (kafkajs 2.2's API as far as the simulator models it), for the code
 * editor's completion and hover. Self-contained: it declares the small Buffer shape it needs. Written for MQ Lab
 * from kafkajs's documented API (https://kafka.js.org/docs/) and Kafka's documentation; defaults are kafkajs's.
 */
declare module 'kafkajs' {
  /** Bytes of a key, value or header. Make one with `Buffer.from('text')`; read it with `.toString()`. */
  interface Buffer extends Uint8Array {
    /** Decodes the bytes, UTF-8 by default: `message.value.toString()`. */
    toString(encoding?: string, start?: number, end?: number): string;
  }

  /** kafkajs's retry settings (exponential backoff with jitter). */
  interface RetryOptions {
    /** Longest wait between two tries, ms. Default 30000. */
    maxRetryTime?: number;
    /** First wait, ms (± `factor`). Default 300. */
    initialRetryTime?: number;
    /** Jitter, 0–1. Default 0.2. */
    factor?: number;
    /** Growth of the wait per try. Default 2. */
    multiplier?: number;
    /** Tries after the first. Default 5. */
    retries?: number;
    /** Consumers: whether to restart after a crash caused by a retriable error. */
    restartOnFailure?: (error: Error) => Promise<boolean>;
  }

  /** One entry a log creator receives. */
  interface LogEntry {
    namespace: string;
    level: number;
    label: string;
    log: { timestamp: string; logger: 'kafkajs'; message: string; [key: string]: unknown };
  }

  /** `new Kafka(config)`. */
  interface KafkaConfig {
    /** Addresses of brokers to start from, e.g. `['localhost:9092']` (or a function returning them). */
    brokers: string[] | (() => string[] | Promise<string[]>);
    /** Names this application to the brokers; member ids are `<clientId>-<uuid>`. Default 'kafkajs'. */
    clientId?: string;
    /** Retry settings every client of this instance starts from. */
    retry?: RetryOptions;
    /** `logLevel.NOTHING` … `logLevel.DEBUG`. Default INFO. */
    logLevel?: number;
    /** Your own logger: `(level) => (entry) => void`. */
    logCreator?: (level: number) => (entry: LogEntry) => void;
    ssl?: unknown;
    sasl?: unknown;
    connectionTimeout?: number;
    requestTimeout?: number;
  }

  /** A partitioner: picks a record's partition. */
  type Partitioner = (args: {
    topic: string;
    partitionMetadata: PartitionMetadata[];
    message: Message;
  }) => number;

  /** A record to send. A value is required (null makes a tombstone). */
  interface Message {
    /** Records with the same key go to the same partition (murmur2 hash of the key). */
    key?: Buffer | string | null;
    value: Buffer | string | null;
    /** An explicit partition; it wins over the key. */
    partition?: number;
    /** Header values (strings or Buffers; an array sends the header once per element). */
    headers?: Record<string, Buffer | string | (Buffer | string)[] | undefined>;
    /** Milliseconds since the epoch, as a string. Default: the send time. */
    timestamp?: string;
  }

  /** `producer.send(record)`. */
  interface ProducerRecord {
    topic: string;
    messages: Message[];
    /** -1 (all in-sync replicas, default), 1 (the leader), 0 (no answer). */
    acks?: number;
    /** How long the broker may wait for replication (acks = -1), ms. Default 30000. */
    timeout?: number;
    compression?: number;
  }

  /** `producer.sendBatch(batch)`: several topics in one call. */
  interface ProducerBatch {
    topicMessages?: Array<{ topic: string; messages: Message[] }>;
    acks?: number;
    timeout?: number;
    compression?: number;
  }

  /** Where one partition's records were written. */
  interface RecordMetadata {
    topicName: string;
    partition: number;
    errorCode: number;
    /** Offset of the first record written to this partition. */
    baseOffset?: string;
    logAppendTime?: string;
    logStartOffset?: string;
  }

  /** An instrumentation event given to `on(...)` listeners. */
  interface InstrumentationEvent<T = unknown> {
    id: number;
    type: string;
    timestamp: number;
    payload: T;
  }

  /** `kafka.producer(config)`. */
  interface ProducerConfig {
    /** Your own partitioner (e.g. `Partitioners.LegacyPartitioner`). Default: the Java-compatible one. */
    createPartitioner?: () => Partitioner;
    retry?: RetryOptions;
    metadataMaxAge?: number;
    /** Let the broker create a topic you produce to (default true). */
    allowAutoTopicCreation?: boolean;
    /** Exactly-once per partition: retries never duplicate or reorder (requires acks -1). */
    idempotent?: boolean;
    transactionalId?: string;
    transactionTimeout?: number;
    maxInFlightRequests?: number;
  }

  interface Producer {
    /** Connects to the cluster; await it before sending. */
    connect(): Promise<void>;
    disconnect(): Promise<void>;
    isIdempotent(): boolean;
    send(record: ProducerRecord): Promise<RecordMetadata[]>;
    sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]>;
    /** Not simulated (needs `transactionalId`). */
    transaction(): Promise<never>;
    readonly events: { CONNECT: string; DISCONNECT: string; REQUEST: string; REQUEST_TIMEOUT: string; REQUEST_QUEUE_SIZE: string };
    on(eventName: string, listener: (event: InstrumentationEvent) => void): () => void;
    logger(): Logger;
  }

  /** A record as a consumer receives it. */
  interface KafkaMessage {
    key: Buffer | null;
    value: Buffer | null;
    /** Milliseconds since the epoch, as a string. */
    timestamp: string;
    attributes: number;
    /** The record's offset in its partition, as a string. */
    offset: string;
    headers?: Record<string, Buffer | null | (Buffer | null)[] | undefined>;
    magicByte: number;
    isControlRecord: boolean;
    batchContext: Record<string, unknown>;
  }

  interface EachMessagePayload {
    topic: string;
    partition: number;
    message: KafkaMessage;
    /** Sends a heartbeat now if one is due (kafkajs heartbeats only between messages otherwise). */
    heartbeat(): Promise<void>;
    /** Pauses this partition; returns a function that resumes it. */
    pause(): () => void;
  }

  /** The records of one fetch for one partition. */
  interface Batch {
    topic: string;
    partition: number;
    highWatermark: string;
    messages: KafkaMessage[];
    isEmpty(): boolean;
    firstOffset(): string | null;
    lastOffset(): string;
    offsetLag(): string;
    offsetLagLow(): string;
  }

  interface OffsetsByTopicPartition {
    topics: Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;
  }

  interface EachBatchPayload {
    batch: Batch;
    /** Marks `offset` as processed (committed later, with auto-commit). */
    resolveOffset(offset: string): void;
    heartbeat(): Promise<void>;
    pause(): () => void;
    commitOffsetsIfNecessary(offsets?: OffsetsByTopicPartition): Promise<void>;
    uncommittedOffsets(): OffsetsByTopicPartition;
    isRunning(): boolean;
    isStale(): boolean;
  }

  /** `consumer.run(config)`. */
  interface ConsumerRunConfig {
    /** Commit processed offsets automatically (default true: after each batch). */
    autoCommit?: boolean;
    /** Also commit when this many ms passed since the last commit. */
    autoCommitInterval?: number | null;
    /** Also commit when this many processed offsets wait. */
    autoCommitThreshold?: number | null;
    eachBatchAutoResolve?: boolean;
    /** Partitions handled at the same time (default 1). */
    partitionsConsumedConcurrently?: number;
    eachBatch?: (payload: EachBatchPayload) => Promise<void>;
    eachMessage?: (payload: EachMessagePayload) => Promise<void>;
  }

  /** A partition assigner factory (like `PartitionAssigners.roundRobin`). */
  type PartitionAssigner = (config: { cluster: { findTopicPartitionMetadata(topic: string): PartitionMetadata[] }; groupId: string; logger: Logger }) => {
    name: string;
    version: number;
    assign(group: { members: Array<{ memberId: string; memberMetadata: Buffer }>; topics: string[] }):
      Promise<Array<{ memberId: string; memberAssignment: Buffer }>>;
    protocol(subscription: { topics: string[] }): { name: string; metadata: Buffer };
  };

  /** `kafka.consumer(config)`. */
  interface ConsumerConfig {
    /** The consumer group: members share its topics' partitions; the group's offsets are its progress. */
    groupId: string;
    partitionAssigners?: PartitionAssigner[];
    metadataMaxAge?: number;
    /** Removed from the group when not heard from this long, ms (6000–1800000 on a default broker). Default 30000. */
    sessionTimeout?: number;
    /** How long the coordinator waits for members to rejoin in a rebalance, ms. Default 60000. */
    rebalanceTimeout?: number;
    /** Minimum time between heartbeats, ms (must be below sessionTimeout). Default 3000. */
    heartbeatInterval?: number;
    maxBytesPerPartition?: number;
    minBytes?: number;
    maxBytes?: number;
    /** How long a fetch waits at the broker for records, ms. Default 5000. */
    maxWaitTimeInMs?: number;
    retry?: RetryOptions;
    allowAutoTopicCreation?: boolean;
    maxInFlightRequests?: number;
    readUncommitted?: boolean;
    rackId?: string;
  }

  interface ConsumerSubscribeTopics {
    topics: (string | RegExp)[];
    /** Without a committed offset, start at the oldest record instead of the newest. Default false. */
    fromBeginning?: boolean;
  }

  interface ConsumerSubscribeTopic {
    topic: string | RegExp;
    fromBeginning?: boolean;
  }

  interface TopicPartitionOffsetAndMetadata {
    topic: string;
    partition: number;
    /** The next offset to read (last processed + 1), as a string. */
    offset: string;
    metadata?: string | null;
  }

  interface GroupDescription {
    groupId: string;
    members: Array<{ memberId: string; clientId: string; clientHost: string; memberMetadata: Buffer; memberAssignment: Buffer }>;
    protocol: string;
    protocolType: string;
    /** Empty, PreparingRebalance, CompletingRebalance, Stable or Dead. */
    state: string;
    errorCode: number;
  }

  interface Consumer {
    connect(): Promise<void>;
    disconnect(): Promise<void>;
    /** Subscribe before `run`. */
    subscribe(subscription: ConsumerSubscribeTopics | ConsumerSubscribeTopic): Promise<void>;
    stop(): Promise<void>;
    /** Joins the group (resolves then) and starts fetching. */
    run(config?: ConsumerRunConfig): Promise<void>;
    commitOffsets(topicPartitions: TopicPartitionOffsetAndMetadata[]): Promise<void>;
    /** The next fetch of that partition starts at `offset`. */
    seek(topicPartitionOffset: { topic: string; partition: number; offset: string }): void;
    describeGroup(): Promise<GroupDescription>;
    pause(topics: Array<{ topic: string; partitions?: number[] }>): void;
    paused(): Array<{ topic: string; partitions: number[] }>;
    resume(topics: Array<{ topic: string; partitions?: number[] }>): void;
    on(eventName: string, listener: (event: InstrumentationEvent<any>) => void): () => void;
    logger(): Logger;
    readonly events: {
      HEARTBEAT: string; COMMIT_OFFSETS: string; GROUP_JOIN: string; FETCH: string; FETCH_START: string;
      START_BATCH_PROCESS: string; END_BATCH_PROCESS: string; CONNECT: string; DISCONNECT: string; STOP: string;
      CRASH: string; REBALANCING: string; RECEIVED_UNSUBSCRIBED_TOPICS: string; REQUEST: string;
      REQUEST_TIMEOUT: string; REQUEST_QUEUE_SIZE: string;
    };
  }

  interface PartitionMetadata {
    partitionErrorCode: number;
    partitionId: number;
    leader: number;
    replicas: number[];
    isr: number[];
    offlineReplicas?: number[];
  }

  interface ITopicConfig {
    topic: string;
    /** Default: the broker's num.partitions (1). */
    numPartitions?: number;
    /** Default: the broker's default.replication.factor (1). */
    replicationFactor?: number;
    replicaAssignment?: Array<{ partition: number; replicas: number[] }>;
    /** Topic configs, e.g. `{ name: 'retention.ms', value: '60000' }`. */
    configEntries?: Array<{ name: string; value: string }>;
  }

  interface Admin {
    connect(): Promise<void>;
    disconnect(): Promise<void>;
    listTopics(): Promise<string[]>;
    /** Resolves true when created, false when every topic already existed. */
    createTopics(options: { topics: ITopicConfig[]; validateOnly?: boolean; timeout?: number; waitForLeaders?: boolean }): Promise<boolean>;
    deleteTopics(options: { topics: string[]; timeout?: number }): Promise<void>;
    /** Grows topics to `count` partitions. */
    createPartitions(options: { topicPartitions: Array<{ topic: string; count: number }>; validateOnly?: boolean; timeout?: number }): Promise<boolean | void>;
    fetchTopicMetadata(options?: { topics?: string[] }): Promise<{ topics: Array<{ name: string; partitions: PartitionMetadata[] }> }>;
    /** Per partition: high = the high watermark (next offset), low = the oldest offset still kept. */
    fetchTopicOffsets(topic: string): Promise<Array<{ partition: number; offset: string; high: string; low: string }>>;
    fetchTopicOffsetsByTimestamp(topic: string, timestamp?: number): Promise<Array<{ partition: number; offset: string }>>;
    /** A group's committed offsets ('-1' where it never committed). */
    fetchOffsets(options: { groupId: string; topics?: string[]; resolveOffsets?: boolean }):
      Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string; metadata: string | null }> }>>;
    setOffsets(options: { groupId: string; topic: string; partitions: Array<{ partition: number; offset: string }> }): Promise<void>;
    resetOffsets(options: { groupId: string; topic: string; earliest?: boolean }): Promise<void>;
    describeGroups(groupIds: string[]): Promise<{ groups: GroupDescription[] }>;
    listGroups(): Promise<{ groups: Array<{ groupId: string; protocolType: string }> }>;
    describeCluster(): Promise<{ brokers: Array<{ nodeId: number; host: string; port: number }>; controller: number | null; clusterId: string }>;
    on(eventName: string, listener: (event: InstrumentationEvent) => void): () => void;
    logger(): Logger;
    readonly events: { CONNECT: string; DISCONNECT: string; REQUEST: string; REQUEST_TIMEOUT: string; REQUEST_QUEUE_SIZE: string };
  }

  interface Logger {
    info(message: string, extra?: object): void;
    error(message: string, extra?: object): void;
    warn(message: string, extra?: object): void;
    debug(message: string, extra?: object): void;
    namespace(namespace: string, logLevel?: number): Logger;
    setLogLevel(logLevel: number): void;
  }

  /** The client: `new Kafka({ clientId, brokers })` (a class: calling it without `new` throws). */
  class Kafka {
    constructor(config: KafkaConfig);
    producer(config?: ProducerConfig): Producer;
    consumer(config: ConsumerConfig): Consumer;
    admin(config?: { retry?: RetryOptions }): Admin;
    logger(): Logger;
  }

  const Partitioners: {
    /** Java-compatible murmur2 (kafkajs 2's default). */
    DefaultPartitioner: () => Partitioner;
    /** kafkajs 1.x's partitioner (keys land on other partitions than Java clients put them). */
    LegacyPartitioner: () => Partitioner;
    JavaCompatiblePartitioner: () => Partitioner;
  };

  const PartitionAssigners: { roundRobin: PartitionAssigner };

  const AssignerProtocol: {
    MemberMetadata: {
      encode(metadata: { version: number; topics: string[]; userData?: Buffer }): Buffer;
      decode(buffer: Buffer): { version: number; topics: string[]; userData: Buffer };
    };
    MemberAssignment: {
      encode(assignment: { version: number; assignment: Record<string, number[]>; userData?: Buffer }): Buffer;
      decode(buffer: Buffer): { version: number; assignment: Record<string, number[]>; userData: Buffer } | null;
    };
  };

  const logLevel: { NOTHING: 0; ERROR: 1; WARN: 2; INFO: 4; DEBUG: 5 };
  const CompressionTypes: { None: 0; GZIP: 1; Snappy: 2; LZ4: 3; ZSTD: 4 };

  /** Every kafkajs error. `retriable` says whether kafkajs would try again. */
  class KafkaJSError extends Error {
    readonly retriable: boolean;
    readonly helpUrl?: string;
    readonly cause?: unknown;
    constructor(e: Error | string, metadata?: { retriable?: boolean; cause?: unknown });
  }
  class KafkaJSNonRetriableError extends KafkaJSError {}
  /** An error a broker answered with: `type` is Kafka's name (UNKNOWN_MEMBER_ID…), `code` its number. */
  class KafkaJSProtocolError extends KafkaJSError {
    readonly code: number;
    readonly type: string;
  }
  class KafkaJSOffsetOutOfRange extends KafkaJSProtocolError {
    readonly topic: string;
    readonly partition: number;
  }
  class KafkaJSMemberIdRequired extends KafkaJSProtocolError {
    readonly memberId: string;
  }
  /** The retries ran out; `cause` is the last error. */
  class KafkaJSNumberOfRetriesExceeded extends KafkaJSNonRetriableError {
    readonly retryCount: number;
    readonly retryTime: number;
  }
  class KafkaJSConnectionError extends KafkaJSError {
    readonly broker: string;
    readonly code?: string;
  }
  class KafkaJSConnectionClosedError extends KafkaJSConnectionError {
    readonly host: string;
    readonly port: number;
  }
  class KafkaJSRequestTimeoutError extends KafkaJSError {}
  class KafkaJSMetadataNotLoaded extends KafkaJSError {}
  class KafkaJSTopicMetadataNotLoaded extends KafkaJSMetadataNotLoaded {
    readonly topic: string;
  }
  class KafkaJSStaleTopicMetadataAssignment extends KafkaJSError {
    readonly topic: string;
    readonly unknownPartitions: number[];
  }
  class KafkaJSDeleteGroupsError extends KafkaJSError {}
  class KafkaJSServerDoesNotSupportApiKey extends KafkaJSNonRetriableError {}
  class KafkaJSBrokerNotFound extends KafkaJSError {}
  class KafkaJSPartialMessageError extends KafkaJSNonRetriableError {}
  class KafkaJSSASLAuthenticationError extends KafkaJSNonRetriableError {}
  class KafkaJSGroupCoordinatorNotFound extends KafkaJSNonRetriableError {}
  class KafkaJSNotImplemented extends KafkaJSNonRetriableError {}
  class KafkaJSTimeout extends KafkaJSNonRetriableError {}
  class KafkaJSLockTimeout extends KafkaJSTimeout {}
  class KafkaJSUnsupportedMagicByteInMessageSet extends KafkaJSNonRetriableError {}
  class KafkaJSDeleteTopicRecordsError extends KafkaJSError {}
  class KafkaJSInvariantViolation extends KafkaJSNonRetriableError {}
  class KafkaJSInvalidVarIntError extends KafkaJSNonRetriableError {}
  class KafkaJSInvalidLongError extends KafkaJSNonRetriableError {}
  class KafkaJSCreateTopicError extends KafkaJSProtocolError {
    readonly topic: string;
  }
  class KafkaJSAlterPartitionReassignmentsError extends KafkaJSProtocolError {}
  class KafkaJSAggregateError extends Error {
    readonly errors: Error[];
  }
  class KafkaJSFetcherRebalanceError extends Error {}
  class KafkaJSNoBrokerAvailableError extends KafkaJSError {}
}
