/**
 * The Kafka trace fold: what a run looked like at any simulated instant, computed from its trace alone (the
 * `kafka-*` entries of `simulator/trace.ts`). Used by the view adapter (`view.ts`) and the exercise queries
 * (`queries.ts`); it reads nothing from the model.
 *
 * Two parts:
 * - `KafkaIndex` (one pass over the whole trace): clients with their labels, roles and groups; topics and their
 *   partitions; every record appended (per partition, in append order, with its message number, key and the time);
 *   every produce attempt by (client, request); the messages' previews, keys and headers.
 * - `KafkaState` at a time t: per partition the log start / end offsets, high watermark, leader and ISR; per group
 *   its coordinator state, generation, members, assignment and committed offsets; per consumer its position
 *   (next offset it will handle) per partition, the record it is handling, whether it is gone; running counters.
 *   `KafkaFold.stateAt(t)` replays entries with `t' ≤ t` in trace order, continuing from the last answer when
 *   moving forward and from the nearest checkpoint (a copy of the state every `CHECKPOINT_EVERY` entries) when
 *   moving back, so scrubbing stays cheap.
 *
 * Lag (Kafka's consumer lag, as `kafka-consumer-groups.sh` prints it) = log end offset − the group's committed
 * offset, per partition; a partition the group never committed counts from its log start offset.
 */
import type { TraceEvent, TraceEventOf, TraceReader } from '../../trace.ts';
import { sentMsgs } from './model/msg-list.ts';

/** Entries between two checkpoints of the state. */
export const CHECKPOINT_EVERY = 1024;

/** A client of the run, as `kafka-client` introduced it. */
export interface ClientInfo {
  id: string;
  role: 'producer' | 'consumer' | 'admin';
  label: string;
  clientId: string;
  groupId?: string;
  /** Time it first appeared. */
  t: number;
}

/** One record as appended to a partition. */
export interface IndexedRecord {
  offset: number;
  msg: number;
  t: number;
}

/** What the trace tells of one message (by message number). */
export interface MessageInfo {
  msg: number;
  topic: string;
  partition: number;
  key: string | null;
  preview: string | null;
  headers: Array<[string, string]> | null;
  timestamp: number | null;
  producer: string;
  /** Send time of its first attempt. */
  sentAtMs: number;
}

const pkey = (topic: string, partition: number) => `${topic}/${partition}`;

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (set === undefined) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

/** The whole-run index (see the module doc). */
export class KafkaIndex {
  readonly clients = new Map<string, ClientInfo>();
  readonly topics = new Map<string, { partitions: number; createdAtMs: number }>();
  /** "topic/partition" → records in append order (a truncation may append an offset again later). */
  readonly records = new Map<string, IndexedRecord[]>();
  /** Message number → what is known of it. */
  readonly messages = new Map<number, MessageInfo>();
  /** "client#request" → the produce-sent entries of that request. */
  readonly requests = new Map<string, Array<TraceEventOf<'kafka-produce-sent'>>>();
  readonly groups = new Set<string>();
  /** Topics each group was assigned or committed offsets for, over the whole run. */
  readonly groupTopics = new Map<string, Set<string>>();
  /** Topics each producer sent to. */
  readonly producerTopics = new Map<string, Set<string>>();
  brokers: number[] = [];
  /** Message numbers in order of first appearance. */
  readonly messageOrder: number[] = [];
  /** Time of the last entry. */
  endMs = 0;

