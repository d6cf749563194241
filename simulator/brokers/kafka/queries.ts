/**
 * Small pure functions over a Kafka run's trace, for exercise checks and tests ("did every key stay in one
 * partition?", "which member handled offset 7?", "was a commit rejected?", "what was the lag at 30 s?"). Each takes
 * a `TraceReader` (a `TraceEvent[]` or the engine's `TraceLog`) and reads only `kafka-*` entries; clients are
 * named by their labels ("consumer 2", "member 1").
 */
import type { TraceReader } from '../../trace.ts';
import { KafkaFold, KafkaIndex, lagOf, partitionKey } from './fold.ts';

/** A record in a partition. */
export interface RecordRef {
  topic: string;
  partition: number;
  offset: number;
  msgId: string;
  key: string | null;
}

/** Records in each partition's log at `atMs` (default: the end of the run), oldest first, by "topic/partition". */
export function recordsPerPartition(trace: TraceReader, atMs = Infinity): Map<string, RecordRef[]> {
  const index = new KafkaIndex(trace);
  const state = new KafkaFold(trace, index).stateAt(atMs);
  const out = new Map<string, RecordRef[]>();
  for (const [k, p] of state.partitions) {
    const list: RecordRef[] = [];
    for (let o = p.startOffset; o < p.endOffset; o++) {
      const msg = index.msgAt(p.topic, p.partition, o, atMs);
      if (msg !== undefined) list.push({ topic: p.topic, partition: p.partition, offset: o, msgId: `m${msg}`, key: index.messages.get(msg)?.key ?? null });
    }
    out.set(k, list);
  }
  return out;
}

/** A record a consumer finished handling, and when. */
export interface Handled extends RecordRef {
  atMs: number;
  client: string;
  group: string | null;
  error: string | null;
}

/** Every record each consumer handled, in order, by consumer label. */
export function processedBy(trace: TraceReader): Map<string, Handled[]> {
  const index = new KafkaIndex(trace);
  const out = new Map<string, Handled[]>();
  for (const e of trace) {
    if (e.kind !== 'kafka-consumed') continue;
    const label = index.label(e.client);
    const list = out.get(label) ?? [];
    for (let o = e.offset; o < e.offset + e.count; o++) {
      const msg = index.msgAt(e.topic, e.partition, o, e.t);
      list.push({
        topic: e.topic, partition: e.partition, offset: o, msgId: msg === undefined ? '' : `m${msg}`,
        key: msg === undefined ? null : index.messages.get(msg)?.key ?? null, atMs: e.t, client: label,
        group: index.clients.get(e.client)?.groupId ?? null, error: e.error ?? null,
      });
    }
    out.set(label, list);
  }
  return out;
}

/** An offset commit as the coordinator saw it. */
export interface CommitRef {
  atMs: number;
  group: string;
  client: string;
  generation: number;
  offsets: Array<{ topic: string; partition: number; offset: number }>;
  error: string | null;
}

/** Every commit (of `group`, or of all groups), in order. */
export function commits(trace: TraceReader, group?: string): CommitRef[] {
  const index = new KafkaIndex(trace);
  const out: CommitRef[] = [];
  for (const e of trace) {
    if (e.kind !== 'kafka-commit' || (group !== undefined && e.group !== group)) continue;
    out.push({ atMs: e.t, group: e.group, client: index.label(e.client), generation: e.generation, offsets: e.offsets, error: e.error ?? null });
  }
  return out;
}

/** One rebalance of a group: when it began, when the group was Stable again (null: not in this run). */
export interface Rebalance {
  group: string;
  startedAtMs: number;
  stableAtMs: number | null;
  generation: number | null;
  members: string[];
  /** Members removed during it and why ("consumer 1: session-timeout"). */
  removed: string[];
}

