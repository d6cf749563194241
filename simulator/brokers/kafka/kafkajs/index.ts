/**
 * The simulated `kafkajs` module (kafkajs 2.2's exports, node_modules/kafkajs/index.js): `Kafka` (a class whose
 * name is `Client`, as kafkajs's — so `Kafka(...)` without `new` throws "Class constructor Client cannot be
 * invoked without 'new'"), `Partitioners`, `PartitionAssigners`, `AssignerProtocol`, `logLevel`, the
 * `CompressionTypes`, config and ACL constants, and every `KafkaJS…` error class. One module per simulated process;
 * all its clients talk to the run's one cluster (`model/cluster.ts`), through the runner's `observe` wrapper.
 *
 * `new Kafka({ clientId = 'kafkajs', brokers, retry, logLevel = INFO, logCreator })`: `brokers` is checked when a
 * client connects (kafkajs does it then); `ssl` / `sasl` / timeouts are accepted and ignored (the simulated
 * network needs no authentication). Clients: `producer(options)`, `consumer(options)` (`groupId` required),
 * `admin(options)`; `logger()`.
 */
import { Buffer } from 'buffer';
import { SIMULATED_EPOCH_MS } from '../../../core/clock.ts';
import type { ClientHandle, KafkaCluster } from '../model/cluster.ts';
import {
  decodeAssignment, decodeMemberMetadata, encodeAssignment, encodeMemberMetadata,
} from '../model/consumer-protocol.ts';
import { createAdmin } from './admin.ts';
import { ClusterClient, type ClientEnv } from './cluster-client.ts';
import { createConsumer, type ConsumerOptions, type ConsumerState } from './consumer.ts';
import { ERROR_EXPORTS } from './errors.ts';
import { roundRobinAssigner } from './group-client.ts';
import { consoleLogCreator, createLogger, LEVELS, type LogEntry, type LogSink, type Logger } from './logger.ts';
import { createPartitioners } from './partitioners.ts';
import { createProducer, type ProducerOptions } from './producer.ts';
import type { RetryOptions } from './retry.ts';

/** kafkajs's default metadataMaxAge (5 minutes). */
const DEFAULT_METADATA_MAX_AGE = 300_000;

/** Options of `createKafkajs` (for the runtime; programs never see them). */
export interface KafkajsModuleOptions {
  /** Where the default log creator writes (the program's console); absent: log lines are dropped. */
  logSink?: LogSink;
  /** Label of the n-th (1-based) client of `role` this process creates, in the trace and the view. */
  label?: (role: ClientHandle['role'], n: number) => string;
  /** Called with every client the process creates (the runtime closes them when the process ends). */
  onClient?: (handle: ClientHandle, consumer?: ConsumerState) => void;
}

/** The `new Kafka(config)` argument. */
export interface KafkaConfig {
  brokers: unknown;
  clientId?: string;
  retry?: RetryOptions;
  logLevel?: number;
  logCreator?: (level: number) => (entry: LogEntry) => void;
  [option: string]: unknown;
}

/** The module object `require('kafkajs')` resolves to in a simulated program. */
export type KafkajsModule = ReturnType<typeof createKafkajs>;

/**
 * Builds a kafkajs module over `model` (the runtime passes it through `RuntimeContext.observe`).
 */
