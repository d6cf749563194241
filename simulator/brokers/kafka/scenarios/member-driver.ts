/**
 * A scenario's consumer-group member: a promise-free client over the cluster model that follows kafkajs 2's
 * consumer loop (node_modules/kafkajs/src/consumer/runner.js, consumerGroup.js, offsetManager), so scenario runs
 * behave as the lessons' kafkajs programs do, at a million records:
 * - join: JoinGroup (again with the id MEMBER_ID_REQUIRED hands out), the leader assigns (kafkajs's RoundRobin or
 *   the Java Range assignor) from the topics' partition counts, SyncGroup; then the committed offsets (OffsetFetch),
 *   and for partitions never committed the earliest (`fromBeginning`) or latest offset;
 * - loop: one fetch for all assigned partitions, at their leaders in turn (kafkajs runs one loop per broker; the
 *   scenarios use one broker, where they are the same), long-polling up to `maxWaitMs`; each partition's records
 *   are handled in offset order, `processingMs` each (one engine event per record; none when 0);
 * - heartbeats only between records and batches, when `heartbeatIntervalMs` passed since the last one — a slow
 *   record (`slow`) longer than the session timeout gets the member removed; an error answer
 *   (REBALANCE_IN_PROGRESS, ILLEGAL_GENERATION: commit what was processed, then rejoin; UNKNOWN_MEMBER_ID: rejoin
 *   as a new member) starts the join again, and the partitions are fetched again from the committed offsets;
 * - commits (`commit`): 'auto' — kafkajs's default, after each batch (and before rejoining); 'auto-per-message' —
 *   autoCommitThreshold 1; 'after' — the program commits each record after handling it (at-least-once: a crash
 *   before the commit means it is handled again); 'before' — commits before handling it (at-most-once: a crash
 *   after the commit loses it). A rejected commit is what a program that catches the error sees; the member goes on
 *   and finds out at its next heartbeat.
 * - `crash()`: the process dies (no LeaveGroup; the coordinator notices after the session timeout); `leave()`: a
 *   clean `consumer.disconnect()` (LeaveGroup at once).
 * Trace: `kafka-processing` / `kafka-consumed` per record when records take time, per batch when they take none;
 * group and commit entries come from the coordinator.
 */
import { decodeAssignment, encodeAssignment, encodeMemberMetadata } from '../model/consumer-protocol.ts';
import type { ClientHandle, KafkaCluster } from '../model/cluster.ts';
import type { KafkaErrorType } from '../model/errors.ts';
import type { FetchPartitionResult } from '../model/fetch.ts';
import { rangeAssign, roundRobinAssign } from '../model/assignors.ts';
import type { JoinResponse } from '../model/consumer-group.ts';

/** How a member commits (see the module doc). */
export type CommitMode = 'auto' | 'auto-per-message' | 'after' | 'before';

/** A record that takes `durationMs` to handle (a stuck call), for the first attempt only or every time. */
export interface SlowRecord {
  topic: string;
  partition: number;
  offset: number;
  durationMs: number;
  firstAttemptOnly: boolean;
}

/** Options of a scenario member (simulated ms; kafkajs's defaults in brackets). */
export interface MemberDriverOptions {
  groupId: string;
  topics: string[];
  label: string;
  fromBeginning: boolean;
  assignor: 'roundrobin' | 'range';
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  heartbeatIntervalMs: number;
  maxWaitMs: number;
  maxBytesPerPartition: number;
  processingMs: number;
  commit: CommitMode;
  slow?: SlowRecord;
  /** Shared by members whose slow record hangs only the first time anyone handles it ("topic/partition/offset"). */
  slowAttempts?: Set<string>;
  /**
   * kafkajs's metadataMaxAge [300000]: how often the member's metadata is refreshed; a topic that gained
   * partitions meanwhile makes it rejoin (kafkajs: KafkaJSStaleTopicMetadataAssignment, "Topic has been updated").
   */
  metadataMaxAgeMs?: number;
  /**
   * Trace each record's handling (`kafka-processing` / `kafka-consumed` per record) or each batch's (one pair per
   * batch, split where the member waits for a heartbeat or a commit). Default: per record when records take time.
   */
  traceEachRecord?: boolean;
}

