/**
 * The Kafka plugin's view half (see `../plugin.ts`): a `ViewAdapter` (`simulator/view/model.ts`) over a trace the
 * Kafka model wrote, built on the fold (`fold.ts`).
 *
 * Topology: producers as `client` nodes (column 0), each topic as a `log` node (column 1) whose partitions are drawn
 * as offset cells, consumers as `worker` nodes (column 2) coloured by consumer group (`group` = group id). Edges:
 * producer → topic (`flow`, the topics it wrote to), topic → consumer (`subscription`, the topics its group read).
 * Admin clients are not drawn.
 *
 * Frame at t: each partition with its log start / end offsets, high watermark, leader, the last records (message
 * ids and keys), the cursors — each group's committed offset (`committed`) and each member's position, the next
 * offset it will handle (`position`) — and its owner in the first group that owns it; a consumer's status tells
 * its group, the coordinator's state and generation, its partitions and its lag; messages on the wire: produce
 * requests (producer → topic), their answers (acks), fetched batches (topic → consumer; a batch a group already
 * handled is `redelivered`), commits (consumer → topic, acks).
 *
 * Series: lag per partition and in total for each group (`lag:<group>:<topic>/<p>`, `lag:<group>`), and the
 * produce and consume rates (`rate:produce`, `rate:consume`, records per simulated second).
 */
import type { CounterSpec } from '../../view/model.ts';
import type { TraceEvent, TraceReader } from '../../trace.ts';
import type {
  Flight, LogContents, LogCursor, MessageDetail, MessageEvent, NodeFrame, PartitionFrame, Series, ViewAdapter, ViewEdge,
  ViewFrame, ViewNode, ViewTopology, WorkerContents,
} from '../../view/model.ts';
import type { BrokerViewPlugin } from '../plugin.ts';
import { KafkaFold, KafkaIndex, lagOf, partitionKey, type KafkaState, type PartitionState } from './fold.ts';
import { sentMsgs } from './model/msg-list.ts';

/** Records of a partition a frame lists (the newest ones; the stage colours that many cells by key). */
export const RECORDS_SHOWN = 64;
/** Records a consumer's frame lists as held (fetched, not yet handled). */
const HELD_SHOWN = 16;

const mid = (n: number) => `m${n}`;
const msgNumOf = (msgId: string) => (/^m\d+$/.test(msgId) ? Number(msgId.slice(1)) : NaN);

interface Span {
  start: number;
  end: number;
  flight: Omit<Flight, 'progress'>;
}

/** Builds the view of a Kafka run. */
export function createKafkaView(trace: TraceReader): ViewAdapter {
  return new KafkaView(trace);
}

class KafkaView implements ViewAdapter {
  readonly topology: ViewTopology;
  private readonly trace: TraceReader;
  private readonly index: KafkaIndex;
  private readonly fold: KafkaFold;
  private readonly spans: Span[] = [];
  private maxSpan = 0;
  private lastSeekMs = 0;
  private previousSeekMs = 0;
  private seriesCache: Map<string, Series> | undefined;
  /** Per producer: send times and cumulative records, first attempts only (for its status). */
  private readonly sends = new Map<string, Array<[number, number]>>();
  /** Per producer: its retries and give-ups of records whose partition had no leader, in trace order. */
  private readonly leaderless = new Map<string, Array<{ t: number; msgs: number[]; gaveUp: boolean }>>();
  /** Message number → when it was first appended to a log. */
  private readonly firstAppend = new Map<number, number>();

  constructor(trace: TraceReader) {
    this.trace = trace;
    this.index = new KafkaIndex(trace);
    this.fold = new KafkaFold(trace, this.index);
    this.topology = this.buildTopology();
    this.buildSpans();
    for (const list of this.index.records.values()) {
      for (const r of list) if (!this.firstAppend.has(r.msg) || (this.firstAppend.get(r.msg) as number) > r.t) this.firstAppend.set(r.msg, r.t);
    }
  }

  // ───────────────────────────── topology ─────────────────────────────