  constructor(trace: TraceReader) {
    for (const e of trace) {
      this.endMs = Math.max(this.endMs, e.t);
      switch (e.kind) {
        case 'kafka-cluster':
          this.brokers = e.brokers.map((b) => b.id);
          break;
        case 'kafka-client':
          if (!this.clients.has(e.client)) {
            this.clients.set(e.client, {
              id: e.client, role: e.role, label: e.label, clientId: e.clientId, t: e.t,
              ...(e.groupId !== undefined ? { groupId: e.groupId } : {}),
            });
          }
          if (e.groupId !== undefined) this.groups.add(e.groupId);
          break;
        case 'kafka-topic-created':
          this.topics.set(e.topic, { partitions: e.partitions.length, createdAtMs: e.t });
          break;
        case 'kafka-partitions-created': {
          const t = this.topics.get(e.topic);
          if (t !== undefined) t.partitions += e.partitions.length;
          break;
        }
        case 'kafka-produce-sent': {
          addTo(this.producerTopics, e.client, e.topic);
          const k = `${e.client}#${e.request}`;
          const list = this.requests.get(k) ?? [];
          list.push(e);
          this.requests.set(k, list);
          sentMsgs(e).forEach((msg, i) => {
            if (this.messages.has(msg)) return;
            this.messageOrder.push(msg);
            this.messages.set(msg, {
              msg, topic: e.topic, partition: e.partition, key: e.keys?.[i] ?? null,
              preview: e.previews?.[i] ?? (e.previewStem !== undefined ? `${e.previewStem}${msg}` : null),
              headers: e.headers?.[i] ?? null, timestamp: e.timestamps?.[i] ?? null, producer: e.client, sentAtMs: e.t,
            });
          });
          break;
        }
        case 'kafka-appended': {
          const sent = this.requests.get(`${e.client}#${e.request}`)?.find((s) => s.topic === e.topic && s.partition === e.partition);
          if (sent === undefined) break;
          const k = pkey(e.topic, e.partition);
          const list = this.records.get(k) ?? [];
          const msgs = sentMsgs(sent);
          for (let i = 0; i < e.count; i++) list.push({ offset: e.baseOffset + i, msg: msgs[i], t: e.t });
          this.records.set(k, list);
          for (const msg of msgs) {
            const m = this.messages.get(msg);
            if (m !== undefined) m.partition = e.partition;
          }
          break;
        }
        case 'kafka-group-state':
          this.groups.add(e.group);
          break;
        case 'kafka-assignment':
          for (const a of e.assignment) for (const t of a.topics) addTo(this.groupTopics, e.group, t.topic);
          break;
        case 'kafka-commit':
          for (const o of e.offsets) addTo(this.groupTopics, e.group, o.topic);
          break;
        default:
          break;
      }
    }
  }

  /** The message number of the record at `offset` of a partition as of time `atMs` (undefined if none). */
  msgAt(topic: string, partition: number, offset: number, atMs = Infinity): number | undefined {
    const list = this.records.get(pkey(topic, partition));
    if (list === undefined) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const r = list[i];
      if (r.t > atMs) continue;
      if (r.offset === offset) return r.msg;
    }
    return undefined;
  }

  /** The label of a client id (the id itself when unknown). */
  label(client: string): string {
    return this.clients.get(client)?.label ?? client;
  }
}

/** One partition at time t. */
export interface PartitionState {
  topic: string;
  partition: number;
  startOffset: number;
  endOffset: number;
  highWatermark: number;
  leader: number;
  isr: number[];
  /** Brokers holding a replica, preferred leader first. */
  replicas: number[];
}

/** One group at time t. */
export interface GroupStateAt {
  group: string;
  state: TraceEventOf<'kafka-group-state'>['state'];
  generation: number;
  coordinator: number;
  protocol: string | null;
  leader: string | null;
  members: string[];
  /** member id → client id. */
  memberClients: Map<string, string>;
  /** Member ids the coordinator removed (left, session timeout, no rejoin in time). */
  removed: Set<string>;
  /** Assignment of the current generation (empty until Stable): client id → "topic/partition" keys. */
  assignment: Map<string, string[]>;
  /** "topic/partition" → committed offset. */
  committed: Map<string, number>;
  /** Rebalances begun so far (transitions into PreparingRebalance). */
  rebalances: number;
}

/** One consumer client at time t. */
export interface ConsumerStateAt {
  client: string;
  /** "topic/partition" → next offset it will handle (after the last record it finished). */
  position: Map<string, number>;
  /** The record (or batch) being handled and since when. */
  processing: { topic: string; partition: number; offset: number; count: number; sinceMs: number } | null;
  /** Records fetched and not handled yet: "topic/partition" → [from, to). */
  fetched: Map<string, [number, number]>;
  consumed: number;
  closed: false | 'disconnected' | 'crashed' | 'process-ended';
  lastError: string | null;
}

