/**
 * kafkajs 2's producer (node_modules/kafkajs/src/producer/index.js, messageProducer.js, sendMessages.js,
 * eosManager/index.js for the idempotent parts), over the simulated cluster:
 * - `send({ topic, messages, acks = -1, timeout = 30000 })` = `sendBatch({ topicMessages: [...] })`: checks in
 *   kafkajs's order (an empty topic name "Invalid topic"; idempotent with acks ≠ -1; a missing messages array;
 *   a message without `value`), then the connection state ("The producer is disconnected" — a `send` before
 *   `connect()` finished fails here — or "…is disconnecting…"), then sends with the retrier (5 retries by
 *   default): add the topics to the metadata targets (a topic that does not exist and may not be auto-created
 *   fails with UNKNOWN_TOPIC_OR_PARTITION, retried, ending in `KafkaJSNumberOfRetriesExceeded` "This server does
 *   not host this topic-partition"), partition every message, one request per leader broker; brokers that
 *   answered are not asked again on a retry (their records are written). A record for a partition the topic does
 *   not have is silently not sent (kafkajs leaves it out when grouping by leader).
 * - Results: `[{ topicName, partition, errorCode: 0, baseOffset, logAppendTime: '-1', logStartOffset }]` per
 *   partition (acks = 0: `[]`).
 * - `idempotent: true`: a producer id from the controller on `connect()`; per partition sequence numbers; at
 *   most one produce request in flight per broker (kafkajs's broker lock), so a retry is sent before any later
 *   batch and the broker drops duplicates — retries never duplicate or reorder. Without it, concurrent `send`s
 *   can have several requests in flight, and a failed one retried later lands after a later one.
 * - `transaction()`: needs `transactionalId` (kafkajs's error otherwise); transactions themselves are not
 *   simulated (KafkaJSNotImplemented).
 */
import type { Partitioner } from '../model/partitioner.ts';
import type { ProduceBatch } from '../model/produce.ts';
import { msgCount } from '../model/msg-list.ts';
import { ClusterClient, type ClientEnv } from './cluster-client.ts';
import { Lock } from './concurrency.ts';
import {
  KafkaJSError, KafkaJSMetadataNotLoaded, KafkaJSNonRetriableError, KafkaJSNotImplemented, isStaleMetadata,
} from './errors.ts';
import { Instrumentation, PRODUCER_EVENTS, type InstrumentationEvent } from './instrumentation.ts';
import type { Logger } from './logger.ts';
import { headerEntries, previewOf, recordSize, toBytes } from './messages.ts';
import { createRetry, type RetryOptions } from './retry.ts';

/** A message as a program gives it to `send`. */
export interface ProducerMessage {
  key?: unknown;
  value: unknown;
  partition?: unknown;
  headers?: Record<string, unknown>;
  timestamp?: unknown;
}

/** What `send` resolves with: one entry per partition written (kafkajs's `RecordMetadata`). */
export interface RecordMetadata {
  topicName: string;
  partition: number;
  errorCode: number;
  baseOffset: string;
  logAppendTime: string;
  logStartOffset: string;
}

type ConnectionStatus = 'connected' | 'disconnecting' | 'disconnected';

/** Options of `kafka.producer(...)`. */
export interface ProducerOptions {
  createPartitioner?: () => Partitioner;
  retry?: RetryOptions;
  metadataMaxAge?: number;
  allowAutoTopicCreation?: boolean;
  idempotent?: boolean;
  transactionalId?: string;
  transactionTimeout?: number;
  maxInFlightRequests?: number;
}