  private buildTopology(): ViewTopology {
    const nodes: ViewNode[] = [];
    const edges: ViewEdge[] = [];
    const idx = this.index;
    for (const c of idx.clients.values()) {
      if (c.role === 'producer') nodes.push({ id: `producer:${c.id}`, shape: 'client', kindLabel: 'producer', label: c.label, column: 0 });
    }
    for (const [topic, t] of idx.topics) {
      nodes.push({ id: `topic:${topic}`, shape: 'log', kindLabel: 'topic', label: topic, column: 1, detail: `${t.partitions} partition${t.partitions === 1 ? '' : 's'}` });
    }
    for (const c of idx.clients.values()) {
      if (c.role !== 'consumer') continue;
      nodes.push({
        id: `consumer:${c.id}`, shape: 'worker', kindLabel: 'consumer', label: c.label, column: 2,
        ...(c.groupId !== undefined ? { group: c.groupId, detail: `group ${c.groupId}` } : {}),
      });
    }
    for (const [client, topics] of idx.producerTopics) {
      for (const topic of topics) if (idx.topics.has(topic)) edges.push({ from: `producer:${client}`, to: `topic:${topic}`, style: 'flow' });
    }
    // The group's name labels only its first member's edge from a topic (the others would print it on top of it).
    const labelled = new Set<string>();
    for (const c of idx.clients.values()) {
      if (c.role !== 'consumer' || c.groupId === undefined) continue;
      for (const topic of idx.groupTopics.get(c.groupId) ?? []) {
        if (!idx.topics.has(topic)) continue;
        const first = !labelled.has(`${topic}\u0000${c.groupId}`);
        labelled.add(`${topic}\u0000${c.groupId}`);
        edges.push({ from: `topic:${topic}`, to: `consumer:${c.id}`, style: 'subscription', ...(first ? { label: c.groupId } : {}) });
      }
    }
    const producers = nodes.filter((n) => n.shape === 'client').length;
    const consumers = nodes.filter((n) => n.shape === 'worker').length;
    return {
      nodes, edges,
      counters: KAFKA_COUNTERS,
      depthMax: Math.max(1, ...[...idx.records.values()].map((l) => l.length)),
      ariaLabel: `Kafka: ${producers} producer${producers === 1 ? '' : 's'}, topics ${[...idx.topics.keys()].join(', ') || 'none'}, ${consumers} consumer${consumers === 1 ? '' : 's'}`,
    };
  }

  private buildSpans(): void {
    const handledByGroup = new Map<string, Set<string>>();
    for (const e of this.trace) {
      switch (e.kind) {
        case 'kafka-produce-sent': {
          const msgs = sentMsgs(e);
          // Records sent: first attempts only (a retry sends the same records again).
          if (e.attempt === 1) {
            const list = this.sends.get(e.client) ?? [];
            list.push([e.t, (list[list.length - 1]?.[1] ?? 0) + msgs.length]);
            this.sends.set(e.client, list);
          }
          this.addSpan(e.t, e.arriveAtMs, { msgId: mid(msgs[0] ?? 0), from: `producer:${e.client}`, to: `topic:${e.topic}`, kind: 'message', tone: e.attempt > 1 ? 'redelivered' : 'normal' });
          break;
        }
        case 'kafka-produce-response': {
          const sent = this.index.requests.get(`${e.client}#${e.request}`)?.find((s) => s.partition === e.partition && s.topic === e.topic);
          this.addSpan(e.t, e.arriveAtMs, { msgId: mid(sent === undefined ? 0 : sentMsgs(sent)[0] ?? 0), from: `topic:${e.topic}`, to: `producer:${e.client}`, kind: e.error === undefined ? 'ack' : 'nack', tone: 'normal' });
          break;
        }
        case 'kafka-fetched': {
          if (e.count === 0) break;
          const msg = this.index.msgAt(e.topic, e.partition, e.fromOffset, e.t);
          const group = this.index.clients.get(e.client)?.groupId;
          const handled = group === undefined ? undefined : handledByGroup.get(group);
          const again = handled?.has(`${e.topic}/${e.partition}/${e.fromOffset}`) === true;
          this.addSpan(e.t, e.arriveAtMs, { msgId: mid(msg ?? 0), from: `topic:${e.topic}`, to: `consumer:${e.client}`, kind: 'message', tone: again ? 'redelivered' : 'normal' });
          break;
        }
        case 'kafka-client-error': {
          if (e.msgs === undefined) break;
          const list = this.leaderless.get(e.client) ?? [];
          list.push({ t: e.t, msgs: e.msgs, gaveUp: e.gaveUp === true });
          this.leaderless.set(e.client, list);
          break;
        }
        case 'kafka-consumed': {
          const group = this.index.clients.get(e.client)?.groupId;
          if (group === undefined) break;
          const set = handledByGroup.get(group) ?? new Set<string>();
          for (let o = e.offset; o < e.offset + e.count; o++) set.add(`${e.topic}/${e.partition}/${o}`);
          handledByGroup.set(group, set);
          break;
        }
        case 'kafka-commit': {
          const first = e.offsets[0];
          if (first === undefined || !this.index.clients.has(e.client)) break;
          const msg = this.index.msgAt(first.topic, first.partition, first.offset - 1, e.t);
          this.addSpan(e.sentAtMs, e.t, { msgId: mid(msg ?? 0), from: `consumer:${e.client}`, to: `topic:${first.topic}`, kind: e.error === undefined ? 'ack' : 'nack', tone: 'normal' });
          break;
        }
        default:
          break;
      }
    }
    this.spans.sort((a, b) => a.start - b.start);
  }

