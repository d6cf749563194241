/**
 * kafkajs's consumer runner (node_modules/kafkajs/src/consumer/runner.js): joins the group, then runs the fetch
 * manager in a retried loop and hands each batch to `eachMessage` or `eachBatch`.
 *
 * Per batch with `eachMessage` (in this order, as kafkajs): for each message — stop if the consumer stopped or a
 * seek is pending for the partition; `await eachMessage({ topic, partition, message, heartbeat, pause })`; resolve
 * its offset; heartbeat (only if `heartbeatInterval` passed); auto-commit if the interval / threshold says so; stop
 * if the partition got paused. After the batch: commit the resolved offsets (auto-commit), heartbeat. A handler
 * that throws: the offsets resolved so far are committed (auto-commit), then the error goes up (the batch is
 * fetched again: at-least-once). Heartbeats happen only at those points — never while a handler runs.
 *
 * Errors of the loop: REBALANCE_IN_PROGRESS / ILLEGAL_GENERATION / NOT_COORDINATOR_FOR_GROUP ("The group is
 * rebalancing, re-joining", WARN, REBALANCING event; when a heartbeat finds it, resolved offsets are committed
 * first) and UNKNOWN_MEMBER_ID ("The coordinator is not aware of this member, re-joining the group", ERROR)
 * rejoin; anything else is retried by the retrier and, when that gives up or the error is not retriable, crashes
 * the consumer (`onCrash`).
 *
 * The simulator's trace: `kafka-processing` when a handler starts on a message (or batch) and `kafka-consumed`
 * when it returns (with the error if it threw).
 */
import { SIMULATED_EPOCH_MS } from '../../../core/clock.ts';
import { isKafkaJSError, isRebalancing, type KafkaJSError } from './errors.ts';
import type { ClientEnv } from './cluster-client.ts';
import { createFetchManager } from './fetch-manager.ts';
import type { GroupClient } from './group-client.ts';
import { CONSUMER_EVENTS, type Instrumentation } from './instrumentation.ts';
import { stackOf, type Logger } from './logger.ts';
import type { Batch } from './batch.ts';
import type { OffsetsByTopic } from './offset-manager.ts';
import { createRetry, type RetryOptions } from './retry.ts';
import type { KafkaMessage } from './messages.ts';

/** What `eachMessage` gets. */
export interface EachMessagePayload {
  topic: string;
  partition: number;
  message: KafkaMessage;
  heartbeat(): Promise<void>;
  pause(): () => void;
}

/** What `eachBatch` gets. */
export interface EachBatchPayload {
  batch: Batch;
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  pause(): () => void;
  commitOffsetsIfNecessary(offsets?: Partial<OffsetsByTopic>): Promise<void>;
  uncommittedOffsets(): OffsetsByTopic;
  isRunning(): boolean;
  isStale(): boolean;
}

/** A running consumer's loop (see the module doc). */
export class Runner {
  private readonly env: ClientEnv;
  private readonly logger: Logger;
  readonly consumerGroup: GroupClient;
  private readonly instrumentation: Instrumentation;
  private readonly eachBatchAutoResolve: boolean;
  private readonly eachBatch: ((p: EachBatchPayload) => Promise<void>) | null;
  private readonly eachMessage: ((p: EachMessagePayload) => Promise<void>) | null;
  private readonly heartbeatInterval: number;
  private readonly retrier: ReturnType<typeof createRetry>;
  private readonly onCrash: (e: unknown) => Promise<void>;
  private readonly autoCommit: boolean;
  private readonly fetchManager: ReturnType<typeof createFetchManager>;
  running = false;
  private consumingFlag = false;
  private readonly consumingStopWaiters: Array<() => void> = [];

  constructor(env: ClientEnv, o: {
    logger: Logger; consumerGroup: GroupClient; instrumentation: Instrumentation; heartbeatInterval: number;
    retry: RetryOptions | undefined; autoCommit: boolean; eachBatchAutoResolve: boolean;
    eachBatch: ((p: EachBatchPayload) => Promise<void>) | null; eachMessage: ((p: EachMessagePayload) => Promise<void>) | null;
    onCrash: (e: unknown) => Promise<void>; concurrency: number;
  }) {
    this.env = env;
    this.logger = o.logger.namespace('Runner');
    this.consumerGroup = o.consumerGroup;
    this.instrumentation = o.instrumentation;
    this.eachBatchAutoResolve = o.eachBatchAutoResolve;
    this.eachBatch = o.eachBatch;
    this.eachMessage = o.eachMessage;
    this.heartbeatInterval = o.heartbeatInterval;
    this.retrier = createRetry(env.retryEnv, { ...o.retry });
    this.onCrash = o.onCrash;
    this.autoCommit = o.autoCommit;
    this.fetchManager = createFetchManager({
      logger: this.logger, getNodeIds: () => this.consumerGroup.getNodeIds(), fetch: (nodeId) => this.fetch(nodeId),
      handler: (batch) => this.handleBatch(batch), concurrency: o.concurrency,
    });
  }