/** Running totals at time t. */
export interface KafkaCounters {
  produced: number;
  appended: number;
  consumed: number;
  commits: number;
  rejectedCommits: number;
  rebalances: number;
  deleted: number;
  /** Records handled again by a group that had handled them before (duplicates, at-least-once). */
  duplicates: number;
  /** Records cut from a partition's log when a replica without them became its leader. */
  truncated: number;
  /** Records a scenario producer gave up after its last retry (their partition had no leader). */
  givenUp: number;
}

/** The whole state at time t. */
export interface KafkaState {
  atMs: number;
  partitions: Map<string, PartitionState>;
  groups: Map<string, GroupStateAt>;
  consumers: Map<string, ConsumerStateAt>;
  brokersDown: Set<number>;
  counters: KafkaCounters;
  /** Per group: "topic/partition/offset" handled at least once (for duplicate counting). */
  handled: Map<string, Set<string>>;
  /** Index of the next trace entry to apply. */
  next: number;
}

function emptyState(): KafkaState {
  return {
    atMs: 0, partitions: new Map(), groups: new Map(), consumers: new Map(), brokersDown: new Set(),
    counters: { produced: 0, appended: 0, consumed: 0, commits: 0, rejectedCommits: 0, rebalances: 0, deleted: 0, duplicates: 0, truncated: 0, givenUp: 0 },
    handled: new Map(), next: 0,
  };
}

function cloneState(s: KafkaState): KafkaState {
  return {
    atMs: s.atMs,
    partitions: new Map([...s.partitions].map(([k, p]) => [k, { ...p, isr: [...p.isr] }])),
    groups: new Map([...s.groups].map(([k, g]) => [k, {
      ...g, members: [...g.members], memberClients: new Map(g.memberClients), removed: new Set(g.removed),
      assignment: new Map([...g.assignment].map(([c, l]) => [c, [...l]])), committed: new Map(g.committed),
    }])),
    consumers: new Map([...s.consumers].map(([k, c]) => [k, {
      ...c, position: new Map(c.position), fetched: new Map([...c.fetched].map(([pk, r]) => [pk, [r[0], r[1]] as [number, number]])),
      processing: c.processing === null ? null : { ...c.processing },
    }])),
    brokersDown: new Set(s.brokersDown),
    counters: { ...s.counters },
    handled: new Map([...s.handled].map(([g, set]) => [g, new Set(set)])),
    next: s.next,
  };
}

/** The fold over a trace (see the module doc). */
export class KafkaFold {
  readonly trace: TraceReader;
  readonly index: KafkaIndex;
  private state: KafkaState = emptyState();
  private readonly checkpoints: KafkaState[] = [];

  constructor(trace: TraceReader, index = new KafkaIndex(trace)) {
    this.trace = trace;
    this.index = index;
  }

  /** The state at `atMs` (entries with t ≤ atMs applied). The returned object is reused: copy what you keep. */
  stateAt(atMs: number): KafkaState {
    const t = Number.isNaN(atMs) ? 0 : atMs;
    if (t < this.state.atMs || this.state.next > 0 && this.entryTime(this.state.next - 1) > t) {
      let cp: KafkaState | undefined;
      for (let i = this.checkpoints.length - 1; i >= 0; i--) {
        const c = this.checkpoints[i];
        if (c.next === 0 || this.entryTime(c.next - 1) <= t) {
          cp = c;
          break;
        }
      }
      this.state = cp === undefined ? emptyState() : cloneState(cp);
    }
    const trace = this.trace;
    while (this.state.next < trace.length) {
      const i = this.state.next;
      if (this.entryTime(i) > t) break;
      const e = trace.at(i) as TraceEvent;
      this.apply(e);
      this.state.next++;
      if (this.state.next % CHECKPOINT_EVERY === 0 && this.checkpoints.length === this.state.next / CHECKPOINT_EVERY - 1) {
        this.checkpoints.push(cloneState(this.state));
      }
    }
    this.state.atMs = t;
    return this.state;
  }

