/**
 * The leader's handling of a Produce request (Kafka's `ReplicaManager.appendRecords` and `DelayedProduce`), per
 * partition batch, in request order:
 * - the topic or partition does not exist → UNKNOWN_TOPIC_OR_PARTITION; this broker does not lead it →
 *   NOT_LEADER_FOR_PARTITION; `acks` not -1, 0 or 1 → INVALID_REQUIRED_ACKS (whole request);
 * - acks=-1 with fewer in-sync replicas than the topic's min.insync.replicas → NOT_ENOUGH_REPLICAS, nothing
 *   written;
 * - an idempotent producer's batch passes `PartitionLog.checkSequence`: a duplicate of one of the last 5 batches is
 *   answered with that batch's offset (`duplicate`) and not written again; a gap → OUT_OF_ORDER_SEQUENCE_NUMBER;
 * - otherwise the records are appended; with acks=1 that is the answer; with acks=-1 the answer waits until the
 *   high watermark passes the batch (all in-sync replicas have it), failing with NOT_ENOUGH_REPLICAS_AFTER_APPEND
 *   if the ISR shrank below min.insync.replicas meanwhile, or REQUEST_TIMED_OUT after the request's `timeoutMs`
 *   (the records stay written: a retry then duplicates them unless the producer is idempotent);
 * - acks=0: the broker writes and answers nothing.
 * The answer covers every batch of the request and leaves when the last one is settled.
 */
import type { KafkaErrorType } from './errors.ts';
import { msgCount, type MsgList } from './msg-list.ts';
import type { RecordPayload } from './partition-log.ts';
import type { Partition } from './topic.ts';

/** One partition's records in a produce request. */
export interface ProduceBatch {
  topic: string;
  partition: number;
  /** Message numbers (ids `m<N>`) of the records. */
  msgs: MsgList;
  /** Record timestamps (epoch ms), one per record or one for all. */
  timestamps: number[] | number;
  /** Record sizes in bytes, one per record or one for all. */
  sizes: number[] | number;
  /** Key / value / headers of program-produced records. */
  payloads?: RecordPayload[];
  /** For the trace (see `kafka-produce-sent`): per-record keys, value previews, headers, explicit timestamps. */
  keys?: Array<string | null>;
  previews?: string[];
  previewStem?: string;
  headers?: Array<Array<[string, string]> | null>;
  explicitTimestamps?: number[];
  /** First sequence number (idempotent producers), else -1. */
  baseSequence: number;
}

/** A Produce request to one broker. */
export interface ProduceRequest {
  acks: number;
  /** How long the broker may wait for replication (acks=-1), ms. */
  timeoutMs: number;
  /** Idempotent producer id and epoch, or -1 / 0. */
  producerId: number;
  producerEpoch: number;
  /** 1 for the first attempt, 2 for the first retry… (trace only). */
  attempt: number;
  batches: ProduceBatch[];
}

/** One partition's answer. */
export interface ProducePartitionResult {
  topic: string;
  partition: number;
  error?: KafkaErrorType;
  /** First offset of the batch (-1 on error). */
  baseOffset: number;
  logStartOffset: number;
  duplicate?: boolean;
}

/** What produce handling needs from the cluster. */
export interface ProduceHost {
  partitionOf(topic: string, partition: number): Partition | undefined;
  topicExists(topic: string): boolean;
  minInsyncReplicas(topic: string): number;
  segmentConfig(topic: string): { bytes: number; ms: number };
  nowMs(): number;
  /** Appends and records `kafka-appended`, returns the base offset; replication follows. */
  append(p: Partition, batch: ProduceBatch, broker: number, producerId: number, producerEpoch: number): number;
  /** Schedules `fn` after `ms` (the acks=all timeout); returns a cancel function. */
  after(ms: number, fn: () => void): () => void;
}

/**
 * Handles a Produce request at broker `broker` (see the module doc) and calls `done` once with every partition's
 * result (not at all for acks=0).
 */
export function handleProduce(host: ProduceHost, broker: number, req: ProduceRequest,
  done: (results: ProducePartitionResult[]) => void): void {
  const results: ProducePartitionResult[] = [];
  if (req.acks !== -1 && req.acks !== 0 && req.acks !== 1) {
    for (const b of req.batches) results.push({ topic: b.topic, partition: b.partition, error: 'INVALID_REQUIRED_ACKS', baseOffset: -1, logStartOffset: -1 });
    done(results);
    return;
  }
  let waiting = 0;
  let finished = false;
  let cancelTimeout: (() => void) | undefined;
  const maybeDone = () => {
    if (finished || waiting > 0) return;
    finished = true;
    cancelTimeout?.();
    if (req.acks !== 0) done(results);
  };
  const pendings: Array<{ p: Partition; ack: { endOffset: number; complete: (e?: KafkaErrorType) => void } }> = [];
  for (const b of req.batches) {
    const result: ProducePartitionResult = { topic: b.topic, partition: b.partition, baseOffset: -1, logStartOffset: -1 };
    results.push(result);
    const p = host.partitionOf(b.topic, b.partition);
    if (p === undefined) {
      result.error = 'UNKNOWN_TOPIC_OR_PARTITION';
      continue;
    }
    if (p.leader !== broker) {
      result.error = 'NOT_LEADER_FOR_PARTITION';
      continue;
    }
    result.logStartOffset = p.log.logStartOffset;
    const minIsr = host.minInsyncReplicas(b.topic);
    if (req.acks === -1 && p.isr.length < minIsr) {
      result.error = 'NOT_ENOUGH_REPLICAS';
      continue;
    }
    const check = p.log.checkSequence(req.producerId, req.producerEpoch, b.baseSequence, msgCount(b.msgs));
    if (check.kind === 'error') {
      result.error = check.error;
      continue;
    }
    if (check.kind === 'duplicate') {
      result.baseOffset = check.baseOffset;
      result.duplicate = true;
      continue;
    }
    const baseOffset = host.append(p, b, broker, req.producerId, req.producerEpoch);
    result.baseOffset = baseOffset;
    const endOffset = baseOffset + msgCount(b.msgs);
    if (req.acks === -1 && p.highWatermark < endOffset) {
      waiting++;
      const ack = {
        endOffset,
        complete: (error?: KafkaErrorType) => {
          if (finished) return;
          if (error === undefined && p.isr.length < minIsr) error = 'NOT_ENOUGH_REPLICAS_AFTER_APPEND';
          if (error !== undefined) result.error = error;
          waiting--;
          maybeDone();
        },
      };
      p.pendingAcks.push(ack);
      pendings.push({ p, ack });
    }
  }
  if (waiting > 0) {
    cancelTimeout = host.after(req.timeoutMs, () => {
      for (const { p, ack } of pendings) {
        if (p.pendingAcks.includes(ack)) {
          p.pendingAcks = p.pendingAcks.filter((a) => a !== ack);
          ack.complete('REQUEST_TIMED_OUT');
        }
      }
    });
  }
  maybeDone();
}