  private get consuming(): boolean {
    return this.consumingFlag;
  }

  private set consuming(value: boolean) {
    if (this.consumingFlag === value) return;
    this.consumingFlag = value;
    if (!value) for (const w of this.consumingStopWaiters.splice(0)) w();
  }

  private ids() {
    return { groupId: this.consumerGroup.groupId, memberId: this.consumerGroup.memberId };
  }

  /** Joins the group and starts the fetch loop; a failure to join crashes the consumer. */
  async start(): Promise<void> {
    if (this.running) return;
    try {
      await this.consumerGroup.connect();
      await this.consumerGroup.joinAndSync();
    } catch (e) {
      return this.onCrash(e);
    }
    this.running = true;
    this.scheduleFetchManager();
  }

  private scheduleFetchManager(): void {
    if (!this.running) {
      this.consuming = false;
      this.logger.info('consumer not running, exiting', this.ids());
      return;
    }
    this.consuming = true;
    this.retrier(async (bail, retryCount, retryTime) => {
      if (!this.running) return;
      try {
        await this.fetchManager.start();
      } catch (e) {
        const error = e as KafkaJSError & { type?: string };
        if (isRebalancing(error)) {
          this.logger.warn('The group is rebalancing, re-joining', { ...this.ids(), error: error.message });
          this.instrumentation.emit(CONSUMER_EVENTS.REBALANCING, this.ids());
          await this.consumerGroup.joinAndSync();
          return;
        }
        if (error.type === 'UNKNOWN_MEMBER_ID') {
          this.logger.error('The coordinator is not aware of this member, re-joining the group', { ...this.ids(), error: error.message });
          this.consumerGroup.memberId = null;
          await this.consumerGroup.joinAndSync();
          return;
        }
        if (error.name === 'KafkaJSNotImplemented' || error.name === 'KafkaJSNoBrokerAvailableError') return bail(e);
        this.logger.debug('Error while scheduling fetch manager, trying again...', {
          ...this.ids(), error: error.message, stack: stackOf(error), retryCount, retryTime,
        });
        throw e;
      }
    })
      .then(() => this.scheduleFetchManager())
      .catch((e) => {
        void this.onCrash(e);
        this.consuming = false;
        this.running = false;
      });
  }

  /** Stops the loop after the current batch and leaves the group. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.logger.debug('stop consumer group', this.ids());
    this.running = false;
    try {
      await this.fetchManager.stop();
      await this.waitForConsumer();
      await this.consumerGroup.leave();
    } catch {
      // kafkajs ignores errors while stopping
    }
  }

  private waitForConsumer(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.consuming) return resolve();
      this.logger.debug('waiting for consumer to finish...', this.ids());
      this.consumingStopWaiters.push(resolve);
    });
  }

  /** A heartbeat (if due); on a rebalance error, commits the resolved offsets first. */
  async heartbeat(): Promise<void> {
    try {
      await this.consumerGroup.heartbeat({ interval: this.heartbeatInterval });
    } catch (e) {
      if (isRebalancing(e as { type?: string })) await this.autoCommitOffsets();
      throw e;
    }
  }

  private async processEachMessage(batch: Batch): Promise<void> {
    const { topic, partition } = batch;
    const model = this.env.model;
    const pause = () => {
      this.consumerGroup.pause([{ topic, partitions: [partition] }]);
      return () => this.consumerGroup.resume([{ topic, partitions: [partition] }]);
    };
    for (const message of batch.messages) {
      if (!this.running || this.consumerGroup.hasSeekOffset({ topic, partition })) break;
      const offset = Number(message.offset);
      const startedAtMs = this.env.now() - SIMULATED_EPOCH_MS;
      model.noteProcessing(this.env.handle, topic, partition, offset, 1);
      try {
        await (this.eachMessage as (p: EachMessagePayload) => Promise<void>)({
          topic, partition, message, heartbeat: () => this.heartbeat(), pause,
        });
      } catch (e) {
        model.noteConsumed(this.env.handle, topic, partition, offset, 1, startedAtMs, errorText(e));
        if (!isKafkaJSError(e)) {
          this.logger.error('Error when calling eachMessage', { topic, partition, offset: message.offset, stack: stackOf(e), error: e });
        }
        await this.autoCommitOffsets();
        throw e;
      }
      model.noteConsumed(this.env.handle, topic, partition, offset, 1, startedAtMs);
      this.consumerGroup.resolveOffset({ topic, partition, offset: message.offset });
      await this.heartbeat();
      await this.autoCommitOffsetsIfNecessary();
      if (this.consumerGroup.isPaused(topic, partition)) break;
    }
  }