  private addSpan(start: number, end: number, flight: Omit<Flight, 'progress' | 'startMs' | 'endMs'>): void {
    if (!(end > start)) return;
    this.spans.push({ start, end, flight: { ...flight, startMs: start, endMs: end } });
    this.maxSpan = Math.max(this.maxSpan, end - start);
  }

  // ───────────────────────────── frames ─────────────────────────────

  seek(atMs: number): ViewFrame {
    const t = Number.isNaN(atMs) ? 0 : atMs;
    this.previousSeekMs = this.lastSeekMs;
    this.lastSeekMs = t;
    const s = this.fold.stateAt(t);
    const nodes = new Map<string, NodeFrame>();
    for (const n of this.topology.nodes) nodes.set(n.id, this.nodeFrame(n, s, t));
    return {
      atMs: t, nodes, queues: [], logs: this.logs(s), workers: this.workers(s, t), inFlight: this.inFlight(t),
      counters: { ...s.counters },
    };
  }

  private groupOfClient(client: string): string | undefined {
    return this.index.clients.get(client)?.groupId;
  }

  private nodeFrame(n: ViewNode, s: KafkaState, t: number): NodeFrame {
    const [kind, id] = [n.id.slice(0, n.id.indexOf(':')), n.id.slice(n.id.indexOf(':') + 1)];
    const info = this.index.clients.get(id);
    if (kind === 'producer') {
      const present = info !== undefined && info.t <= t;
      const sent = lastAtOrBefore(this.sends.get(id) ?? [], t);
      const { retrying, gaveUp } = this.leaderlessAt(id, t);
      const sentText = `${sent} record${sent === 1 ? '' : 's'} sent`;
      const extra = [retrying > 0 ? `${retrying} retrying` : '', gaveUp > 0 ? `${gaveUp} given up` : ''].filter((x) => x !== '');
      // Short when there is more to say: a client box is narrow.
      const status = extra.length === 0 ? sentText : [`${sent} sent`, ...extra].join(' · ');
      const spokenStatus = [sentText, ...extra].join(' · ') + (extra.length > 0 ? ' (their partition had no leader)' : '');
      return { present, status, state: sent > 0 ? 'busy' : 'idle', badge: '', spoken: `producer ${n.label}: ${spokenStatus}` };
    }
    if (kind === 'topic') {
      const parts = [...s.partitions.values()].filter((p) => p.topic === id);
      const present = parts.length > 0;
      const records = parts.reduce((sum, p) => sum + (p.endOffset - p.startOffset), 0);
      const offline = parts.filter((p) => p.leader < 0).length;
      const status = `${parts.length} partition${parts.length === 1 ? '' : 's'} · ${records} record${records === 1 ? '' : 's'}${offline > 0 ? ` · ${offline} offline` : ''}`;
      const down = [...s.brokersDown].sort((a, b) => a - b);
      const downText = down.length === 0 ? '' : `broker${down.length === 1 ? '' : 's'} ${down.join(', ')} stopped`;
      const badge = [downText, offline > 0 ? `${offline} offline` : ''].filter((x) => x !== '').join(' · ');
      // Where each partition lives, spoken (the stage draws it on the lanes): only once there is more to say than
      // "broker 0 leads everything".
      const placement = this.index.brokers.length > 1 || down.length > 0
        ? `; ${[...parts].sort((a, b) => a.partition - b.partition).map((p) => `p${p.partition} ${placementSpoken(p)}`).join('; ')}` : '';
      return {
        present, status, state: present ? 'idle' : 'deleted', badge: badge === '' ? '' : `✕ ${badge}`,
        bar: Math.min(1, records / Math.max(1, this.topology.depthMax)),
        spoken: `topic ${id}: ${status}${downText === '' ? '' : ` · ${downText}`}${placement}`,
      };
    }
    // consumer
    const c = s.consumers.get(id);
    const present = info !== undefined && info.t <= t && c !== undefined;
    const groupId = info?.groupId;
    const g = groupId === undefined ? undefined : s.groups.get(groupId);
    const assigned = g?.assignment.get(id) ?? [];
    const isMember = g !== undefined && [...g.memberClients].some(([m, client]) => client === id && g.members.includes(m));
    // Evicted: the coordinator removed this client's member (a member still joining is not in `members` yet either).
    const evicted = present && c?.closed === false && g !== undefined && !isMember
      && [...g.memberClients].some(([m, client]) => client === id && g.removed.has(m));
    // Partitions as "p0, p1" when the group reads one topic, "orders p0, audit p1" when it reads several.
    const oneTopic = (this.index.groupTopics.get(groupId ?? '')?.size ?? 0) <= 1;
    const partName = (k: string) => (oneTopic ? `p${k.slice(k.lastIndexOf('/') + 1)}` : k.replace('/', ' p'));
    const partsText = assigned.length === 0 ? (g?.state === 'Stable' && isMember ? 'idle: no partition' : '') : `owns ${assigned.map(partName).join(', ')}`;
    const lag = groupId === undefined ? 0 : lagOf(s, groupId, [...(this.index.groupTopics.get(groupId) ?? [])])
      .filter((l) => assigned.includes(l.key)).reduce((sum, l) => sum + l.lag, 0);
    // Shown: the group only while it is not Stable (its name is on the edge); spoken: all of it.
    const groupText = g === undefined ? (groupId === undefined ? '' : `group ${groupId}`) : `${groupId} ${g.state} gen ${g.generation}`;
    const shownGroup = g === undefined ? groupText : g.state === 'Stable' && isMember ? '' : `${groupId} ${g.state === 'Stable' ? 'Stable' : g.state === 'Empty' ? 'Empty' : 'rebalancing'}`;
    const lagText = assigned.length > 0 ? `lag ${lag}` : '';
    const status = [shownGroup, partsText, lagText].filter((x) => x !== '').join(' · ');
    const spokenStatus = [groupText, partsText, lagText].filter((x) => x !== '').join(' · ');
    let state: NodeFrame['state'] = c?.processing ? 'busy' : 'idle';
    let badge = '';
    if (c?.closed === 'crashed' || c?.closed === 'process-ended') {
      state = 'crashed';
      badge = '✕ crashed';
    } else if (c?.closed === 'disconnected') {
      state = 'stopped';
      badge = 'left';
    } else if (evicted) {
      badge = '✕ evicted';
    }
    const bar = c?.processing ? this.progress(c.processing.sinceMs, id, c.processing, t) : undefined;
    return {
      present, status, state, badge, ...(bar !== undefined ? { bar } : {}),
      spoken: `consumer ${n.label}${groupId !== undefined ? ` in group ${groupId}` : ''}: ${spokenStatus || 'not in a group yet'}${badge ? `, ${badge.replace('✕ ', '')}` : ''}`,
    };
  }