type State = 'idle' | 'joining' | 'running' | 'stopped';

/** Counters a scenario (and the benchmark) reads. */
export interface MemberStats {
  processed: number;
  rebalances: number;
}

const NAMES = { roundrobin: 'RoundRobinAssigner', range: 'RangeAssigner' } as const;

/** A scenario's consumer-group member (see the module doc). */
export class MemberDriver {
  readonly client: ClientHandle;
  readonly stats: MemberStats = { processed: 0, rebalances: 0 };
  private readonly cluster: KafkaCluster;
  private readonly o: MemberDriverOptions;
  private state: State = 'idle';
  /** Bumped on every restart of the loop: answers of an older loop are ignored. */
  private token = 0;
  private memberId = '';
  private generation = -1;
  private assignment: Array<{ topic: string; partition: number }> = [];
  /** Next offset to fetch / handle, per "topic\0partition". */
  private readonly position = new Map<string, number>();
  /** Offsets handled and not committed yet (the next offset), per partition. */
  private readonly resolved = new Map<string, number>();
  private lastHeartbeatMs = 0;
  private nextLeader = 0;
  /** Partition counts of the subscribed topics as of the last metadata refresh, and when that was. */
  private knownPartitions = '';
  private metadataAtMs = 0;
  private readonly slowDone: Set<string>;
  // The batch being handled (hot path state, no closures per record).
  private batchParts: FetchPartitionResult[] = [];
  private batchIndex = 0;
  private recordOffset = 0;
  private recordEnd = 0;
  private batchStartMs = 0;
  private batchFirstOffset = 0;
  /** "topic\0partition" of the batch being handled, and whether its position moved since the last write. */
  private batchKey = '';
  private positionDirty = false;
  private readonly perRecordTrace: boolean;
  /** Records take no time, no slow record, auto-commit, batch tracing: records can be handled a batch at once. */
  private readonly instant: boolean;
  private readonly onRecordDone: () => void;

  constructor(cluster: KafkaCluster, o: MemberDriverOptions) {
    this.cluster = cluster;
    this.o = o;
    this.client = cluster.connectClient('consumer', o.label, o.label, o.groupId);
    this.slowDone = o.slowAttempts ?? new Set();
    this.perRecordTrace = o.traceEachRecord ?? (o.processingMs > 0 || o.slow !== undefined);
    this.instant = o.processingMs === 0 && o.slow === undefined && o.commit === 'auto' && !this.perRecordTrace;
    this.onRecordDone = () => this.recordDone(this.token);
  }

  private key(topic: string, partition: number): string {
    return `${topic}\u0000${partition}`;
  }

  private get coordinator(): number {
    return this.cluster.coordinatorFor(this.o.groupId);
  }

  /** Starts: joins the group and consumes. */
  start(): void {
    if (this.state !== 'idle') return;
    this.join();
  }