  private async processEachBatch(batch: Batch): Promise<void> {
    const { topic, partition } = batch;
    const model = this.env.model;
    const pause = () => {
      this.consumerGroup.pause([{ topic, partitions: [partition] }]);
      return () => this.consumerGroup.resume([{ topic, partitions: [partition] }]);
    };
    const first = Number(batch.firstOffset());
    const startedAtMs = this.env.now() - SIMULATED_EPOCH_MS;
    model.noteProcessing(this.env.handle, topic, partition, first, batch.messages.length);
    let resolvedUpTo = first - 1;
    try {
      await (this.eachBatch as (p: EachBatchPayload) => Promise<void>)({
        batch,
        resolveOffset: (offset) => {
          resolvedUpTo = Math.max(resolvedUpTo, Number(offset));
          this.consumerGroup.resolveOffset({ topic, partition, offset });
        },
        heartbeat: () => this.heartbeat(),
        pause,
        commitOffsetsIfNecessary: async (offsets) => (offsets
          ? this.consumerGroup.commitOffsets(offsets) : this.consumerGroup.commitOffsetsIfNecessary()),
        uncommittedOffsets: () => this.consumerGroup.uncommittedOffsets(),
        isRunning: () => this.running,
        isStale: () => this.consumerGroup.hasSeekOffset({ topic, partition }),
      });
    } catch (e) {
      model.noteConsumed(this.env.handle, topic, partition, first, Math.max(0, resolvedUpTo - first + 1), startedAtMs, errorText(e));
      if (!isKafkaJSError(e)) {
        this.logger.error('Error when calling eachBatch', { topic, partition, offset: batch.firstOffset(), stack: stackOf(e), error: e });
      }
      await this.autoCommitOffsets();
      throw e;
    }
    if (this.eachBatchAutoResolve) {
      resolvedUpTo = Number(batch.lastOffset());
      this.consumerGroup.resolveOffset({ topic, partition, offset: batch.lastOffset() });
    }
    model.noteConsumed(this.env.handle, topic, partition, first, Math.max(0, resolvedUpTo - first + 1), startedAtMs);
  }

  private async fetch(nodeId: string): Promise<Batch[]> {
    if (!this.running) {
      this.logger.debug('consumer not running, exiting', this.ids());
      return [];
    }
    const startFetch = this.env.now();
    this.instrumentation.emit(CONSUMER_EVENTS.FETCH_START, { nodeId });
    const batches = await this.consumerGroup.fetch(nodeId);
    this.instrumentation.emit(CONSUMER_EVENTS.FETCH, { numberOfBatches: 0, duration: this.env.now() - startFetch, nodeId });
    if (batches.length === 0) await this.heartbeat();
    return batches;
  }

  private async handleBatch(batch: Batch): Promise<void> {
    if (!this.running) {
      this.logger.debug('consumer not running, exiting', this.ids());
      return;
    }
    const startBatchProcess = this.env.now();
    const payload = {
      topic: batch.topic, partition: batch.partition, highWatermark: batch.highWatermark, offsetLag: batch.offsetLag(),
      offsetLagLow: batch.offsetLagLow(), batchSize: batch.messages.length, firstOffset: batch.firstOffset(),
      lastOffset: batch.lastOffset(),
    };
    if (batch.isEmpty()) {
      await this.heartbeat();
      return;
    }
    this.instrumentation.emit(CONSUMER_EVENTS.START_BATCH_PROCESS, payload);
    if (this.eachMessage) await this.processEachMessage(batch);
    else if (this.eachBatch) await this.processEachBatch(batch);
    this.instrumentation.emit(CONSUMER_EVENTS.END_BATCH_PROCESS, { ...payload, duration: this.env.now() - startBatchProcess });
    await this.autoCommitOffsets();
    await this.heartbeat();
  }

  private async autoCommitOffsets(): Promise<void> {
    if (this.autoCommit) await this.consumerGroup.commitOffsets();
  }

  private async autoCommitOffsetsIfNecessary(): Promise<void> {
    if (this.autoCommit) await this.consumerGroup.commitOffsetsIfNecessary();
  }

  /** `consumer.commitOffsets(...)`: retried; ignored once the consumer stopped. */
  commitOffsets(offsets: OffsetsByTopic): Promise<void> | undefined {
    if (!this.running) {
      this.logger.debug('consumer not running, exiting', { ...this.ids(), offsets });
      return undefined;
    }
    return this.retrier(async (bail, retryCount, retryTime) => {
      try {
        await this.consumerGroup.commitOffsets(offsets);
      } catch (e) {
        const error = e as KafkaJSError;
        if (!this.running) {
          this.logger.debug('consumer not running, exiting', { error: error.message, ...this.ids(), offsets });
          return;
        }
        if (error.name === 'KafkaJSNotImplemented') return bail(e);
        this.logger.debug('Error while committing offsets, trying again...', {
          ...this.ids(), error: error.message, stack: stackOf(error), retryCount, retryTime, offsets,
        });
        throw e;
      }
    });
  }
}

function errorText(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}