  /**
   * A producer's records at time t whose partition had no leader: still being retried (not given up, not appended
   * yet) and given up.
   */
  private leaderlessAt(client: string, t: number): { retrying: number; gaveUp: number } {
    const last = new Map<number, boolean>();
    for (const e of this.leaderless.get(client) ?? []) {
      if (e.t > t) break;
      for (const m of e.msgs) last.set(m, e.gaveUp);
    }
    let retrying = 0;
    let gaveUp = 0;
    for (const [m, given] of last) {
      if (given) gaveUp++;
      else if (!((this.firstAppend.get(m) ?? Infinity) <= t)) retrying++;
    }
    return { retrying, gaveUp };
  }

  /** Progress (0..1) of the record a consumer handles, from when its `kafka-consumed` comes (unknown: 0). */
  private progress(sinceMs: number, client: string, p: { topic: string; partition: number; offset: number }, t: number): number {
    const end = this.consumedEnd(client, p.topic, p.partition, p.offset, sinceMs);
    if (end === undefined || end <= sinceMs) return 0;
    return Math.max(0, Math.min(1, (t - sinceMs) / (end - sinceMs)));
  }

  private readonly consumedEnds = new Map<string, number>();
  private consumedEndsBuilt = false;

  private consumedEnd(client: string, topic: string, partition: number, offset: number, sinceMs: number): number | undefined {
    if (!this.consumedEndsBuilt) {
      this.consumedEndsBuilt = true;
      for (const e of this.trace) {
        if (e.kind === 'kafka-consumed') this.consumedEnds.set(`${e.client}|${e.topic}/${e.partition}/${e.offset}|${e.startedAtMs}`, e.t);
      }
    }
    return this.consumedEnds.get(`${client}|${topic}/${partition}/${offset}|${sinceMs}`);
  }

