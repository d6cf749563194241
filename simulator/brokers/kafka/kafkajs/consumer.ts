/**
 * kafkajs 2's consumer API (node_modules/kafkajs/src/consumer/index.js): `connect`, `subscribe`, `run`,
 * `commitOffsets`, `seek`, `pause` / `paused` / `resume`, `describeGroup`, `stop`, `disconnect`, `on`, `events`,
 * `logger`, with kafkajs's argument checks and messages:
 * - creation: no groupId → "Consumer groupId must be a non-empty string."; heartbeatInterval ≥ sessionTimeout →
 *   its message;
 * - `subscribe` after `run` → "Cannot subscribe to topic while consumer is running" (`run` sets the group up
 *   synchronously, so even an un-awaited `run()` makes a later subscribe fail); no topic → 'Missing required
 *   argument "topics"'; a RegExp matches the topics the cluster has now; subscribing to a topic that does not
 *   exist auto-creates it (kafkajs consumers allow auto-creation; Kafka's default auto.create.topics.enable);
 * - `run` before `subscribe` is not an error in kafkajs: the member joins with no topics, is assigned nothing and
 *   waits (idle polls) forever;
 * - `run` resolves once the member joined the group (a failure to join crashes the consumer, and `run` still
 *   resolves); a second `run` only logs a warning;
 * - `commitOffsets` / `seek` / `pause` / `resume` before `run` → "Consumer group was not initialized,
 *   consumer#run must be called first"; offsets are checked (not a number, negative);
 * - a crash (an error the runner cannot recover from) logs "Crash: <name>: <message>", disconnects, emits CRASH
 *   and restarts the consumer after the retry time when the error is retriable (or `retry.restartOnFailure` says
 *   so).
 */
import { Buffer } from 'buffer';
import { ClusterClient, EARLIEST_OFFSET, LATEST_OFFSET, type ClientEnv } from './cluster-client.ts';
import { sharedPromiseTo } from './concurrency.ts';
import { KafkaJSNonRetriableError } from './errors.ts';
import { GroupClient, roundRobinAssigner, type Assigner } from './group-client.ts';
import { CONSUMER_EVENTS, Instrumentation, type InstrumentationEvent } from './instrumentation.ts';
import { stackOf, type Logger } from './logger.ts';
import { createRetry, RETRY_DEFAULTS, type RetryOptions } from './retry.ts';
import { Runner, type EachBatchPayload, type EachMessagePayload } from './runner.ts';

/** Options of `kafka.consumer(...)` (kafkajs's defaults in the comments). */
export interface ConsumerOptions {
  groupId: string;
  partitionAssigners?: Array<(o: { groupId: string; logger: Logger; cluster: ClusterClient }) => Assigner>;
  metadataMaxAge?: number;
  sessionTimeout?: number;
  rebalanceTimeout?: number;
  heartbeatInterval?: number;
  maxBytesPerPartition?: number;
  minBytes?: number;
  maxBytes?: number;
  maxWaitTimeInMs?: number;
  retry?: RetryOptions;
  allowAutoTopicCreation?: boolean;
  maxInFlightRequests?: number;
  readUncommitted?: boolean;
  rackId?: string;
}

/** Options of `consumer.run(...)`. */
export interface RunOptions {
  autoCommit?: boolean;
  autoCommitInterval?: number | null;
  autoCommitThreshold?: number | null;
  eachBatchAutoResolve?: boolean;
  partitionsConsumedConcurrently?: number;
  eachBatch?: ((p: EachBatchPayload) => Promise<void>) | null;
  eachMessage?: ((p: EachMessagePayload) => Promise<void>) | null;
}

const isOffsetLike = (v: unknown) => {
  if (typeof v === 'number') return Number.isInteger(v);
  if (typeof v === 'bigint') return true;
  return typeof v === 'string' && /^-?\d+$/.test(v.trim());
};

/** What the runtime sees of a consumer. */
export interface ConsumerState {
  groupId: string;
  isRunning(): boolean;
  topics(): string[];
}

