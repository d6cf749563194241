/**
 * A scenario's producer: a promise-free client over the cluster model (the kafkajs facade is for programs; large
 * scenario runs need a client that allocates little and runs synchronously), with the Java producer's batching
 * and retry rules, which the lessons teach:
 * - records go to partitions with kafkajs's DefaultPartitioner (`model/partitioner.ts`) and wait in a per-partition
 *   batch for `lingerMs` (linger.ms; 0: sent at once) or until `batchMaxRecords`;
 * - one produce request per leader broker with the next batch of each of its partitions, at most `maxInFlight`
 *   requests in flight per broker (max.in.flight.requests.per.connection, 1–5), and a partition's new batch only
 *   within `maxInFlight` batches of its oldest unacknowledged one;
 * - a failed batch (a retriable error, or no answer within `requestTimeoutMs`) goes back in send order and is
 *   retried after `retryBackoffMs`, up to `retries` times; nothing later of its partition is sent before it — but
 *   batches already in flight may land first: with more than one in flight a retry can reorder records (and a
 *   lost answer duplicates them); with one in flight order holds;
 * - a batch whose partition has no leader (offline: every in-sync replica's broker is down) is not sent: it is
 *   retried like a failed one (LEADER_NOT_AVAILABLE, as a metadata refresh reports it; kafkajs's retrier), each
 *   batch counting its own retries, and given up after `retries` (KafkaJSNumberOfRetriesExceeded). Both are traced
 *   as `kafka-client-error` entries naming the batch's records;
 * - `retryBackoffFactor` multiplies the wait after each retry (kafkajs's retrier: initialRetryTime 300 ms,
 *   multiplier 2, retries 5 — its ±20 % random factor is left out; the Java producer waits retry.backoff.ms each
 *   time: factor 1, the default);
 * - `idempotent`: a producer id and per-partition sequence numbers (fixed per batch, kept across retries): the
 *   broker drops a duplicate and refuses a batch that skips a sequence (OUT_OF_ORDER_SEQUENCE_NUMBER, retried), so
 *   with up to 5 in flight every partition keeps its order and no retry duplicates (KIP-98).
 * Trace: the cluster records `kafka-produce-sent` / `kafka-appended` / `kafka-produce-response`.
 */
import type { ClientHandle, KafkaCluster } from '../model/cluster.ts';
import type { KafkaErrorType } from '../model/errors.ts';
import { KAFKA_ERRORS } from '../model/errors.ts';
import { DefaultPartitionerState } from '../model/partitioner.ts';
import { msgArray, msgCount, type MsgRange } from '../model/msg-list.ts';
import type { ProduceBatch, ProducePartitionResult } from '../model/produce.ts';
import { RECORD_OVERHEAD_BYTES } from '../model/partition-log.ts';

/** Options of a scenario producer (simulated ms). */
export interface ProducerDriverOptions {
  topic: string;
  label: string;
  acks: -1 | 0 | 1;
  lingerMs: number;
  batchMaxRecords: number;
  maxInFlight: number;
  idempotent: boolean;
  retries: number;
  retryBackoffMs: number;
  /** Each retry waits this many times longer than the one before (default 1: always `retryBackoffMs`). */
  retryBackoffFactor?: number;
  requestTimeoutMs: number;
  /** The i-th record's key (0-based) or null for none. */
  key(i: number): string | null;
  /** An explicit partition for the i-th record (it wins over the key), or undefined to let the partitioner choose. */
  partition?(i: number): number | undefined;
  /** Every record is keyless (`key` always null): lets `sendRange` skip per-record calls. */
  keyless?: boolean;
  /** Stem of the value preview: a record's value reads `${valueStem}${message number}` ("order 17"). */
  valueStem: string;
}

interface PendingBatch {
  partition: number;
  /** Message numbers: an evenly spaced range while they are, an array once they are not. */
  msgs: MsgRange | number[];
  keys: Array<string | null> | undefined;
  /** Record sizes, or one size for all while every record has the same (keyless records). */
  sizes: number[] | number;
  firstIndex: number;
  /** Sequence of the first record (idempotent), fixed at first send. */
  baseSequence: number;
  attempts: number;
  /** A retried batch waits until then (simulated ms). */
  retryAtMs: number;
  /** Its place among its partition's batches in first-send order (-1 before it is first sent). */
  ordinal: number;
}