  private entryTime(i: number): number {
    const trace = this.trace as TraceReader & { timeAt?: (i: number) => number };
    return typeof trace.timeAt === 'function' ? trace.timeAt(i) : (trace.at(i) as TraceEvent).t;
  }

  private consumer(client: string): ConsumerStateAt {
    let c = this.state.consumers.get(client);
    if (c === undefined) {
      c = { client, position: new Map(), processing: null, fetched: new Map(), consumed: 0, closed: false, lastError: null };
      this.state.consumers.set(client, c);
    }
    return c;
  }

  private group(name: string): GroupStateAt {
    let g = this.state.groups.get(name);
    if (g === undefined) {
      g = {
        group: name, state: 'Empty', generation: 0, coordinator: -1, protocol: null, leader: null, members: [],
        memberClients: new Map(), removed: new Set(), assignment: new Map(), committed: new Map(), rebalances: 0,
      };
      this.state.groups.set(name, g);
    }
    return g;
  }

  private partition(topic: string, partition: number): PartitionState {
    const k = pkey(topic, partition);
    let p = this.state.partitions.get(k);
    if (p === undefined) {
      p = { topic, partition, startOffset: 0, endOffset: 0, highWatermark: 0, leader: -1, isr: [], replicas: [] };
      this.state.partitions.set(k, p);
    }
    return p;
  }

