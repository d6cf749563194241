/**
 * The leader's handling of a consumer's Fetch request (Kafka's `ReplicaManager.fetchMessages` and
 * `DelayedFetch`) and of ListOffsets:
 * - per partition: unknown → UNKNOWN_TOPIC_OR_PARTITION; not led by this broker → NOT_LEADER_FOR_PARTITION; a fetch
 *   offset below the log start offset or above the log end offset → OFFSET_OUT_OF_RANGE; otherwise the records
 *   from the fetch offset up to the high watermark (consumers never see records not yet on every in-sync
 *   replica), within the partition's `maxBytes` and the request's `maxBytes` — at least one record if any is
 *   there (KIP-74);
 * - long poll: when fewer than `minBytes` bytes are available and no partition has an error, the broker holds
 *   the request until records arrive (a high watermark moves on one of its partitions) or `maxWaitMs` passes, then
 *   answers with what is there. The wait is an idle event (`Engine.scheduleIdle`): a consumer waiting for records
 *   that never come keeps the run only "quiescent", not busy.
 * - ListOffsets: timestamp -1 (LATEST) → the high watermark (read_committed without transactions reads up to it),
 *   -2 (EARLIEST) → the log start offset, another timestamp → the first offset at or after it (-1 when none).
 */
import type { KafkaErrorType } from './errors.ts';
import type { BatchInfo, RecordPayload } from './partition-log.ts';
import type { Partition, WaitingFetch } from './topic.ts';

/** A Fetch request to one broker. */
export interface FetchRequest {
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  partitions: Array<{ topic: string; partition: number; fetchOffset: number; maxBytes: number }>;
  /** Copy the records into the answer (a kafkajs client needs them; scenario clients only need counts). */
  materialize: boolean;
}

/** A record as a fetch answer carries it (a copy taken when the broker answered). */
export interface FetchedRecord {
  offset: number;
  msgNum: number;
  timestamp: number;
  payload: RecordPayload | undefined;
  batch: BatchInfo | undefined;
}

/** One partition's part of a fetch answer. */
export interface FetchPartitionResult {
  topic: string;
  partition: number;
  error?: KafkaErrorType;
  highWatermark: number;
  logStartOffset: number;
  /** First offset returned and how many records (count 0: none). */
  fromOffset: number;
  count: number;
  records?: FetchedRecord[];
}

/** What fetch handling needs from the cluster. */
export interface FetchHost {
  partitionOf(topic: string, partition: number): Partition | undefined;
  /** Schedules an idle wait (`scheduleIdle`); returns a cancel function. */
  idleAfter(ms: number, fn: () => void): () => void;
}

/** Works out one partition's answer now (no waiting). */
function answerPartition(host: FetchHost, broker: number, req: FetchRequest,
  part: FetchRequest['partitions'][number], budget: { bytes: number }): FetchPartitionResult {
  const p = host.partitionOf(part.topic, part.partition);
  const base = { topic: part.topic, partition: part.partition, fromOffset: part.fetchOffset, count: 0 };
  if (p === undefined) return { ...base, error: 'UNKNOWN_TOPIC_OR_PARTITION', highWatermark: -1, logStartOffset: -1 };
  if (p.leader !== broker) {
    return { ...base, error: 'NOT_LEADER_FOR_PARTITION', highWatermark: -1, logStartOffset: -1 };
  }
  const log = p.log;
  if (part.fetchOffset < log.logStartOffset || part.fetchOffset > log.logEndOffset) {
    return { ...base, error: 'OFFSET_OUT_OF_RANGE', highWatermark: p.highWatermark, logStartOffset: log.logStartOffset };
  }
  const maxBytes = Math.min(part.maxBytes, budget.bytes > 0 ? budget.bytes : 0);
  const count = maxBytes > 0 || budget.bytes === req.maxBytes
    ? log.readCount(part.fetchOffset, p.highWatermark, Math.max(maxBytes, 1)) : 0;
  budget.bytes -= count > 0 ? log.lastReadBytes : 0;
  const result: FetchPartitionResult = {
    ...base, highWatermark: p.highWatermark, logStartOffset: log.logStartOffset, count,
  };
  if (req.materialize && count > 0) {
    const records: FetchedRecord[] = [];
    for (let i = 0; i < count; i++) {
      const offset = part.fetchOffset + i;
      records.push({
        offset, msgNum: log.msgNumAt(offset), timestamp: log.timestampAt(offset), payload: log.payloadAt(offset),
        batch: log.batchAt(offset),
      });
    }
    result.records = records;
  }
  return result;
}

/** Whether a fetch could be answered now: an error somewhere, or at least `minBytes` of records available. */
function ready(host: FetchHost, broker: number, req: FetchRequest): boolean {
  let bytes = 0;
  for (const part of req.partitions) {
    const p = host.partitionOf(part.topic, part.partition);
    if (p === undefined || p.leader !== broker) return true;
    if (part.fetchOffset < p.log.logStartOffset || part.fetchOffset > p.log.logEndOffset) return true;
    const end = Math.min(p.highWatermark, p.log.logEndOffset);
    if (end > part.fetchOffset) {
      bytes += p.log.bytesBetween(part.fetchOffset, end);
      if (bytes >= req.minBytes) return true;
    }
  }
  return req.partitions.length === 0 && req.minBytes <= 0;
}

/** Builds the whole answer now. */
function answer(host: FetchHost, broker: number, req: FetchRequest): FetchPartitionResult[] {
  const budget = { bytes: req.maxBytes };
  return req.partitions.map((part) => answerPartition(host, broker, req, part, budget));
}

/**
 * Handles a Fetch at broker `broker`: answers now, or holds it (long poll, see the module doc). `respond` is called
 * exactly once, unless `cancel()` (returned) is called first (the client went away).
 */
export function handleFetch(host: FetchHost, broker: number, req: FetchRequest,
  respond: (results: FetchPartitionResult[]) => void): () => void {
  if (ready(host, broker, req)) {
    respond(answer(host, broker, req));
    return () => {};
  }
  const partitions: Partition[] = [];
  for (const part of req.partitions) {
    const p = host.partitionOf(part.topic, part.partition);
    if (p !== undefined) partitions.push(p);
  }
  let settled = false;
  const finish = () => {
    if (settled) return;
    settled = true;
    cancelTimer();
    for (const p of partitions) p.waitingFetches.delete(waiter);
    respond(answer(host, broker, req));
  };
  const waiter: WaitingFetch = {
    wake() {
      if (!settled && ready(host, broker, req)) finish();
    },
  };
  for (const p of partitions) p.waitingFetches.add(waiter);
  const cancelTimer = host.idleAfter(req.maxWaitMs, finish);
  return () => {
    if (settled) return;
    settled = true;
    cancelTimer();
    for (const p of partitions) p.waitingFetches.delete(waiter);
  };
}

/** ListOffsets of one partition at broker `broker` (see the module doc). */
export function listOffset(host: FetchHost, broker: number, topic: string, partition: number,
  timestamp: number): { error?: KafkaErrorType; offset: number } {
  const p = host.partitionOf(topic, partition);
  if (p === undefined) return { error: 'UNKNOWN_TOPIC_OR_PARTITION', offset: -1 };
  if (p.leader !== broker) return { error: 'NOT_LEADER_FOR_PARTITION', offset: -1 };
  if (timestamp === -1) return { offset: p.highWatermark };
  if (timestamp === -2) return { offset: p.log.logStartOffset };
  const offset = p.log.offsetForTimestamp(timestamp);
  return { offset: offset >= p.highWatermark ? -1 : offset };
}