  /** The process dies: no LeaveGroup, requests in flight lost. */
  crash(): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.token++;
    this.cluster.closeClient(this.client, 'crashed');
  }

  /** A clean disconnect: commit (auto modes), LeaveGroup, close. */
  leave(): void {
    if (this.state === 'stopped') return;
    const memberId = this.memberId;
    const finish = () => {
      if (memberId !== '') this.cluster.leaveGroup(this.client, this.coordinator, this.o.groupId, memberId, () => this.cluster.closeClient(this.client, 'disconnected'));
      else this.cluster.closeClient(this.client, 'disconnected');
    };
    this.syncPositions();
    this.state = 'stopped';
    this.token++;
    if (this.isAuto() && this.resolved.size > 0) this.commitResolved(finish);
    else finish();
  }

  private isAuto(): boolean {
    return this.o.commit === 'auto' || this.o.commit === 'auto-per-message';
  }

  // ───────────────────────────── join / sync / offsets ─────────────────────────────

  private join(): void {
    this.state = 'joining';
    const token = ++this.token;
    this.stats.rebalances++;
    const protocol = { name: NAMES[this.o.assignor], metadata: encodeMemberMetadata({ version: 0, topics: this.o.topics }) };
    const send = (memberId: string) => this.cluster.joinGroup(this.client, this.coordinator, this.o.groupId, {
      clientId: this.o.label, memberId, sessionTimeoutMs: this.o.sessionTimeoutMs, rebalanceTimeoutMs: this.o.rebalanceTimeoutMs,
      protocolType: 'consumer', protocols: [protocol],
    }, (reply) => {
      if (token !== this.token || !reply.ok) return;
      const r = reply.value;
      if (r.error === 'MEMBER_ID_REQUIRED') return send(r.memberId);
      if (r.error !== undefined) return this.retryJoin(token, r.error);
      this.memberId = r.memberId;
      this.generation = r.generationId;
      this.sync(token, r);
    });
    send(this.memberId);
  }

  private retryJoin(token: number, error: KafkaErrorType): void {
    if (error === 'UNKNOWN_MEMBER_ID') this.memberId = '';
    // kafkajs's retrier: ~300 ms before trying again.
    this.cluster.clientTimer(this.client, 300, false, () => {
      if (token === this.token) this.join();
    });
  }

  private partitionCount(topic: string): number[] {
    return (this.cluster.topic(topic)?.partitions ?? []).map((p) => p.id);
  }

  private sync(token: number, joined: JoinResponse): void {
    let assignment: Array<{ memberId: string; memberAssignment: Uint8Array }> = [];
    if (joined.leaderId === this.memberId) {
      const members = joined.members.map((m) => ({ memberId: m.memberId, topics: this.o.topics }));
      const result = this.o.assignor === 'range'
        ? rangeAssign(members, (t) => this.partitionCount(t))
        : roundRobinAssign(members, this.o.topics, (t) => this.partitionCount(t));
      assignment = [...result].map(([memberId, byTopic]) => ({
        memberId, memberAssignment: encodeAssignment({ version: 0, assignment: Object.fromEntries(byTopic) }),
      }));
    }
    this.cluster.syncGroup(this.client, this.coordinator, this.o.groupId, this.memberId, this.generation, assignment, (reply) => {
      if (token !== this.token || !reply.ok) return;
      if (reply.value.error !== undefined) return this.retryJoin(token, reply.value.error);
      const decoded = decodeAssignment(reply.value.assignment);
      this.assignment = [];
      for (const [topic, partitions] of Object.entries(decoded?.assignment ?? {})) {
        for (const partition of partitions) this.assignment.push({ topic, partition });
      }
      this.position.clear();
      this.resolved.clear();
      this.lastHeartbeatMs = this.cluster.engine.nowMs;
      this.knownPartitions = this.partitionCounts();
      this.metadataAtMs = this.cluster.engine.nowMs;
      this.fetchCommitted(token);
    });
  }

  private fetchCommitted(token: number): void {
    if (this.assignment.length === 0) {
      this.state = 'running';
      this.fetchLoop(token);
      return;
    }
    this.cluster.offsetFetch(this.client, this.coordinator, this.o.groupId, this.assignment, (reply) => {
      if (token !== this.token || !reply.ok) return;
      const missing: Array<{ topic: string; partition: number; timestamp: number }> = [];
      for (const o of reply.value.offsets) {
        if (o.offset >= 0) this.position.set(this.key(o.topic, o.partition), o.offset);
        else missing.push({ topic: o.topic, partition: o.partition, timestamp: this.o.fromBeginning ? -2 : -1 });
      }
      if (missing.length === 0) {
        this.state = 'running';
        this.fetchLoop(token);
        return;
      }
      this.listOffsets(token, missing, () => {
        this.state = 'running';
        this.fetchLoop(token);
      });
    });
  }

  private listOffsets(token: number, parts: Array<{ topic: string; partition: number; timestamp: number }>, then: () => void): void {
    const byLeader = new Map<number, typeof parts>();
    for (const p of parts) {
      const leader = this.cluster.partitionOf(p.topic, p.partition)?.leader ?? -1;
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), p]);
    }
    let pending = byLeader.size;
    for (const [leader, list] of byLeader) {
      this.cluster.listOffsets(this.client, Math.max(leader, 0), list, (reply) => {
        if (token !== this.token) return;
        if (reply.ok) for (const r of reply.value) if (r.error === undefined) this.position.set(this.key(r.topic, r.partition), r.offset);
        if (--pending === 0) then();
      });
    }
  }

  // ───────────────────────────── fetch loop ─────────────────────────────

  private partitionCounts(): string {
    return this.o.topics.map((t) => this.partitionCount(t).length).join(',');
  }

  private fetchLoop(token: number): void {
    if (token !== this.token || this.state !== 'running') return;
    if (this.cluster.engine.nowMs - this.metadataAtMs >= (this.o.metadataMaxAgeMs ?? 300_000)) {
      this.metadataAtMs = this.cluster.engine.nowMs;
      if (this.partitionCounts() !== this.knownPartitions) {
        this.join();
        return;
      }
    }
    const requests = this.assignment
      .filter((a) => this.position.has(this.key(a.topic, a.partition)))
      .map((a) => ({ ...a, fetchOffset: this.position.get(this.key(a.topic, a.partition)) as number, maxBytes: this.o.maxBytesPerPartition }));
    if (requests.length === 0) {
      // kafkajs: nothing to fetch → sleep maxWaitTime (an idle poll), then heartbeat.
      this.cluster.clientTimer(this.client, this.o.maxWaitMs, true, () => this.heartbeatThen(token, () => this.fetchLoop(token)));
      return;
    }
    // One leader per fetch, taking the leaders in turn.
    const leaders = [...new Set(requests.map((r) => this.cluster.partitionOf(r.topic, r.partition)?.leader ?? -1))].sort((a, b) => a - b);
    const leader = leaders[this.nextLeader++ % leaders.length];
    const mine = requests.filter((r) => (this.cluster.partitionOf(r.topic, r.partition)?.leader ?? -1) === leader);
    this.cluster.fetch(this.client, Math.max(leader, 0), {
      maxWaitMs: this.o.maxWaitMs, minBytes: 1, maxBytes: 10_485_760, partitions: mine, materialize: false,
    }, (reply) => {
      if (token !== this.token) return;
      if (!reply.ok) {
        this.cluster.clientTimer(this.client, 300, false, () => this.fetchLoop(token));
        return;
      }
      const withRecords: FetchPartitionResult[] = [];
      for (const r of reply.value) {
        if (r.error === 'OFFSET_OUT_OF_RANGE') {
          // Reset to the topic's default offset (kafkajs commits the default and resolves it again).
          this.position.set(this.key(r.topic, r.partition), this.o.fromBeginning ? r.logStartOffset : r.highWatermark);
        } else if (r.count > 0) {
          withRecords.push(r);
        }
      }
      if (withRecords.length === 0) {
        this.heartbeatThen(token, () => this.fetchLoop(token));
        return;
      }
      this.batchParts = withRecords;
      this.batchIndex = 0;
      this.startBatch(token);
    });
  }

  private startBatch(token: number): void {
    if (token !== this.token) return;
    if (this.batchIndex >= this.batchParts.length) {
      this.fetchLoop(token);
      return;
    }
    const b = this.batchParts[this.batchIndex];
    this.recordOffset = b.fromOffset;
    this.recordEnd = b.fromOffset + b.count;
    this.batchFirstOffset = b.fromOffset;
    this.batchStartMs = this.cluster.engine.nowMs;
    this.batchKey = this.key(b.topic, b.partition);
    this.nextRecord(token);
  }

  /** Writes the handled position of the current batch's partition (kept in fields while records go by). */
  private syncPositions(): void {
    if (!this.positionDirty) return;
    this.positionDirty = false;
    this.position.set(this.batchKey, this.recordOffset);
    this.resolved.set(this.batchKey, this.recordOffset);
  }

  /** Handles records of the current batch until one takes time (then waits for it) or the batch ends. */
  private nextRecord(token: number): void {
    const b = this.batchParts[this.batchIndex];
    if (this.instant && this.recordOffset < this.recordEnd && token === this.token && this.state === 'running' &&
      this.cluster.engine.nowMs < this.lastHeartbeatMs + this.o.heartbeatIntervalMs) {
      // Records that take no time, auto-commit, no heartbeat due: simulated time stands still while they are
      // handled, so no heartbeat falls due between them either — the whole rest of the batch is handled at once.
      const n = this.recordEnd - this.recordOffset;
      this.recordOffset = this.recordEnd;
      this.stats.processed += n;
      this.positionDirty = true;
    }
    while (this.recordOffset < this.recordEnd) {
      if (token !== this.token || this.state !== 'running') return;
      if (this.o.commit === 'before') {
        // At-most-once: the program commits before handling (one commit round trip per record).
        this.syncPositions();
        this.flushConsumed();
        this.commitOffsets(token, [{ topic: b.topic, partition: b.partition, offset: this.recordOffset + 1 }], () => {
          if (token === this.token && this.state === 'running' && this.handleRecord(token)) this.nextRecord(token);
        });
        return;
      }
      if (!this.handleRecord(token)) return;
    }
    this.endBatch(token);
  }

  /**
   * Starts handling the record at `recordOffset`: one that takes time schedules its end (false: the loop goes on
   * from `recordDone`); one that takes none is done at once (returns what `afterRecord` returns).
   */
  private handleRecord(token: number): boolean {
    const b = this.batchParts[this.batchIndex];
    const offset = this.recordOffset;
    const duration = this.durationOf(b.topic, b.partition, offset);
    if (this.perRecordTrace) {
      this.batchStartMs = this.cluster.engine.nowMs;
      this.cluster.noteProcessing(this.client, b.topic, b.partition, offset, 1);
    }
    if (duration > 0) {
      this.cluster.engine.scheduleCall(duration, this.onRecordDone, undefined);
      return false;
    }
    return this.afterRecord(token);
  }

  private durationOf(topic: string, partition: number, offset: number): number {
    const s = this.o.slow;
    if (s !== undefined && s.topic === topic && s.partition === partition && s.offset === offset) {
      const k = `${topic}/${partition}/${offset}`;
      if (!s.firstAttemptOnly || !this.slowDone.has(k)) {
        this.slowDone.add(k);
        return s.durationMs;
      }
    }
    return this.o.processingMs;
  }

  private recordDone(token: number): void {
    if (token !== this.token || this.state !== 'running') return;
    if (this.afterRecord(token)) this.nextRecord(token);
  }

  /** Batch-traced records handled so far in this batch get their `kafka-consumed` entry. */
  private flushConsumed(): void {
    if (this.perRecordTrace || this.recordOffset <= this.batchFirstOffset) return;
    const b = this.batchParts[this.batchIndex];
    this.cluster.noteConsumed(this.client, b.topic, b.partition, this.batchFirstOffset, this.recordOffset - this.batchFirstOffset, this.batchStartMs);
    this.batchFirstOffset = this.recordOffset;
    this.batchStartMs = this.cluster.engine.nowMs;
  }

  /**
   * The current record is handled: resolve it; then, as kafkajs does, heartbeat if due and commit per the mode.
   * Returns true to go on synchronously, false when a round trip was started (it continues the loop itself).
   */
  private afterRecord(token: number): boolean {
    const offset = this.recordOffset++;
    this.stats.processed++;
    this.positionDirty = true;
    if (this.perRecordTrace) {
      const b = this.batchParts[this.batchIndex];
      this.cluster.noteConsumed(this.client, b.topic, b.partition, offset, 1, this.batchStartMs);
    }
    const heartbeatDue = this.cluster.engine.nowMs >= this.lastHeartbeatMs + this.o.heartbeatIntervalMs;
    const commitNow = this.o.commit === 'auto-per-message' || this.o.commit === 'after';
    if (!heartbeatDue && !commitNow) return true;
    this.syncPositions();
    this.flushConsumed();
    const continueLoop = () => this.nextRecord(token);
    if (this.o.commit === 'after') {
      // The program's own commit inside eachMessage comes first; kafkajs heartbeats after the handler returned.
      this.commitResolved(() => this.heartbeatThen(token, continueLoop), token);
      return false;
    }
    if (heartbeatDue) {
      this.heartbeatThen(token, () => {
        if (commitNow) this.commitResolved(continueLoop, token);
        else continueLoop();
      });
      return false;
    }
    this.commitResolved(continueLoop, token);
    return false;
  }

  private endBatch(token: number): void {
    this.syncPositions();
    this.flushConsumed();
    this.batchIndex++;
    const next = () => this.heartbeatThen(token, () => this.startBatch(token));
    if (this.isAuto()) this.commitResolved(next, token);
    else next();
  }

  // ───────────────────────────── heartbeats and commits ─────────────────────────────

  /** Heartbeats if due, then `then()`; a rebalance answer rejoins instead. */
  private heartbeatThen(token: number, then: () => void): void {
    if (token !== this.token) return;
    if (this.cluster.engine.nowMs < this.lastHeartbeatMs + this.o.heartbeatIntervalMs || this.memberId === '') {
      then();
      return;
    }
    this.cluster.heartbeat(this.client, this.coordinator, this.o.groupId, this.memberId, this.generation, (reply) => {
      if (token !== this.token) return;
      this.lastHeartbeatMs = this.cluster.engine.nowMs;
      const error = reply.ok ? reply.value.error : undefined;
      if (error === undefined) return then();
      if (error === 'REBALANCE_IN_PROGRESS' || error === 'ILLEGAL_GENERATION' || error === 'NOT_COORDINATOR_FOR_GROUP') {
        // kafkajs commits what it resolved before rejoining (runner.heartbeat → autoCommitOffsets).
        if (this.isAuto()) this.commitResolved(() => this.join(), token);
        else this.join();
        return;
      }
      if (error === 'UNKNOWN_MEMBER_ID') this.memberId = '';
      this.join();
    });
  }

  /** Commits the resolved offsets (if any), then `then()` (also after a rejected commit). */
  private commitResolved(then: () => void, token = this.token): void {
    if (this.resolved.size === 0) {
      then();
      return;
    }
    const offsets = [...this.resolved].map(([k, offset]) => {
      const [topic, partition] = k.split('\u0000');
      return { topic, partition: Number(partition), offset };
    });
    this.resolved.clear();
    this.commitOffsets(token, offsets, then);
  }

  private commitOffsets(token: number, offsets: Array<{ topic: string; partition: number; offset: number }>, then: () => void): void {
    const stillRunning = token === this.token;
    this.cluster.offsetCommit(this.client, this.coordinator, this.o.groupId, this.memberId, this.generation,
      offsets.map((o) => ({ ...o, metadata: null })), () => {
        if (stillRunning ? token === this.token : true) then();
      });
  }
}