/** The rebalances of `group` (or of all groups), in order. */
export function rebalances(trace: TraceReader, group?: string): Rebalance[] {
  const index = new KafkaIndex(trace);
  const out: Rebalance[] = [];
  const open = new Map<string, Rebalance>();
  for (const e of trace) {
    if (e.kind === 'kafka-member-left' && (group === undefined || e.group === group)) {
      const r = open.get(e.group);
      const text = `${index.label(e.client)}: ${e.reason}`;
      if (r !== undefined) r.removed.push(text);
      else out.push({ group: e.group, startedAtMs: e.t, stableAtMs: null, generation: null, members: [], removed: [text] });
    }
    if (e.kind !== 'kafka-group-state' || (group !== undefined && e.group !== group)) continue;
    if (e.state === 'PreparingRebalance' && !open.has(e.group)) {
      const pending = out.find((r) => r.group === e.group && r.startedAtMs === e.t && r.stableAtMs === null);
      const r = pending ?? { group: e.group, startedAtMs: e.t, stableAtMs: null, generation: null, members: [], removed: [] };
      if (pending === undefined) out.push(r);
      open.set(e.group, r);
    } else if (e.state === 'Stable' || e.state === 'Empty') {
      const r = open.get(e.group);
      if (r !== undefined) {
        r.stableAtMs = e.t;
        r.generation = e.generation;
        r.members = e.members.map((m) => index.label(memberClient(trace, e.group, m) ?? m));
        open.delete(e.group);
      }
    }
  }
  return out;
}

function memberClient(trace: TraceReader, group: string, member: string): string | undefined {
  for (const e of trace) if (e.kind === 'kafka-member-joined' && e.group === group && e.member === member) return e.client;
  return undefined;
}

/** A record a group handled more than once, and who handled it each time. */
export interface Duplicate extends RecordRef {
  group: string;
  handledBy: string[];
}

/** Records handled more than once within one group (duplicates: at-least-once delivery), by group. */
export function duplicates(trace: TraceReader, group?: string): Duplicate[] {
  const seen = new Map<string, Duplicate>();
  for (const list of processedBy(trace).values()) {
    for (const h of list) {
      if (h.group === null || (group !== undefined && h.group !== group) || h.error !== null) continue;
      const k = `${h.group}|${partitionKey(h.topic, h.partition)}/${h.offset}`;
      const d = seen.get(k);
      if (d === undefined) seen.set(k, { topic: h.topic, partition: h.partition, offset: h.offset, msgId: h.msgId, key: h.key, group: h.group, handledBy: [h.client] });
      else d.handledBy.push(h.client);
    }
  }
  return [...seen.values()].filter((d) => d.handledBy.length > 1);
}

/** Lag of `group` at `atMs`: per partition (log end offset − committed offset) and in total. */
export function lagAt(trace: TraceReader, group: string, atMs: number): {
  total: number; partitions: Array<{ topic: string; partition: number; endOffset: number; committed: number | null; lag: number }>;
} {
  const index = new KafkaIndex(trace);
  const state = new KafkaFold(trace, index).stateAt(atMs);
  const parts = lagOf(state, group, [...(index.groupTopics.get(group) ?? [])]).map((l) => {
    const i = l.key.lastIndexOf('/');
    return { topic: l.key.slice(0, i), partition: Number(l.key.slice(i + 1)), endOffset: l.endOffset, committed: l.committed, lag: l.lag };
  });
  return { total: parts.reduce((s, p) => s + p.lag, 0), partitions: parts.sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1)) };
}

/** The partitions each key's records were written to ("topic/partition" sets), over the whole run. */
export function partitionsOfKeys(trace: TraceReader): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const list of recordsPerPartition(trace).values()) {
    for (const r of list) {
      if (r.key === null) continue;
      const set = out.get(r.key) ?? new Set<string>();
      set.add(partitionKey(r.topic, r.partition));
      out.set(r.key, set);
    }
  }
  return out;
}

/** The partitions each consumer owned in the last Stable generation of its group, by consumer label. */
export function assignmentOf(trace: TraceReader, group: string): Map<string, string[]> {
  const index = new KafkaIndex(trace);
  let last: Map<string, string[]> = new Map();
  for (const e of trace) {
    if (e.kind !== 'kafka-assignment' || e.group !== group) continue;
    last = new Map(e.assignment.map((a) => [index.label(a.client), a.topics.flatMap((t) => t.partitions.map((p) => partitionKey(t.topic, p)))]));
  }
  return last;
}