/** Appends message number `msg` to a batch, keeping the range form while the numbers stay evenly spaced. */
function addMsg(batch: PendingBatch, msg: number): void {
  const m = batch.msgs;
  if (Array.isArray(m)) {
    m.push(msg);
    return;
  }
  const r = m as MsgRange;
  if (r.count === 0) {
    r.first = msg;
    r.count = 1;
  } else if (r.count === 1 && msg > r.first) {
    r.stride = msg - r.first;
    r.count = 2;
  } else if (msg === r.first + r.count * r.stride && r.stride > 0) {
    r.count++;
  } else {
    const list = msgArray(r);
    list.push(msg);
    batch.msgs = list;
  }
}

/** A running scenario producer; `send(i)` adds the i-th record. */
export class ProducerDriver {
  readonly client: ClientHandle;
  private readonly cluster: KafkaCluster;
  private readonly o: ProducerDriverOptions;
  private readonly partitioner: DefaultPartitionerState;
  /** The batch being filled, by partition id. */
  private readonly open: Array<PendingBatch | undefined> = [];
  private readonly lingerTimers = new Map<number, number>();
  /** Closed batches waiting to be sent, per partition, in send order. */
  private readonly queues: Array<PendingBatch[] | undefined> = [];
  /**
   * Per partition: the ordinals (0, 1, 2… in first-send order) of batches sent and not resolved yet (in flight,
   * or waiting to be retried), and the next ordinal.
   */
  private readonly unresolved: Array<Set<number> | undefined> = [];
  private readonly nextOrdinal: number[] = [];
  private readonly inFlight = new Map<number, number>();
  private readonly sequences = new Map<number, number>();
  /** Partitions seen without a leader while batches waited for them (see `retryLeaderless`). */
  private readonly leaderless = new Set<number>();
  private producerId = -1;
  /** Model size of a record without its key (the value is the stem and a number). */
  private readonly recordBytes: number;
  /** Records acknowledged (or sent, with acks=0), and those given up. */
  acked = 0;
  failed = 0;

  constructor(cluster: KafkaCluster, o: ProducerDriverOptions) {
    this.cluster = cluster;
    this.o = o;
    this.client = cluster.connectClient('producer', o.label, o.label);
    this.partitioner = new DefaultPartitionerState(() => cluster.randomUint32());
    this.recordBytes = RECORD_OVERHEAD_BYTES + o.valueStem.length + 7;
    if (o.idempotent) this.producerId = 900_000 + Number(this.client.id.slice(1));
  }

  private metadata: Array<{ partitionId: number; leader: number }> = [];
  private metadataAtMs = -1;

  /**
   * The topic's partitions as the partitioner sees them: read from the cluster at most once per simulated ms (a
   * client's metadata is a cached view too), rebuilt when the partition count changes.
   */
  private partitionsMetadata(): Array<{ partitionId: number; leader: number }> {
    const now = this.cluster.engine.nowMs;
    if (now === this.metadataAtMs) return this.metadata;
    this.metadataAtMs = now;
    const partitions = this.cluster.topic(this.o.topic)?.partitions ?? [];
    if (partitions.length !== this.metadata.length) this.metadata = partitions.map((p) => ({ partitionId: p.id, leader: p.leader }));
    for (let i = 0; i < partitions.length; i++) this.metadata[i].leader = partitions[i].leader;
    return this.metadata;
  }

  /**
   * Adds records [from, to) (0-based). Keyless records without an explicit partition (`keyless`) take a loop with
   * no per-record calls but the partitioner's; others go through `send`.
   */
  sendRange(from: number, to: number): void {
    if (this.o.keyless !== true || this.o.partition !== undefined) {
      for (let i = from; i < to; i++) this.send(i);
      return;
    }
    const md = this.partitionsMetadata();
    if (md.length === 0) {
      this.failed += to - from;
      return;
    }
    const topic = this.o.topic;
    let msg = this.cluster.newMsgNums(to - from);
    for (let i = from; i < to; i++, msg++) {
      const partition = this.partitioner.partition(topic, md, null, undefined) as number;
      let batch = this.open[partition];
      if (batch === undefined) batch = this.openBatch(partition, i);
      const r = batch.msgs as MsgRange | number[];
      if (!Array.isArray(r) && (r.count === 0 || (r.count === 1 && msg > r.first) || (r.stride > 0 && msg === r.first + r.count * r.stride))) {
        if (r.count === 0) r.first = msg;
        else if (r.count === 1) r.stride = msg - r.first;
        r.count++;
      } else {
        addMsg(batch, msg);
      }
      if (this.o.lingerMs === 0 || msgCount(batch.msgs) >= this.o.batchMaxRecords) this.close(partition);
    }
  }