  private logs(s: KafkaState): LogContents[] {
    const out: LogContents[] = [];
    for (const topic of this.index.topics.keys()) {
      const parts = [...s.partitions.values()].filter((p) => p.topic === topic).sort((a, b) => a.partition - b.partition);
      if (parts.length === 0) continue;
      out.push({
        node: `topic:${topic}`,
        partitions: parts.map((p): PartitionFrame => {
          const k = partitionKey(p.topic, p.partition);
          const records: Array<PartitionFrame['records'][number]> = [];
          for (let o = Math.max(p.startOffset, p.endOffset - RECORDS_SHOWN); o < p.endOffset; o++) {
            const msg = this.index.msgAt(p.topic, p.partition, o, s.atMs);
            if (msg === undefined) continue;
            const key = this.index.messages.get(msg)?.key;
            records.push({ offset: o, msgId: mid(msg), ...(key !== null && key !== undefined ? { key } : {}) });
          }
          const cursors: LogCursor[] = [];
          let owner: string | undefined;
          for (const g of s.groups.values()) {
            const committed = g.committed.get(k);
            if (committed !== undefined) cursors.push({ label: `${g.group} committed`, offset: committed, kind: 'committed', group: g.group });
            if (owner === undefined) {
              for (const [client, keys] of g.assignment) if (keys.includes(k)) owner = this.index.label(client);
            }
          }
          for (const c of s.consumers.values()) {
            const pos = c.position.get(k);
            if (pos === undefined || c.closed !== false) continue;
            const group = this.groupOfClient(c.client);
            cursors.push({ label: this.index.label(c.client), offset: pos, kind: 'position', ...(group !== undefined ? { group } : {}) });
          }
          return {
            id: k, label: `${p.topic} p${p.partition}`, startOffset: p.startOffset, endOffset: p.endOffset,
            highWatermark: p.highWatermark, records, cursors, ...(owner !== undefined ? { owner } : {}),
            ...(this.index.brokers.length > 1 || p.leader < 0 ? { leader: p.leader < 0 ? 'offline' : `broker ${p.leader}`, note: placementNote(p) } : {}),
            ...(p.leader < 0 ? { unavailable: true } : {}),
          };
        }),
      });
    }
    return out;
  }

  private workers(s: KafkaState, t: number): WorkerContents[] {
    const out: WorkerContents[] = [];
    for (const c of s.consumers.values()) {
      if (!this.index.clients.has(c.client)) continue;
      const holding: string[] = [];
      for (const [k, [from, to]] of c.fetched) {
        const [topic, partition] = splitKey(k);
        for (let o = from; o < to && holding.length < HELD_SHOWN; o++) {
          const msg = this.index.msgAt(topic, partition, o, t);
          if (msg !== undefined) holding.push(mid(msg));
        }
      }
      const p = c.processing;
      const msg = p === null ? undefined : this.index.msgAt(p.topic, p.partition, p.offset, t);
      out.push({
        node: `consumer:${c.client}`, holding,
        processing: p === null || msg === undefined ? null : { msgId: mid(msg), progress: this.progress(p.sinceMs, c.client, p, t) },
      });
    }
    return out;
  }