/** Builds a consumer (kafkajs's `kafka.consumer(options)`). */
export function createConsumer(env: ClientEnv, cluster: ClusterClient, o: {
  options: ConsumerOptions; logger: Logger; reopen: () => void;
  /** Lets the runtime see whether the consumer runs and what it subscribed to (`waitingFor`). */
  track: (state: ConsumerState) => void;
}) {
  const {
    groupId, partitionAssigners = [roundRobinAssigner as unknown as NonNullable<ConsumerOptions['partitionAssigners']>[number]],
    sessionTimeout = 30_000, rebalanceTimeout = 60_000, heartbeatInterval = 3_000, maxBytesPerPartition = 1_048_576,
    minBytes = 1, maxBytes = 10_485_760, maxWaitTimeInMs = 5_000, retry = { retries: 5 },
  } = o.options;
  if (!groupId) throw new KafkaJSNonRetriableError('Consumer groupId must be a non-empty string.');
  const logger = o.logger.namespace('Consumer');
  const instrumentation = new Instrumentation(env.now);
  const assigners = partitionAssigners.map((create) => create({ groupId, logger: o.logger, cluster }));
  const topics: Record<string, { fromBeginning?: boolean }> = {};
  let runner: Runner | null = null;
  let consumerGroup: GroupClient | null = null;
  let restartTimer: number | null = null;
  if (heartbeatInterval >= sessionTimeout) {
    throw new KafkaJSNonRetriableError(`Consumer heartbeatInterval (${heartbeatInterval}) must be lower than sessionTimeout (${sessionTimeout}). It is recommended to set heartbeatInterval to approximately a third of the sessionTimeout.`);
  }

  o.track({ groupId, isRunning: () => runner?.running === true, topics: () => Object.keys(topics) });

  const connect = async () => {
    o.reopen();
    await cluster.connect();
    instrumentation.emit(CONSUMER_EVENTS.CONNECT);
  };

  const stop = sharedPromiseTo(async () => {
    // Stopping waits for the fetch in flight, a long poll the broker holds as an idle event (up to maxWaitTimeInMs).
    // Meanwhile the process is busy disconnecting, not waiting for messages: this foreground timer (it does
    // nothing) keeps the runner from ending the run as quiescent before the stop completes. Timing is unchanged.
    const stopping = env.model.clientTimer(env.handle, maxWaitTimeInMs + sessionTimeout, false, () => {});
    try {
      if (runner) {
        await runner.stop();
        runner = null;
        consumerGroup = null;
        instrumentation.emit(CONSUMER_EVENTS.STOP);
      }
      if (restartTimer !== null) env.model.cancelTimer(restartTimer);
      restartTimer = null;
      logger.info('Stopped', { groupId });
    } catch (e) {
      logger.error(`Caught error when stopping the consumer: ${(e as Error).message}`, { stack: stackOf(e), groupId });
      throw e;
    } finally {
      env.model.cancelTimer(stopping);
    }
  });

  const disconnect = async () => {
    try {
      await stop();
      logger.debug('consumer has stopped, disconnecting', { groupId });
      cluster.disconnect();
      env.model.closeClient(env.handle, 'disconnected');
      instrumentation.emit(CONSUMER_EVENTS.DISCONNECT);
    } catch (e) {
      logger.error(`Caught error when disconnecting the consumer: ${(e as Error).message}`, { stack: stackOf(e), groupId });
      throw e;
    }
  };

  const subscribe = async ({ topic, topics: subscriptionTopics, fromBeginning = false }: {
    topic?: string | RegExp; topics?: Array<string | RegExp>; fromBeginning?: boolean;
  } = {}) => {
    if (consumerGroup) throw new KafkaJSNonRetriableError('Cannot subscribe to topic while consumer is running');
    if (!topic && !subscriptionTopics) throw new KafkaJSNonRetriableError('Missing required argument "topics"');
    if (subscriptionTopics != null && !Array.isArray(subscriptionTopics)) throw new KafkaJSNonRetriableError('Argument "topics" must be an array');
    const subscriptions = subscriptionTopics || [topic];
    for (const s of subscriptions) {
      if (typeof s !== 'string' && !(s instanceof RegExp)) {
        throw new KafkaJSNonRetriableError(`Invalid topic ${String(s)} (${typeof s}), the topic name has to be a String or a RegExp`);
      }
    }
    const hasRegex = subscriptions.some((s) => s instanceof RegExp);
    let allTopics: string[] = [];
    if (hasRegex) {
      await cluster.connect();
      const broker = await cluster.findBroker({ nodeId: cluster.getNodeIds()[0] ?? 0 }).catch(() => undefined);
      allTopics = broker === undefined ? [] : (await broker.metadata([], false).catch(() => null))?.topicMetadata.map((t) => t.topic) ?? [];
      if (allTopics.length === 0) allTopics = env.model.topicNames();
    }
    const toSubscribe: string[] = [];
    for (const s of subscriptions) {
      if (s instanceof RegExp) toSubscribe.push(...allTopics.filter((t) => s.test(t)));
      else toSubscribe.push(s as string);
    }
    for (const t of toSubscribe) topics[t] = { fromBeginning };
    await cluster.addMultipleTargetTopics(toSubscribe);
  };

  const run = async ({
    autoCommit = true, autoCommitInterval = null, autoCommitThreshold = null, eachBatchAutoResolve = true,
    partitionsConsumedConcurrently = 1, eachBatch = null, eachMessage = null,
  }: RunOptions = {}) => {
    if (consumerGroup) {
      logger.warn('consumer#run was called, but the consumer is already running', { groupId });
      return;
    }
    const start = async (onCrash: (e: unknown) => Promise<void>) => {
      logger.info('Starting', { groupId });
      consumerGroup = new GroupClient(env, cluster, o.logger, instrumentation, {
        groupId, topics: Object.keys(topics), topicConfigurations: topics, retry, assigners, sessionTimeout,
        rebalanceTimeout, maxBytesPerPartition, minBytes, maxBytes, maxWaitTimeInMs, autoCommit,
        autoCommitInterval, autoCommitThreshold,
      });
      runner = new Runner(env, {
        logger: o.logger, consumerGroup, instrumentation, heartbeatInterval, retry, autoCommit, eachBatchAutoResolve,
        eachBatch, eachMessage, onCrash, concurrency: partitionsConsumedConcurrently,
      });
      await runner.start();
    };
    const onCrash = async (err: unknown) => {
      const e = err as Error & { retryCount?: number; retryTime?: number; retriable?: boolean; cause?: unknown };
      logger.error(`Crash: ${e.name}: ${e.message}`, { groupId, retryCount: e.retryCount, stack: stackOf(e) });
      if (e.name === 'KafkaJSConnectionClosedError') {
        const closed = e as unknown as { host?: string; port?: number };
        cluster.removeBroker({ host: closed.host, port: closed.port });
      }
      await disconnect();
      const originalCause = (x: { cause?: unknown }): { retriable?: boolean } =>
        (x.cause ? originalCause(x.cause as { cause?: unknown }) : x) as { retriable?: boolean };
      const retriable = e.name === 'KafkaJSNumberOfRetriesExceeded' || originalCause(e).retriable === true;
      let shouldRestart = retriable;
      if (retriable && retry && typeof retry.restartOnFailure === 'function') {
        shouldRestart = await retry.restartOnFailure(e).catch((error: unknown) => {
          logger.error('Caught error when invoking user-provided "restartOnFailure" callback. Defaulting to restarting.', {
            error: (error as Error)?.message || error, cause: e.message || e, groupId,
          });
          return true;
        });
      }
      instrumentation.emit(CONSUMER_EVENTS.CRASH, { error: e, groupId, restart: shouldRestart });
      env.model.noteClientError(env.handle, `${e.name}: ${e.message}`, shouldRestart);
      if (shouldRestart) {
        const retryTime = e.retryTime || retry?.initialRetryTime || RETRY_DEFAULTS.initialRetryTime;
        logger.error(`Restarting the consumer in ${retryTime}ms`, { retryCount: e.retryCount, retryTime, groupId });
        restartTimer = env.model.clientTimer(env.handle, retryTime, false, () => {
          o.reopen();
          void start(onCrash);
        });
      }
    };
    await start(onCrash);
  };

  const on = (eventName: unknown, listener: (e: InstrumentationEvent) => unknown) =>
    instrumentation.on(CONSUMER_EVENTS, 'consumer', eventName, listener, logger);

  const checkTopicPartition = (topic: unknown, partition: unknown) => {
    if (!topic) throw new KafkaJSNonRetriableError(`Invalid topic ${String(topic)}`);
    if (isNaN(partition as number)) throw new KafkaJSNonRetriableError(`Invalid partition, expected a number received ${String(partition)}`);
  };

  const commitOffsets = async (topicPartitions: Array<{ topic: string; partition: number; offset: string; metadata?: string | null }> = []) => {
    const byTopic: Record<string, Array<{ partition: number; offset: string; metadata: string | null }>> = {};
    for (const { topic, partition, offset, metadata = null } of topicPartitions) {
      checkTopicPartition(topic, partition);
      if (!isOffsetLike(offset)) throw new KafkaJSNonRetriableError(`Invalid offset, expected a long received ${String(offset)}`);
      if (Number(offset) < 0) throw new KafkaJSNonRetriableError('Offset must not be a negative number');
      if (metadata !== null && typeof metadata !== 'string') {
        throw new KafkaJSNonRetriableError(`Invalid offset metadata, expected string or null, received ${String(metadata)}`);
      }
      (byTopic[topic] ??= []).push({ partition: Number(partition), offset: String(BigInt(String(offset).trim())), metadata });
    }
    if (!consumerGroup || !runner) throw new KafkaJSNonRetriableError('Consumer group was not initialized, consumer#run must be called first');
    return runner.commitOffsets({ topics: Object.keys(byTopic).map((topic) => ({ topic, partitions: byTopic[topic] })) });
  };

  const seek = ({ topic, partition, offset }: { topic: string; partition: number; offset: string }) => {
    checkTopicPartition(topic, partition);
    if (!isOffsetLike(offset)) throw new KafkaJSNonRetriableError(`Invalid offset, expected a long received ${String(offset)}`);
    const n = Number(offset);
    if (n < 0 && n !== EARLIEST_OFFSET && n !== LATEST_OFFSET) throw new KafkaJSNonRetriableError('Offset must not be a negative number');
    if (!consumerGroup) throw new KafkaJSNonRetriableError('Consumer group was not initialized, consumer#run must be called first');
    env.model.noteSeek(env.handle, topic, Number(partition), n);
    consumerGroup.seek({ topic, partition: Number(partition), offset: String(n) });
  };

  const checkPauseArgs = (topicPartitions: Array<{ topic: string; partitions?: number[] }>, verb: string) => {
    for (const tp of topicPartitions) {
      if (!tp || !tp.topic) throw new KafkaJSNonRetriableError(`Invalid topic ${String((tp && tp.topic) || tp)}`);
      if (typeof tp.partitions !== 'undefined' && (!Array.isArray(tp.partitions) || tp.partitions.some((p) => isNaN(p)))) {
        throw new KafkaJSNonRetriableError(`Array of valid partitions required to ${verb} specific partitions instead of ${String(tp.partitions)}`);
      }
    }
    if (!consumerGroup) throw new KafkaJSNonRetriableError('Consumer group was not initialized, consumer#run must be called first');
  };

  const describeGroup = async () => {
    const coordinator = await cluster.findGroupCoordinator({ groupId });
    const retrier = createRetry(env.retryEnv, retry);
    return retrier(async () => {
      const groups = await coordinator.describeGroups([groupId]);
      return groups.map(describedGroup).find((g) => g.groupId === groupId);
    });
  };

  return {
    connect,
    disconnect,
    subscribe,
    stop,
    run,
    commitOffsets,
    seek,
    describeGroup,
    pause: (topicPartitions: Array<{ topic: string; partitions?: number[] }> = []) => {
      checkPauseArgs(topicPartitions, 'pause');
      for (const tp of topicPartitions) env.model.notePause(env.handle, tp.topic, tp.partitions ?? null, false);
      (consumerGroup as GroupClient).pause(topicPartitions);
    },
    paused: () => (consumerGroup ? consumerGroup.paused() : []),
    resume: (topicPartitions: Array<{ topic: string; partitions?: number[] }> = []) => {
      checkPauseArgs(topicPartitions, 'resume');
      for (const tp of topicPartitions) env.model.notePause(env.handle, tp.topic, tp.partitions ?? null, true);
      (consumerGroup as GroupClient).resume(topicPartitions);
    },
    on,
    events: CONSUMER_EVENTS,
    logger: () => logger,
  };
}

/** A group description in kafkajs's shape (Buffers for metadata and assignment). */
export function describedGroup(g: { groupId: string; state: string; protocolType: string; protocol: string;
  members: Array<{ memberId: string; clientId: string; clientHost: string; memberMetadata: Uint8Array; memberAssignment: Uint8Array }> }) {
  return {
    errorCode: 0, groupId: g.groupId, state: g.state, protocolType: g.protocolType, protocol: g.protocol,
    members: g.members.map((m) => ({
      memberId: m.memberId, clientId: m.clientId, clientHost: m.clientHost,
      memberMetadata: bufferOf(m.memberMetadata), memberAssignment: bufferOf(m.memberAssignment),
    })),
  };
}

function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes);
}