  /** Opens the batch of `partition` (its first record is record `i`), with its linger timer. */
  private openBatch(partition: number, i: number): PendingBatch {
    const batch: PendingBatch = { partition, msgs: { first: 0, stride: 0, count: 0 }, keys: undefined, sizes: this.recordBytes, firstIndex: i, baseSequence: -1, attempts: 0, retryAtMs: 0, ordinal: -1 };
    this.open[partition] = batch;
    if (this.o.lingerMs > 0) {
      this.lingerTimers.set(partition, this.cluster.clientTimer(this.client, this.o.lingerMs, false, () => this.close(partition)));
    }
    return batch;
  }

  /** Adds record `i` (0-based) to its partition's batch. */
  send(i: number): void {
    const key = this.o.key(i);
    const md = this.partitionsMetadata();
    if (md.length === 0) {
      this.failed++;
      return;
    }
    const explicit = this.o.partition?.(i);
    const partition = this.partitioner.partition(this.o.topic, md, key, explicit) as number;
    const batch = this.open[partition] ?? this.openBatch(partition, i);
    const before = msgCount(batch.msgs);
    addMsg(batch, this.cluster.newMsgNum());
    if (key !== null) {
      batch.keys ??= new Array<string | null>(before).fill(null);
      batch.keys.push(key);
    } else if (batch.keys !== undefined) {
      batch.keys.push(null);
    }
    if (key !== null || typeof batch.sizes !== 'number') {
      if (typeof batch.sizes === 'number') batch.sizes = new Array<number>(before).fill(this.recordBytes);
      batch.sizes.push(this.recordBytes + (key?.length ?? 0));
    }
    if (this.o.lingerMs === 0 || before + 1 >= this.o.batchMaxRecords) this.close(partition);
  }

  /** Closes the open batch of `partition` and queues it at its leader. */
  private close(partition: number): void {
    const batch = this.open[partition];
    if (batch === undefined) return;
    this.open[partition] = undefined;
    const timer = this.lingerTimers.get(partition);
    if (timer !== undefined) {
      this.cluster.cancelTimer(timer);
      this.lingerTimers.delete(partition);
    }
    this.enqueue(batch, false);
  }

  private leaderOf(partition: number): number {
    return this.cluster.partitionOf(this.o.topic, partition)?.leader ?? -1;
  }

  /**
   * Queues a closed batch on its partition. A retry goes back in send order (ahead of later batches, as the Java
   * producer's accumulator puts it back) and waits `retryBackoffMs`; nothing later of that partition is sent
   * before it.
   */
  private enqueue(batch: PendingBatch, retry: boolean): void {
    const queue = this.queues[batch.partition] ?? (this.queues[batch.partition] = []);
    if (retry) {
      const backoff = this.backoffMs(batch);
      batch.retryAtMs = this.cluster.engine.nowMs + backoff;
      let i = 0;
      while (i < queue.length && queue[i].firstIndex < batch.firstIndex) i++;
      queue.splice(i, 0, batch);
      this.cluster.clientTimer(this.client, backoff, false, () => this.drain());
    } else {
      queue.push(batch);
    }
    this.drain();
  }

  /** The wait before the next retry of `batch` (after its `attempts`-th failed attempt). */
  private backoffMs(batch: PendingBatch): number {
    const factor = this.o.retryBackoffFactor ?? 1;
    return factor === 1 ? this.o.retryBackoffMs : Math.round(this.o.retryBackoffMs * factor ** Math.max(0, batch.attempts - 1));
  }