  private inFlight(t: number): Flight[] {
    const out: Flight[] = [];
    // Spans are sorted by start; only those that started within maxSpan before t can still be on the wire.
    let lo = 0;
    let hi = this.spans.length;
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (this.spans[m].start <= t) lo = m + 1;
      else hi = m;
    }
    for (let i = lo - 1; i >= 0 && this.spans[i].start >= t - this.maxSpan; i--) {
      const sp = this.spans[i];
      if (t >= sp.start && t < sp.end) out.push({ ...sp.flight, progress: (t - sp.start) / (sp.end - sp.start) });
    }
    return out.reverse();
  }

  // ───────────────────────────── sentences, messages, series ─────────────────────────────

  describeLastStep(): string | null {
    const from = Math.min(this.previousSeekMs, this.lastSeekMs);
    const to = Math.max(this.previousSeekMs, this.lastSeekMs);
    if (to === from) return null;
    let best: { rank: number; text: string } | null = null;
    const consider = (rank: number, text: string) => {
      if (best === null || rank >= best.rank) best = { rank, text };
    };
    const label = (c: string) => this.index.label(c);
    for (const e of this.trace) {
      if (e.t <= from) continue;
      if (e.t > to) break;
      switch (e.kind) {
        case 'kafka-broker-stopped': consider(9, `Broker ${e.broker} stopped: each partition it led moves to an in-sync replica on a running broker, or goes offline if there is none.`); break;
        case 'kafka-client-error':
          if (e.msgs !== undefined && e.topic !== undefined) {
            if (e.gaveUp === true) consider(8, `${label(e.client)} gave up ${e.msgs.length === 1 ? 'a record' : `${e.msgs.length} records`} for ${e.topic} p${e.partition}: it had no leader through every retry.`);
            else consider(4, `${e.topic} p${e.partition} has no leader: ${label(e.client)} waits and retries.`);
          }
          break;
        case 'kafka-broker-started': consider(8, `Broker ${e.broker} is running again; its replicas catch up.`); break;
        case 'kafka-member-left':
          consider(8, e.reason === 'session-timeout'
            ? `${label(e.client)} missed its heartbeats for the whole session timeout: group ${e.group} removed it and rebalances.`
            : e.reason === 'left' ? `${label(e.client)} left group ${e.group}, which rebalances.`
              : `${label(e.client)} did not rejoin group ${e.group} in time and was removed.`);
          break;
        case 'kafka-client-closed':
          if (e.reason !== 'disconnected') consider(7, `${label(e.client)} crashed; its group notices only when its session times out.`);
          break;
        case 'kafka-commit':
          if (e.error !== undefined) consider(7, `Group ${e.group} rejected a commit from ${label(e.client)} (${e.error}): it is no longer that member of the group.`);
          else consider(2, `${label(e.client)} committed ${e.offsets.map((o) => `${o.topic} p${o.partition} offset ${o.offset}`).join(', ')}.`);
          break;
        case 'kafka-group-state':
          if (e.state === 'PreparingRebalance') consider(6, `Group ${e.group} is rebalancing: every member must rejoin.`);
          else if (e.state === 'Stable') consider(5, `Group ${e.group} is stable again (generation ${e.generation}); each partition has one owner.`);
          else if (e.state === 'Empty') consider(5, `Group ${e.group} has no members now; its committed offsets stay.`);
          break;
        case 'kafka-records-deleted':
          consider(6, `Retention deleted ${e.count} old record${e.count === 1 ? '' : 's'} of ${e.topic} p${e.partition}; the log now starts at offset ${e.logStartOffset}.`);
          break;
        case 'kafka-truncated':
          consider(7, `${e.topic} p${e.partition}: the new leader had not replicated ${e.lostMsgs.length} record${e.lostMsgs.length === 1 ? '' : 's'}; they are lost.`);
          break;
        case 'kafka-leader-changed':
          consider(6, e.leader < 0 ? `${e.topic} p${e.partition} has no in-sync replica left: it is offline.` : `${e.topic} p${e.partition} has a new leader, broker ${e.leader}.`);
          break;
        case 'kafka-partitions-created':
          consider(6, `${e.topic} now has more partitions; keys are hashed over the new count.`);
          break;
        case 'kafka-consumed':
          consider(1, `${label(e.client)} handled ${e.count === 1 ? `offset ${e.offset}` : `${e.count} records`} of ${e.topic} p${e.partition}.`);
          break;
        case 'kafka-appended':
          consider(0, `${e.topic} p${e.partition} appended ${e.count === 1 ? `a record at offset ${e.baseOffset}` : `${e.count} records`}.`);
          break;
        default:
          break;
      }
    }
    return best === null ? null : (best as { text: string }).text;
  }

  /** Message ids in order of first appearance. */
  async messageIds(): Promise<readonly string[]> {
    return this.messageIdsNow();
  }

  /** Message ids, now (for tests and the view's own use). */
  messageIdsNow(): readonly string[] {
    return this.index.messageOrder.map(mid);
  }

  /** The inspector's view of a message: body, topic / partition / offset / key, headers, history. */
  async message(msgId: string): Promise<MessageDetail | undefined> {
    return this.messageNow(msgId);
  }

  /** The inspector's view of a message, now. */
  messageNow(msgId: string): MessageDetail | undefined {
    const msg = msgNumOf(msgId);
    const info = this.index.messages.get(msg);
    if (info === undefined) return undefined;
    const label = (c: string) => this.index.label(c);
    const history: MessageEvent[] = [];
    let offset: number | undefined;
    let partition = info.partition;
    const committedFor = new Set<string>();
    for (const e of this.trace) {
      switch (e.kind) {
        case 'kafka-produce-sent':
          if (sentMsgs(e).includes(msg)) history.push({ atMs: e.t, text: `sent by ${label(e.client)} to ${e.topic} p${e.partition}${e.attempt > 1 ? ` (retry ${e.attempt - 1})` : ''}` });
          break;
        case 'kafka-appended': {
          const sent = this.index.requests.get(`${e.client}#${e.request}`)?.find((s) => s.topic === e.topic && s.partition === e.partition);
          const i = sent === undefined ? -1 : sentMsgs(sent).indexOf(msg);
          if (i >= 0) {
            offset = e.baseOffset + i;
            partition = e.partition;
            history.push({ atMs: e.t, text: `appended to ${e.topic} p${e.partition} at offset ${offset}` });
          }
          break;
        }
        case 'kafka-produce-response': {
          const sent = this.index.requests.get(`${e.client}#${e.request}`)?.find((s) => s.topic === e.topic && s.partition === e.partition);
          if (sent !== undefined && sentMsgs(sent).includes(msg)) history.push({ atMs: e.t, text: e.error !== undefined ? `refused: ${e.error}` : e.duplicate === true ? 'acknowledged (a duplicate the broker dropped)' : 'acknowledged to the producer' });
          break;
        }
        case 'kafka-fetched':
          if (offset !== undefined && e.topic === info.topic && e.partition === partition && offset >= e.fromOffset && offset < e.fromOffset + e.count) {
            history.push({ atMs: e.t, text: `fetched by ${label(e.client)}` });
          }
          break;
        case 'kafka-consumed':
          if (offset !== undefined && e.topic === info.topic && e.partition === partition && offset >= e.offset && offset < e.offset + e.count) {
            history.push({ atMs: e.t, text: `handled by ${label(e.client)}${e.error !== undefined ? ` — failed: ${e.error}` : ''}` });
          }
          break;
        case 'kafka-commit':
          if (offset !== undefined && e.error === undefined && !committedFor.has(e.group) &&
            e.offsets.some((o) => o.topic === info.topic && o.partition === partition && o.offset > (offset as number))) {
            committedFor.add(e.group);
            history.push({ atMs: e.t, text: `committed by group ${e.group}` });
          }
          break;
        case 'kafka-records-deleted':
          if (offset !== undefined && e.topic === info.topic && e.partition === partition && e.logStartOffset > offset &&
            !history.some((h) => h.text.startsWith('deleted'))) history.push({ atMs: e.t, text: `deleted by retention (${e.reason})` });
          break;
        case 'kafka-truncated':
          if (e.lostMsgs.includes(msg)) history.push({ atMs: e.t, text: 'lost: truncated when a replica without it became leader' });
          break;
        case 'kafka-client-error':
          if (e.msgs?.includes(msg) === true && e.topic !== undefined) {
            history.push({ atMs: e.t, text: e.gaveUp === true ? `given up by ${label(e.client)}: ${e.topic} p${e.partition} had no leader` : `not sent: ${e.topic} p${e.partition} has no leader; ${label(e.client)} retries` });
          }
          break;
        default:
          break;
      }
    }
    const properties: Array<[string, string]> = [['topic', info.topic], ['partition', String(partition)]];
    if (offset !== undefined) properties.push(['offset', String(offset)]);
    properties.push(['key', info.key ?? '(none)']);
    properties.push(['timestamp', String(info.timestamp ?? '(send time)')]);
    properties.push(['producer', label(info.producer)]);
    return {
      msgId, title: `${msgId} · ${info.preview ?? ''}`.trim(), body: info.preview ?? '',
      properties, headers: info.headers ?? [], history,
    };
  }

  /** Lag series per group and partition, and rate series (see the module doc); computed once. */
  async series(): Promise<ReadonlyMap<string, Series>> {
    return this.seriesNow();
  }

  /** The series, now (computed once). */
  seriesNow(): ReadonlyMap<string, Series> {
    if (this.seriesCache !== undefined) return this.seriesCache;
    const out = new Map<string, Series>();
    const fold = new KafkaFold(this.trace, this.index);
    const groups = [...this.index.groups];
    const lagPoints = new Map<string, Array<[number, number]>>();
    const push = (id: string, t: number, v: number) => {
      const list = lagPoints.get(id) ?? [];
      const last = list[list.length - 1];
      if (last !== undefined && last[0] === t) last[1] = v;
      else if (last === undefined || last[1] !== v) list.push([t, v]);
      lagPoints.set(id, list);
    };
    const times: number[] = [];
    for (const e of this.trace) {
      if (e.kind === 'kafka-appended' || e.kind === 'kafka-commit' || e.kind === 'kafka-records-deleted' || e.kind === 'kafka-truncated' || e.kind === 'kafka-group-state') {
        if (times[times.length - 1] !== e.t) times.push(e.t);
      }
    }
    for (const t of times) {
      const s = fold.stateAt(t);
      for (const g of groups) {
        // A group has no lag before its first member joins it (the line starts there).
        if (!s.groups.has(g)) continue;
        const lags = lagOf(s, g, [...(this.index.groupTopics.get(g) ?? [])]);
        let total = 0;
        for (const l of lags) {
          push(`lag:${g}:${l.key}`, t, l.lag);
          total += l.lag;
        }
        push(`lag:${g}`, t, total);
      }
    }
    for (const [id, points] of lagPoints) {
      const [, group, part] = id.split(':');
      out.set(id, {
        id, label: part === undefined ? `Lag of ${group} (all partitions)` : `Lag of ${group} on ${part.replace('/', ' p')}`,
        unit: 'messages', points, curve: 'step',
      });
    }
    const rate = (id: string, label: string, pick: (e: TraceEvent) => number) => {
      const buckets = new Map<number, number>();
      for (const e of this.trace) {
        const n = pick(e);
        if (n > 0) buckets.set(Math.floor(e.t / 1000), (buckets.get(Math.floor(e.t / 1000)) ?? 0) + n);
      }
      const last = Math.floor(this.index.endMs / 1000);
      const points: Array<[number, number]> = [];
      for (let b = 0; b <= last; b++) points.push([b * 1000, buckets.get(b) ?? 0]);
      out.set(id, { id, label, unit: 'msg/s', points, curve: 'line' });
    };
    rate('rate:produce', 'Records appended per second', (e) => (e.kind === 'kafka-appended' ? e.count : 0));
    rate('rate:consume', 'Records handled per second', (e) => (e.kind === 'kafka-consumed' ? e.count : 0));
    this.seriesCache = out;
    return out;
  }
}