export function createKafkajs(model: KafkaCluster, options: KafkajsModuleOptions = {}) {
  const counts = { producer: 0, consumer: 0, admin: 0 };
  const label = options.label ?? ((role, n) => (n === 1 ? role : `${role} ${n}`));
  const random = () => model.randomUint32();
  const Partitioners = createPartitioners(random);
  let warnedPartitioner = false;
  const isoNow = () => new Date(SIMULATED_EPOCH_MS + nowMs()).toISOString();
  const nowMs = () => model.nowEpochMs() - SIMULATED_EPOCH_MS;

  const PRIVATE = new WeakMap<object, { logger: Logger; retry: RetryOptions | undefined; config: KafkaConfig;
    offsets: Map<string, Record<string, Record<string, string>>> }>();

  const newEnv = (role: ClientHandle['role'], clientId: string, logger: Logger, groupId?: string): ClientEnv => {
    counts[role]++;
    const handle = model.connectClient(role, label(role, counts[role]), clientId, groupId);
    return {
      model, handle, logger,
      now: () => model.nowEpochMs(),
      retryEnv: {
        setTimeout: (fn, ms) => {
          model.clientTimer(handle, ms, false, fn);
        },
        random: () => model.randomUint32() / 4294967296,
      },
    };
  };

  class Client {
    constructor({ brokers, clientId, retry, logLevel = LEVELS.INFO, logCreator }: KafkaConfig) {
      const creator = logCreator ?? consoleLogCreator(options.logSink);
      PRIVATE.set(this, {
        logger: createLogger({ level: logLevel, logCreator: creator, isoNow }),
        retry, config: { brokers, clientId: clientId ?? 'kafkajs' }, offsets: new Map(),
      });
    }

    private state() {
      const s = PRIVATE.get(this);
      if (s === undefined) throw new TypeError('Illegal invocation');
      return s;
    }

    /** The client's cluster view; like kafkajs's `Cluster`, it retries with the `Kafka`-level retry options. */
    private clusterFor(env: ClientEnv, allowAutoTopicCreation: boolean, metadataMaxAge: number) {
      const s = this.state();
      return new ClusterClient(env, {
        brokers: s.config.brokers, clientId: s.config.clientId as string, retry: s.retry,
        allowAutoTopicCreation, metadataMaxAge, offsets: s.offsets,
      });
    }

    producer(opts: ProducerOptions = {}) {
      const s = this.state();
      const env = newEnv('producer', s.config.clientId as string, s.logger);
      options.onClient?.(env.handle);
      const cluster = this.clusterFor(env, opts.allowAutoTopicCreation ?? true, opts.metadataMaxAge ?? DEFAULT_METADATA_MAX_AGE);
      if (opts.createPartitioner == null && !warnedPartitioner) {
        warnedPartitioner = true;
        s.logger.warn('KafkaJS v2.0.0 switched default partitioner. To retain the same partitioning behavior as in previous versions, create the producer with the option "createPartitioner: Partitioners.LegacyPartitioner". See the migration guide at https://kafka.js.org/docs/migration-guide-v2.0.0#producer-new-default-partitioner for details. Silence this warning by setting the environment variable "KAFKAJS_NO_PARTITIONER_WARNING=1"');
      }
      const createPartitioner = opts.createPartitioner ?? Partitioners.DefaultPartitioner;
      return createProducer(env, cluster, {
        // kafkajs always passes an object here ({} by default), so its idempotent default of unlimited retries never
        // applies: 5 retries, as with kafkajs 2.2.
        partitioner: createPartitioner(), retry: { ...s.retry, ...opts.retry },
        idempotent: opts.idempotent ?? false, transactionalId: opts.transactionalId, logger: s.logger,
        reopen: () => model.reopenClient(env.handle, s.config.clientId as string),
      });
    }

    consumer(opts: ConsumerOptions = {} as ConsumerOptions) {
      const s = this.state();
      const env = newEnv('consumer', s.config.clientId as string, s.logger, typeof opts.groupId === 'string' ? opts.groupId : undefined);
      const retry = { ...s.retry, ...(opts.retry ?? { retries: 5 }) };
      const cluster = this.clusterFor(env, opts.allowAutoTopicCreation ?? true, opts.metadataMaxAge ?? DEFAULT_METADATA_MAX_AGE);
      return createConsumer(env, cluster, {
        options: { ...opts, retry }, logger: s.logger,
        reopen: () => model.reopenClient(env.handle, s.config.clientId as string, opts.groupId),
        track: (state) => options.onClient?.(env.handle, state),
      });
    }

    admin(opts: { retry?: RetryOptions } = {}) {
      const s = this.state();
      const env = newEnv('admin', s.config.clientId as string, s.logger);
      options.onClient?.(env.handle);
      const retry = { ...s.retry, ...opts.retry };
      const cluster = this.clusterFor(env, false, DEFAULT_METADATA_MAX_AGE);
      return createAdmin(env, cluster, { logger: s.logger, retry, reopen: () => model.reopenClient(env.handle, s.config.clientId as string) });
    }

    logger(): Logger {
      return this.state().logger;
    }
  }

  const MemberMetadata = {
    encode: ({ version, topics, userData }: { version: number; topics: string[]; userData?: Uint8Array }) =>
      Buffer.from(encodeMemberMetadata({ version, topics, userData })),
    decode: (buffer: Uint8Array) => {
      const m = decodeMemberMetadata(buffer);
      return { version: m.version, topics: m.topics, userData: Buffer.from(m.userData) };
    },
  };
  const MemberAssignment = {
    encode: ({ version, assignment, userData }: { version: number; assignment: Record<string, number[]>; userData?: Uint8Array }) =>
      Buffer.from(encodeAssignment({ version, assignment, userData })),
    decode: (buffer: Uint8Array) => {
      const a = decodeAssignment(buffer);
      return a === null ? null : { version: a.version, assignment: a.assignment, userData: Buffer.from(a.userData) };
    },
  };
  const codec = () => () => {
    throw new Error('Compression codecs are not simulated by MQ Lab');
  };

  return {
    Kafka: Client,
    PartitionAssigners: { roundRobin: roundRobinAssigner },
    AssignerProtocol: { MemberMetadata, MemberAssignment },
    Partitioners,
    logLevel: LEVELS,
    CompressionTypes: Object.freeze({ None: 0, GZIP: 1, Snappy: 2, LZ4: 3, ZSTD: 4 }),
    CompressionCodecs: { 1: codec(), 2: codec(), 3: codec(), 4: codec() },
    ConfigResourceTypes: Object.freeze({ UNKNOWN: 0, TOPIC: 2, BROKER: 4, BROKER_LOGGER: 8 }),
    AclResourceTypes: Object.freeze({ UNKNOWN: 0, ANY: 1, TOPIC: 2, GROUP: 3, CLUSTER: 4, TRANSACTIONAL_ID: 5, DELEGATION_TOKEN: 6 }),
    AclOperationTypes: Object.freeze({
      UNKNOWN: 0, ANY: 1, ALL: 2, READ: 3, WRITE: 4, CREATE: 5, DELETE: 6, ALTER: 7, DESCRIBE: 8, CLUSTER_ACTION: 9,
      DESCRIBE_CONFIGS: 10, ALTER_CONFIGS: 11, IDEMPOTENT_WRITE: 12,
    }),
    AclPermissionTypes: Object.freeze({ UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 }),
    ResourcePatternTypes: Object.freeze({ UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 }),
    ConfigSource: Object.freeze({
      UNKNOWN: 0, TOPIC_CONFIG: 1, DYNAMIC_BROKER_CONFIG: 2, DYNAMIC_DEFAULT_BROKER_CONFIG: 3, STATIC_BROKER_CONFIG: 4,
      DEFAULT_CONFIG: 5, DYNAMIC_BROKER_LOGGER_CONFIG: 6,
    }),
    ...ERROR_EXPORTS,
  };
}