  /**
   * The due batches of the partitions seen without a leader: each takes a failed attempt (nothing is sent), then
   * waits its backoff, or is given up after `retries` retries. A partition with a leader again, or with nothing
   * waiting, leaves the set (the path without faults costs one size check per drain).
   */
  private retryLeaderless(): void {
    const now = this.cluster.engine.nowMs;
    for (const p of [...this.leaderless]) {
      const queue = this.queues[p];
      if (queue === undefined || queue.length === 0 || this.leaderOf(p) >= 0) {
        this.leaderless.delete(p);
        continue;
      }
      const due = queue.filter((b) => b.retryAtMs <= now);
      if (due.length === 0) continue;
      this.queues[p] = queue.filter((b) => b.retryAtMs > now);
      for (const b of due) {
        b.attempts++;
        const msgs = msgArray(b.msgs);
        const where = `${this.o.topic} p${p}`;
        if (b.attempts <= this.o.retries) {
          this.cluster.noteClientError(this.client, `LEADER_NOT_AVAILABLE: ${where} has no leader; retry ${b.attempts} of ${this.o.retries} in ${this.backoffMs(b)} ms`,
            undefined, { topic: this.o.topic, partition: p, msgs });
          this.enqueue(b, true);
        } else {
          this.failed += msgs.length;
          this.unresolved[p]?.delete(b.ordinal);
          this.cluster.noteClientError(this.client, `KafkaJSNumberOfRetriesExceeded: ${where} had no leader for ${this.o.retries} retries; ${msgs.length} record${msgs.length === 1 ? '' : 's'} given up`,
            undefined, { topic: this.o.topic, partition: p, msgs, gaveUp: true });
        }
      }
    }
  }

  /**
   * Sends what may go: per leader broker one request with the head batch of each of its partitions that is not
   * backing off, while that broker has fewer than `maxInFlight` requests in flight and the partition fewer than
   * `maxInFlight` batches sent and not yet resolved (acknowledged or given up).
   */
  private drain(): void {
    if (this.leaderless.size > 0) this.retryLeaderless();
    let newlyLeaderless = false;
    for (;;) {
      const perBroker = new Map<number, PendingBatch[]>();
      const now = this.cluster.engine.nowMs;
      for (let p = 0; p < this.queues.length; p++) {
        const head = this.queues[p]?.[0];
        if (head === undefined || head.retryAtMs > now) continue;
        const broker = this.leaderOf(p);
        if (broker < 0 && !this.leaderless.has(p)) {
          this.leaderless.add(p);
          newlyLeaderless = true;
        }
        if (broker < 0 || (this.inFlight.get(broker) ?? 0) >= this.o.maxInFlight) continue;
        // A new batch goes out only within `maxInFlight` batches of the oldest unresolved one of its partition —
        // so a retry is never more than 5 batches behind, within what the broker remembers of the producer.
        if (head.attempts === 0 && (this.nextOrdinal[p] ?? 0) - this.oldestUnresolved(p) >= this.o.maxInFlight) continue;
        (perBroker.get(broker) ?? perBroker.set(broker, []).get(broker) as PendingBatch[]).push(head);
      }
      if (perBroker.size === 0) break;
      for (const [broker, batches] of perBroker) {
        for (const b of batches) {
          this.queues[b.partition]?.shift();
          if (b.attempts === 0) {
            b.ordinal = this.nextOrdinal[b.partition] ?? 0;
            this.nextOrdinal[b.partition] = b.ordinal + 1;
            (this.unresolved[b.partition] ??= new Set()).add(b.ordinal);
          }
        }
        this.sendRequest(broker, batches);
      }
    }
    if (newlyLeaderless) this.retryLeaderless();
  }

  /** The oldest unresolved ordinal of partition `p` (the next ordinal when none is unresolved). */
  private oldestUnresolved(p: number): number {
    let oldest = this.nextOrdinal[p] ?? 0;
    for (const o of this.unresolved[p] ?? []) if (o < oldest) oldest = o;
    return oldest;
  }