/** Where a partition lives, as its lane shows it: "leader 1 · ISR 1,2", or "offline · no leader". */
function placementNote(p: PartitionState): string {
  if (p.leader >= 0) return `leader ${p.leader} · ISR ${p.isr.join(',')}`;
  return `offline · replicas on ${p.replicas.join(',')}`;
}

/** The same for the spoken text. */
function placementSpoken(p: PartitionState): string {
  if (p.leader >= 0) return `led by broker ${p.leader}, in-sync replicas ${p.isr.join(' and ')}`;
  return `offline: no in-sync replica is running (replicas on broker${p.replicas.length === 1 ? '' : 's'} ${p.replicas.join(' and ')})`;
}

function lastAtOrBefore(list: Array<[number, number]>, t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (list[m][0] <= t) lo = m + 1;
    else hi = m;
  }
  return lo === 0 ? 0 : list[lo - 1][1];
}

function splitKey(k: string): [string, number] {
  const i = k.lastIndexOf('/');
  return [k.slice(0, i), Number(k.slice(i + 1))];
}

/** The counters a Kafka run can show. */
export const KAFKA_COUNTERS: readonly CounterSpec[] = [
  { id: 'produced', label: 'Produced', description: 'Records the producers sent (first attempts).' },
  { id: 'appended', label: 'In the log', description: 'Records the partition leaders appended to their logs.' },
  { id: 'consumed', label: 'Handled', description: 'Records the consumers finished handling.' },
  { id: 'duplicates', label: 'Handled again', description: 'Records a group handled a second time (after a rebalance or a retry).' },
  { id: 'commits', label: 'Commits', description: 'Offset commits the group coordinators received.' },
  { id: 'rejectedCommits', label: 'Rejected commits', description: 'Commits the coordinator refused (the member was no longer in the group, or its generation was old).' },
  { id: 'rebalances', label: 'Rebalances', description: 'Times a group started rebalancing (a member joined, left, or missed its heartbeats).' },
  { id: 'deleted', label: 'Deleted by retention', description: 'Records retention removed from the logs.' },
  { id: 'truncated', label: 'Cut from a log', description: 'Records a partition lost when a replica that did not have them became its leader (a producer with acks=all sends them again).' },
  { id: 'givenUp', label: 'Given up', description: 'Records a producer gave up after its last retry because their partition had no leader.' },
];

/** The view half of the Kafka plugin (`../registry.ts` loads it). */
export const kafkaViewPlugin: BrokerViewPlugin = {
  id: 'kafka',
  counters: KAFKA_COUNTERS,
  createView: createKafkaView,
};