  private apply(e: TraceEvent): void {
    const s = this.state;
    switch (e.kind) {
      case 'kafka-client': {
        if (e.role === 'consumer') {
          const c = this.consumer(e.client);
          c.closed = false;
        }
        break;
      }
      case 'kafka-client-closed': {
        const c = s.consumers.get(e.client);
        if (c !== undefined) {
          c.closed = e.reason;
          c.processing = null;
          c.fetched.clear();
        }
        break;
      }
      case 'kafka-topic-created':
      case 'kafka-partitions-created':
        for (const p of e.partitions) {
          const ps = this.partition(e.topic, p.partition);
          ps.leader = p.leader;
          ps.isr = [...p.isr];
          ps.replicas = [...p.replicas];
        }
        break;
      case 'kafka-topic-deleted':
        for (const k of [...s.partitions.keys()]) if (k.startsWith(`${e.topic}/`)) s.partitions.delete(k);
        break;
      case 'kafka-broker-stopped':
        s.brokersDown.add(e.broker);
        break;
      case 'kafka-broker-started':
        s.brokersDown.delete(e.broker);
        break;
      case 'kafka-leader-changed': {
        const p = this.partition(e.topic, e.partition);
        p.leader = e.leader;
        p.isr = [...e.isr];
        break;
      }
      case 'kafka-isr-changed':
        this.partition(e.topic, e.partition).isr = [...e.isr];
        break;
      case 'kafka-hw':
        this.partition(e.topic, e.partition).highWatermark = e.highWatermark;
        break;
      case 'kafka-produce-sent':
        if (e.attempt === 1) s.counters.produced += e.msgs?.length ?? e.msgRange?.count ?? 0;
        break;
      case 'kafka-appended': {
        const p = this.partition(e.topic, e.partition);
        p.endOffset = e.logEndOffset;
        p.highWatermark = Math.max(p.highWatermark, e.highWatermark);
        s.counters.appended += e.count;
        break;
      }
      case 'kafka-truncated': {
        s.counters.truncated += e.lostMsgs.length;
        const p = this.partition(e.topic, e.partition);
        p.endOffset = e.logEndOffset;
        p.highWatermark = Math.min(p.highWatermark, e.logEndOffset);
        break;
      }
      case 'kafka-records-deleted': {
        this.partition(e.topic, e.partition).startOffset = e.logStartOffset;
        s.counters.deleted += e.count;
        break;
      }
      case 'kafka-fetched': {
        if (e.count === 0) break;
        const c = this.consumer(e.client);
        c.fetched.set(pkey(e.topic, e.partition), [e.fromOffset, e.fromOffset + e.count]);
        break;
      }
      case 'kafka-processing': {
        const c = this.consumer(e.client);
        c.processing = { topic: e.topic, partition: e.partition, offset: e.offset, count: e.count, sinceMs: e.t };
        break;
      }
      case 'kafka-consumed': {
        const c = this.consumer(e.client);
        const k = pkey(e.topic, e.partition);
        c.processing = null;
        if (e.error !== undefined) {
          c.lastError = e.error;
        }
        if (e.count > 0) {
          c.position.set(k, e.offset + e.count);
          c.consumed += e.count;
          s.counters.consumed += e.count;
          const f = c.fetched.get(k);
          if (f !== undefined && e.offset + e.count >= f[1]) c.fetched.delete(k);
          else if (f !== undefined) f[0] = Math.max(f[0], e.offset + e.count);
          const group = this.index.clients.get(e.client)?.groupId;
          if (group !== undefined) {
            let handled = s.handled.get(group);
            if (handled === undefined) {
              handled = new Set();
              s.handled.set(group, handled);
            }
            for (let o = e.offset; o < e.offset + e.count; o++) {
              const hk = `${k}/${o}`;
              if (handled.has(hk)) s.counters.duplicates++;
              else handled.add(hk);
            }
          }
        }
        break;
      }
      case 'kafka-group-state': {
        const g = this.group(e.group);
        if (e.state === 'PreparingRebalance' && g.state !== 'PreparingRebalance') {
          g.rebalances++;
          s.counters.rebalances++;
        }
        if (e.state !== 'Stable') g.assignment.clear();
        g.state = e.state;
        g.generation = e.generation;
        g.coordinator = e.coordinator;
        g.protocol = e.protocol;
        g.leader = e.leader;
        g.members = [...e.members];
        break;
      }
      case 'kafka-member-joined':
        this.group(e.group).memberClients.set(e.member, e.client);
        break;
      case 'kafka-member-left': {
        const g = this.group(e.group);
        g.members = g.members.filter((m) => m !== e.member);
        g.removed.add(e.member);
        break;
      }
      case 'kafka-assignment': {
        const g = this.group(e.group);
        g.assignment.clear();
        for (const a of e.assignment) {
          g.memberClients.set(a.member, a.client);
          g.assignment.set(a.client, a.topics.flatMap((t) => t.partitions.map((p) => pkey(t.topic, p))));
        }
        // A member moved off a partition no longer holds what it fetched there.
        for (const [client, c] of s.consumers) {
          if (this.index.clients.get(client)?.groupId !== e.group) continue;
          const mine = new Set(g.assignment.get(client) ?? []);
          for (const k of [...c.fetched.keys()]) if (!mine.has(k)) c.fetched.delete(k);
        }
        break;
      }
      case 'kafka-commit': {
        s.counters.commits++;
        if (e.error !== undefined) {
          s.counters.rejectedCommits++;
          break;
        }
        const g = this.group(e.group);
        for (const o of e.offsets) g.committed.set(pkey(o.topic, o.partition), o.offset);
        break;
      }
      case 'kafka-client-error': {
        if (e.gaveUp === true) s.counters.givenUp += e.msgs?.length ?? 0;
        const c = s.consumers.get(e.client);
        if (c !== undefined) c.lastError = e.error;
        break;
      }
      default:
        break;
    }
  }
}

/** Lag of `group` on each partition it reads (or every partition of `topics`): LEO − committed (see module doc). */
export function lagOf(state: KafkaState, group: string, topics: readonly string[]): Array<{ key: string; lag: number; committed: number | null; endOffset: number }> {
  const g = state.groups.get(group);
  const out: Array<{ key: string; lag: number; committed: number | null; endOffset: number }> = [];
  for (const [k, p] of state.partitions) {
    if (!topics.includes(p.topic)) continue;
    const committed = g?.committed.get(k);
    const from = committed === undefined || committed < 0 ? p.startOffset : Math.max(committed, p.startOffset);
    out.push({ key: k, lag: Math.max(0, p.endOffset - from), committed: committed ?? null, endOffset: p.endOffset });
  }
  return out;
}

export { pkey as partitionKey };