  private sendRequest(broker: number, batches: PendingBatch[]): void {
    this.inFlight.set(broker, (this.inFlight.get(broker) ?? 0) + 1);
    const epoch = 0;
    const produceBatches: ProduceBatch[] = batches.map((b) => {
      b.attempts++;
      if (this.o.idempotent && b.baseSequence < 0) {
        b.baseSequence = this.sequences.get(b.partition) ?? 0;
        this.sequences.set(b.partition, b.baseSequence + msgCount(b.msgs));
      }
      return {
        topic: this.o.topic, partition: b.partition, msgs: b.msgs, timestamps: this.cluster.nowEpochMs(), sizes: b.sizes,
        ...(b.keys !== undefined ? { keys: b.keys } : {}),
        previewStem: this.o.valueStem,
        baseSequence: this.o.idempotent ? b.baseSequence : -1,
      };
    });
    let settled = false;
    const resolve = (b: PendingBatch) => {
      this.unresolved[b.partition]?.delete(b.ordinal);
    };
    const finish = (results: ProducePartitionResult[] | null) => {
      if (settled) return;
      settled = true;
      this.inFlight.set(broker, (this.inFlight.get(broker) ?? 1) - 1);
      for (const b of batches) {
        const r = results?.find((x) => x.partition === b.partition);
        const error: KafkaErrorType | 'TIMEOUT' | undefined = results === null ? 'TIMEOUT' : r?.error;
        if (error === undefined) {
          this.acked += msgCount(b.msgs);
          resolve(b);
          continue;
        }
        const retriable = error === 'TIMEOUT' || KAFKA_ERRORS[error].retriable || error === 'OUT_OF_ORDER_SEQUENCE_NUMBER';
        if (retriable && b.attempts <= this.o.retries) {
          this.enqueue(b, true);
        } else {
          this.failed += msgCount(b.msgs);
          resolve(b);
        }
      }
      this.drain();
    };
    if (this.o.acks === 0) {
      this.cluster.produce(this.client, broker, { acks: 0, timeoutMs: this.o.requestTimeoutMs, producerId: -1, producerEpoch: 0, attempt: 1, batches: produceBatches }, () => {});
      for (const b of batches) {
        this.acked += msgCount(b.msgs);
        resolve(b);
      }
      this.inFlight.set(broker, (this.inFlight.get(broker) ?? 1) - 1);
      return;
    }
    // The client's own request timeout matters only for answers the network loses (a scenario's `produceFault`):
    // otherwise a broker always answers (a stopped one refuses the connection; acks=-1 waits end at the broker's
    // own timeout). Without faults no timer is set, which saves an engine event per request.
    const timer = this.cluster.produceFault === undefined ? -1
      : this.cluster.clientTimer(this.client, this.o.requestTimeoutMs, false, () => finish(null));
    this.cluster.produce(this.client, broker, {
      acks: this.o.acks, timeoutMs: this.o.requestTimeoutMs, producerId: this.producerId, producerEpoch: epoch,
      attempt: Math.max(...batches.map((b) => b.attempts)), batches: produceBatches,
    }, (reply) => {
      if (timer >= 0) this.cluster.cancelTimer(timer);
      finish(reply.ok ? reply.value : null);
    });
  }

  /** Sends every open batch now (end of a burst). */
  flush(): void {
    for (let partition = 0; partition < this.open.length; partition++) this.close(partition);
  }
}

/**
 * Drives `producer` to send `count` records at `ratePerSec` (evenly spaced; the first at `startMs`), then flush.
 * One engine event per send time (several records share one when the rate exceeds 1 per ms).
 */
export function produceAtRate(cluster: KafkaCluster, producer: ProducerDriver, count: number, ratePerSec: number, startMs: number): void {
  if (count <= 0) return;
  let sent = 0;
  /** Send time of record i: startMs + floor(i × 1000 / rate). */
  const dueAt = (i: number) => startMs + Math.floor((i * 1000) / ratePerSec);
  const step = () => {
    const now = cluster.engine.nowMs;
    // Every record due by now (at high rates many per ms): estimate the last one, then correct the estimate.
    let last = Math.min(count, Math.floor(((now - startMs + 1) * ratePerSec) / 1000) + 1);
    while (last > sent && dueAt(last - 1) > now) last--;
    while (last < count && dueAt(last) <= now) last++;
    if (last > sent) producer.sendRange(sent, last);
    sent = Math.max(sent, last);
    if (sent < count) cluster.engine.schedule(dueAt(sent) - now, step);
    else producer.flush();
  };
  cluster.engine.schedule(Math.max(0, startMs - cluster.engine.nowMs), step);
}