/** Builds a producer (kafkajs's `kafka.producer(options)`). */
export function createProducer(env: ClientEnv, cluster: ClusterClient, options: {
  partitioner: Partitioner;
  retry: RetryOptions | undefined;
  idempotent: boolean;
  transactionalId: string | undefined;
  logger: Logger;
  reopen: () => void;
}) {
  const idempotent = options.idempotent;
  const retryOptions: RetryOptions = options.retry ?? { retries: idempotent ? Number.MAX_SAFE_INTEGER : 5 };
  const retries = retryOptions.retries;
  if (idempotent && retries !== undefined && retries < 1) {
    throw new KafkaJSNonRetriableError('Idempotent producer must allow retries to protect against transient errors');
  }
  const logger = options.logger.namespace('Producer');
  if (idempotent && retries !== undefined && retries < Number.MAX_SAFE_INTEGER) {
    logger.warn('Limiting retries for the idempotent producer may invalidate EoS guarantees');
  }
  const retrier = createRetry(env.retryEnv, retryOptions);
  const instrumentation = new Instrumentation(env.now);
  let status: ConnectionStatus = 'disconnected';
  // Idempotence (eosManager): producer id / epoch, sequence per topic-partition, one request per broker at a time.
  let producerId = -1;
  let producerEpoch = 0;
  let initialized = false;
  const sequences = new Map<string, number>();
  const brokerLocks = new Map<number, Lock>();
  const seqKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

  const initProducerId = async () => {
    await retrier(async (bail) => {
      try {
        await cluster.refreshMetadataIfNecessary();
        const broker = await cluster.findControllerBroker();
        const result = await broker.initProducerId();
        producerId = result.producerId;
        producerEpoch = result.producerEpoch;
        sequences.clear();
        brokerLocks.clear();
        initialized = true;
      } catch (e) {
        if ((e as KafkaJSError).retriable === true) throw e;
        bail(e);
      }
    });
  };

  const sendMessages = async (acks: number, timeout: number | undefined,
    topicMessages: Array<{ topic: string; messages: ProducerMessage[] }>): Promise<RecordMetadata[]> => {
    // Message numbers (trace ids) fixed once per send: a retry sends the same messages again.
    const msgNums = new Map<ProducerMessage, number>();
    for (const { messages } of topicMessages) for (const m of messages) if (!msgNums.has(m)) msgNums.set(m, env.model.newMsgNum());
    const responsePerBroker = new Map<number, RecordMetadata[] | null>();
    let attempt = 0;
    const createRequests = async (): Promise<Array<Promise<void>>> => {
      await cluster.refreshMetadataIfNecessary();
      const perTopic: Array<{ topic: string; perLeader: Map<number, number[]>; perPartition: Map<number, ProducerMessage[]> }> = [];
      for (const { topic, messages } of topicMessages) {
        const partitionMetadata = cluster.findTopicPartitionMetadata(topic);
        if (partitionMetadata.length === 0) {
          logger.debug('Producing to topic without metadata', { topic, targetTopics: [...cluster.targetTopics] });
          throw new KafkaJSMetadataNotLoaded('Producing to topic without metadata');
        }
        const perPartition = new Map<number, ProducerMessage[]>();
        for (const message of messages) {
          const p = options.partitioner({ topic, partitionMetadata, message: message as { key?: unknown; partition?: unknown } });
          const key = p as number;
          perPartition.set(key, [...(perPartition.get(key) ?? []), message]);
        }
        const perLeader = cluster.findLeaderForPartitions(topic, [...perPartition.keys()]);
        perTopic.push({ topic, perLeader, perPartition });
        for (const nodeId of perLeader.keys()) {
          await cluster.findBroker({ nodeId });
          if (!responsePerBroker.has(nodeId)) responsePerBroker.set(nodeId, null);
        }
      }
      attempt++;
      const pending = [...responsePerBroker].filter(([, r]) => r === null).map(([nodeId]) => nodeId);
      return pending.map(async (nodeId) => {
        const broker = await cluster.findBroker({ nodeId });
        const batches: ProduceBatch[] = [];
        for (const { topic, perLeader, perPartition } of perTopic) {
          for (const partition of perLeader.get(nodeId) ?? []) {
            batches.push(toBatch(topic, partition, perPartition.get(partition) ?? []));
          }
        }
        let lock: Lock | undefined;
        if (initialized) {
          lock = brokerLocks.get(nodeId) ?? new Lock();
          brokerLocks.set(nodeId, lock);
          await lock.acquire();
        }
        try {
          for (const b of batches) {
            const k = seqKey(b.topic, b.partition);
            b.baseSequence = initialized ? (sequences.get(k) ?? 0) : 0;
            if (initialized) sequences.set(k, b.baseSequence + msgCount(b.msgs));
          }
          let results;
          try {
            results = await broker.produce({
              acks, timeoutMs: timeout ?? 30_000, producerId: initialized ? producerId : -1,
              producerEpoch: initialized ? producerEpoch : 0, attempt, batches,
            });
          } catch (e) {
            for (const b of batches) {
              const k = seqKey(b.topic, b.partition);
              if (initialized) sequences.set(k, (sequences.get(k) ?? 0) - msgCount(b.msgs));
            }
            throw e;
          }
          responsePerBroker.set(nodeId, acks === 0 ? [] : results.map((r) => ({
            topicName: r.topic, partition: r.partition, errorCode: 0, baseOffset: String(r.baseOffset),
            logAppendTime: '-1', logStartOffset: String(r.logStartOffset),
          })));
        } catch (e) {
          responsePerBroker.delete(nodeId);
          throw e;
        } finally {
          lock?.release();
        }
      });
    };
    const toBatch = (topic: string, partition: number, messages: ProducerMessage[]): ProduceBatch => {
      const dateNow = env.now();
      const payloads = messages.map((m) => ({ key: toBytes(m.key), value: toBytes(m.value), headers: headerEntries(m.headers) }));
      const hasKeys = payloads.some((p) => p.key !== null);
      const hasHeaders = payloads.some((p) => p.headers.length > 0);
      const hasTimestamps = messages.some((m) => m.timestamp != null);
      return {
        topic, partition, msgs: messages.map((m) => msgNums.get(m) as number),
        timestamps: messages.map((m) => (m.timestamp != null ? Number(m.timestamp) : dateNow)),
        sizes: payloads.map(recordSize), payloads,
        ...(hasKeys ? { keys: payloads.map((p) => (p.key === null ? null : previewOf(p.key))) } : {}),
        previews: payloads.map((p) => previewOf(p.value)),
        ...(hasHeaders ? { headers: payloads.map((p) => (p.headers.length === 0 ? null : p.headers.map(([k, v]) => [k, previewOf(v)] as [string, string]))) } : {}),
        ...(hasTimestamps ? { explicitTimestamps: messages.map((m) => (m.timestamp != null ? Number(m.timestamp) : dateNow)) } : {}),
        baseSequence: -1,
      };
    };
    return retrier(async (bail, retryCount, retryTime) => {
      await cluster.addMultipleTargetTopics(topicMessages.map((t) => t.topic));
      try {
        const requests = await createRequests();
        await Promise.all(requests);
        return [...responsePerBroker.values()].flatMap((r) => r ?? []);
      } catch (e) {
        const error = e as KafkaJSError & { type?: string; host?: string; port?: number };
        if (error.name === 'KafkaJSConnectionClosedError') cluster.removeBroker({ host: error.host, port: error.port });
        if (!cluster.isConnected()) {
          logger.debug(`Cluster has disconnected, reconnecting: ${error.message}`, { retryCount, retryTime });
          await cluster.connect();
          await cluster.refreshMetadata();
          throw e;
        }
        if (isStaleMetadata(error) || error.name === 'KafkaJSMetadataNotLoaded' || error.name === 'KafkaJSConnectionError' ||
          error.name === 'KafkaJSConnectionClosedError' || (error.name === 'KafkaJSProtocolError' && error.retriable)) {
          logger.error(`Failed to send messages: ${error.message}`, { retryCount, retryTime });
          await cluster.refreshMetadata();
          throw e;
        }
        logger.error(`${error.message}`, { retryCount, retryTime });
        if (error.retriable) throw e;
        bail(e);
        return [];
      }
    });
  };

  const validateConnectionStatus = () => {
    if (status === 'disconnecting') {
      throw new KafkaJSNonRetriableError("The producer is disconnecting; therefore, it can't safely accept messages anymore");
    }
    if (status === 'disconnected') throw new KafkaJSError('The producer is disconnected');
  };

  const sendBatch = async ({ acks = -1, timeout, topicMessages = [] }: {
    acks?: number; timeout?: number; compression?: unknown; topicMessages?: Array<{ topic: string; messages: ProducerMessage[] }>;
  } = {}): Promise<RecordMetadata[]> => {
    if (topicMessages.some(({ topic }) => !topic)) throw new KafkaJSNonRetriableError('Invalid topic');
    if (idempotent && acks !== -1) {
      throw new KafkaJSNonRetriableError("Not requiring ack for all messages invalidates the idempotent producer's EoS guarantees");
    }
    for (const { topic, messages } of topicMessages) {
      if (!messages) throw new KafkaJSNonRetriableError(`Invalid messages array [${String(messages)}] for topic "${topic}"`);
      const withoutValue = messages.find((m) => m.value === undefined);
      if (withoutValue) {
        throw new KafkaJSNonRetriableError(`Invalid message without value for topic "${topic}": ${JSON.stringify(withoutValue)}`);
      }
    }
    validateConnectionStatus();
    const merged: Array<{ topic: string; messages: ProducerMessage[] }> = [];
    for (const { topic, messages } of topicMessages) {
      const existing = merged.find((m) => m.topic === topic);
      if (existing === undefined) merged.push({ topic, messages });
      else existing.messages = [...existing.messages, ...messages];
    }
    return sendMessages(acks, timeout, merged);
  };

  const on = (eventName: unknown, listener: (e: InstrumentationEvent) => unknown) =>
    instrumentation.on(PRODUCER_EVENTS, 'producer', eventName, listener, logger);

  return {
    connect: async (): Promise<void> => {
      options.reopen();
      await cluster.connect();
      status = 'connected';
      instrumentation.emit(PRODUCER_EVENTS.CONNECT);
      if (idempotent && !initialized) await initProducerId();
    },
    disconnect: async (): Promise<void> => {
      status = 'disconnecting';
      cluster.disconnect();
      env.model.closeClient(env.handle, 'disconnected');
      status = 'disconnected';
      instrumentation.emit(PRODUCER_EVENTS.DISCONNECT);
    },
    isIdempotent: () => idempotent,
    events: PRODUCER_EVENTS,
    on,
    send: async ({ acks, timeout, compression, topic, messages }: {
      acks?: number; timeout?: number; compression?: unknown; topic: string; messages: ProducerMessage[];
    }) => sendBatch({ acks, timeout, compression, topicMessages: [{ topic, messages }] }),
    sendBatch,
    transaction: async () => {
      if (!options.transactionalId) throw new KafkaJSNonRetriableError('Must provide transactional id for transactional producer');
      throw new KafkaJSNotImplemented('Transactions are not simulated by MQ Lab (kafkajs producer.transaction())');
    },
    logger: () => logger,
  };
}

/** The object `kafka.producer()` returns. */
export type Producer = ReturnType<typeof createProducer>;
