/**
 * The group coordinator of one consumer group (Kafka's classic group protocol, as `kafka.coordinator.group.
 * GroupCoordinator` runs it in Kafka 2.x–3.x): membership, generations, the join / sync / heartbeat / leave
 * protocol, session and rebalance timeouts, and the group's committed offsets. The group's state lives in the
 * xstate machine of `group-machine.ts`.
 *
 * Requests arrive here at the broker (the cluster adds the network latency both ways); each handler answers
 * through `reply` at once or later (a JoinGroup waits for the rebalance). Rules, with Kafka's sources:
 * - JoinGroup (`handleJoinGroup`): session timeout outside [group.min.session.timeout.ms, group.max.session.
 *   timeout.ms] (6 s, 30 min) → INVALID_SESSION_TIMEOUT; a protocol type or protocol set that shares nothing with
 *   the group's → INCONSISTENT_GROUP_PROTOCOL; an empty member id → MEMBER_ID_REQUIRED carrying a new id
 *   `<clientId>-<uuid>` (KIP-394, Kafka ≥ 2.2), which the client rejoins with; an unknown member id →
 *   UNKNOWN_MEMBER_ID. A new member (or a known one with a new subscription, or the leader) starts a rebalance
 *   (PreparingRebalance). The join phase ends when every known member has rejoined — or, for a group that was
 *   Empty, after group.initial.rebalance.delay.ms (3 s, extended while new members keep arriving, at most the
 *   rebalance timeout: `InitialDelayedJoin`) — or when the rebalance timeout (the largest of the members') expires,
 *   removing the members that did not rejoin. Then the generation goes up, the protocol with the most votes among
 *   those every member supports is chosen, the leader (the first member to join, kept while it stays) gets every
 *   member's metadata, and the group is CompletingRebalance (Empty with no member left).
 * - SyncGroup (`handleSyncGroup`): unknown member → UNKNOWN_MEMBER_ID; other generation → ILLEGAL_GENERATION;
 *   PreparingRebalance → REBALANCE_IN_PROGRESS; in CompletingRebalance the followers wait for the leader, whose
 *   assignment (members it left out get an empty one) is handed to everyone, and the group is Stable; in Stable a
 *   member gets its current assignment.
 * - Heartbeat (`handleHeartbeat`, Kafka 3.x): Empty → UNKNOWN_MEMBER_ID; Dead → COORDINATOR_NOT_AVAILABLE
 *   (kafkajs's name: GROUP_COORDINATOR_NOT_AVAILABLE); otherwise unknown member → UNKNOWN_MEMBER_ID, other
 *   generation → ILLEGAL_GENERATION, PreparingRebalance → REBALANCE_IN_PROGRESS (the member must rejoin); a valid
 *   heartbeat restarts the member's session timer.
 * - Session timeout: a member not heard from (join, sync, heartbeat or commit) for its session timeout is removed
 *   (`onMemberFailure`), which starts a rebalance (or completes the one waiting for it).
 * - LeaveGroup: the member is removed at once, with the same effect.
 * - OffsetCommit (`handleCommitOffsets`): Dead → COORDINATOR_NOT_AVAILABLE; generation -1 on an Empty group →
 *   stored (a client using Kafka only to store offsets); CompletingRebalance → REBALANCE_IN_PROGRESS; unknown
 *   member → UNKNOWN_MEMBER_ID; other generation → ILLEGAL_GENERATION; otherwise stored (also during
 *   PreparingRebalance) and the member's session timer restarts. Committed offsets outlive the members.
 *
 * Simplified (documented, not modelled): static membership (group.instance.id), the pending-sync timeout of Kafka
 * 3.x, offset expiry (offsets.retention.minutes) and group deletion by expiry; ties between protocols are broken
 * by the leader's preference order.
 *
 * Timers: the join-phase timer keeps the run alive (clients wait for it); session timers are background events
 * (like a broker's internal clock they never keep a finished program running).
 */
import type { Engine, TimerId } from '../../../core/engine.ts';
import type { TraceEventInput } from '../../../trace.ts';
import { decodeAssignment } from './consumer-protocol.ts';
import type { KafkaErrorType } from './errors.ts';
import {
  groupState, initialGroupSnapshot, nextGroupSnapshot, type GroupEvent, type GroupSnapshot, type GroupState,
} from './group-machine.ts';

/** Kafka's group.min.session.timeout.ms default (ms). */
export const GROUP_MIN_SESSION_TIMEOUT_MS = 6_000;
/** Kafka's group.max.session.timeout.ms default (ms; 30 minutes since Kafka 2.3). */
export const GROUP_MAX_SESSION_TIMEOUT_MS = 1_800_000;
/** Kafka's group.initial.rebalance.delay.ms default (ms). */
export const GROUP_INITIAL_REBALANCE_DELAY_MS = 3_000;

/** One protocol a member offers: an assignor name and its metadata bytes. */
export interface GroupProtocol {
  name: string;
  metadata: Uint8Array;
}

/** A JoinGroup request as the coordinator reads it. */
export interface JoinRequest {
  client: string;
  clientId: string;
  memberId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
}

/** A JoinGroup answer (error, or the generation's data; `members` only for the leader). */
export interface JoinResponse {
  error?: KafkaErrorType;
  /** With MEMBER_ID_REQUIRED: the id to rejoin with. */
  memberId: string;
  generationId: number;
  groupProtocol: string;
  leaderId: string;
  members: Array<{ memberId: string; memberMetadata: Uint8Array }>;
}

/** A committed offset with its metadata string. */
export interface CommittedOffset {
  offset: number;
  metadata: string | null;
}

/** One member of the group, as the coordinator keeps it. */
interface Member {
  memberId: string;
  client: string;
  clientId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: GroupProtocol[];
  assignment: Uint8Array;
  awaitingJoin: ((response: JoinResponse) => void) | null;
  awaitingSync: ((response: { error?: KafkaErrorType; assignment: Uint8Array }) => void) | null;
  sessionTimer: TimerId | null;
}

/** A member of `describeGroups`. */
export interface MemberDescription {
  memberId: string;
  clientId: string;
  clientHost: string;
  memberMetadata: Uint8Array;
  memberAssignment: Uint8Array;
}

/** `describeGroups` of one group. */
export interface GroupDescription {
  groupId: string;
  state: GroupState;
  protocolType: string;
  protocol: string;
  members: MemberDescription[];
}

/** What the coordinator needs from the cluster. */
export interface CoordinatorHost {
  engine: Engine;
  /** The broker hosting this group's coordinator now. */
  coordinatorBroker(): number;
  /** A fresh UUID string from the run's PRNG (member ids). */
  uuid(): string;
  /** Whether topic/partition exists (commits to others fail with UNKNOWN_TOPIC_OR_PARTITION). */
  partitionExists(topic: string, partition: number): boolean;
  record(event: TraceEventInput): void;
}

const EMPTY = new Uint8Array(0);

/** One group's coordinator state (see the module doc). */
export class ConsumerGroup {
  readonly groupId: string;
  private readonly host: CoordinatorHost;
  private snapshot: GroupSnapshot = initialGroupSnapshot();
  /** Members in join order (the leader is the first one while it stays). */
  private readonly members = new Map<string, Member>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, not joined yet (id → expiry timer). */
  private readonly pendingMembers = new Map<string, TimerId>();
  generationId = 0;
  protocolType: string | null = null;
  protocol: string | null = null;
  leaderId: string | null = null;
  private joinTimer: TimerId | null = null;
  /** The running rebalance started from Empty: its join phase is the initial delayed join. */
  private initialDelay = false;
  /** For the initial delayed join: a new member arrived during the delay; and the rebalance time left. */
  private newMemberAdded = false;
  private initialRemainingMs = 0;
  /** topic → partition → committed offset. */
  private readonly offsets = new Map<string, Map<number, CommittedOffset>>();

  constructor(groupId: string, host: CoordinatorHost) {
    this.groupId = groupId;
    this.host = host;
  }

  /** The group's current state. */
  get state(): GroupState {
    return groupState(this.snapshot);
  }

  /** Member ids in join order. */
  memberIds(): string[] {
    return [...this.members.keys()];
  }

  /** Whether `memberId` is a member now. */
  hasMember(memberId: string): boolean {
    return this.members.has(memberId);
  }

  // ───────────────────────────── JoinGroup ─────────────────────────────

  /** Handles a JoinGroup request (see the module doc); `reply` is called once, now or when the join phase ends. */
  join(req: JoinRequest, reply: (response: JoinResponse) => void): void {
    const fail = (error: KafkaErrorType, memberId = req.memberId) =>
      reply({ error, memberId, generationId: -1, groupProtocol: '', leaderId: '', members: [] });
    const state = this.state;
    if (state === 'Dead') return fail('GROUP_COORDINATOR_NOT_AVAILABLE');
    if (req.sessionTimeoutMs < GROUP_MIN_SESSION_TIMEOUT_MS || req.sessionTimeoutMs > GROUP_MAX_SESSION_TIMEOUT_MS) {
      return fail('INVALID_SESSION_TIMEOUT');
    }
    if (!this.supportsProtocols(req.protocolType, req.protocols)) return fail('INCONSISTENT_GROUP_PROTOCOL');
    if (req.memberId === '') {
      const memberId = `${req.clientId}-${this.host.uuid()}`;
      // The client must come back with this id within its session timeout (Kafka: pending member expiry).
      const timer = this.host.engine.scheduleCall(req.sessionTimeoutMs, () => {
        this.pendingMembers.delete(memberId);
        if (this.state === 'PreparingRebalance') this.maybeCompleteJoin();
      }, undefined, true);
      this.pendingMembers.set(memberId, timer);
      return fail('MEMBER_ID_REQUIRED', memberId);
    }
    const pending = this.pendingMembers.get(req.memberId);
    if (pending !== undefined) {
      this.host.engine.cancel(pending);
      this.pendingMembers.delete(req.memberId);
      this.addMemberAndRebalance(req, reply);
      return;
    }
    const member = this.members.get(req.memberId);
    if (member === undefined) return fail('UNKNOWN_MEMBER_ID');
    this.updateMember(member, req, reply);
  }

  private supportsProtocols(protocolType: string, protocols: readonly GroupProtocol[]): boolean {
    if (protocols.length === 0 || protocolType === '') return false;
    if (this.members.size === 0) return true;
    if (protocolType !== this.protocolType) return false;
    const names = protocols.map((p) => p.name);
    return this.candidateProtocols().some((c) => names.includes(c));
  }

  /** Protocols every member supports, in the order of the first member's preference. */
  private candidateProtocols(): string[] {
    const all = [...this.members.values()];
    if (all.length === 0) return [];
    return all[0].protocols.map((p) => p.name).filter((name) => all.every((m) => m.protocols.some((p) => p.name === name)));
  }

  private addMemberAndRebalance(req: JoinRequest, reply: (response: JoinResponse) => void): void {
    const member: Member = {
      memberId: req.memberId, client: req.client, clientId: req.clientId, sessionTimeoutMs: req.sessionTimeoutMs,
      rebalanceTimeoutMs: req.rebalanceTimeoutMs, protocolType: req.protocolType, protocols: req.protocols,
      assignment: EMPTY, awaitingJoin: reply, awaitingSync: null, sessionTimer: null,
    };
    if (this.members.size === 0) this.protocolType = req.protocolType;
    this.members.set(member.memberId, member);
    if (this.leaderId === null) this.leaderId = member.memberId;
    // A member that joins while the initial delay runs extends it (Kafka: group.newMemberAdded).
    if (this.state === 'PreparingRebalance' && this.generationId === 0) this.newMemberAdded = true;
    this.host.record({ kind: 'kafka-member-joined', group: this.groupId, member: member.memberId, client: member.client, rejoin: false });
    this.scheduleSessionTimeout(member);
    this.maybePrepareRebalance();
    if (this.state === 'PreparingRebalance') this.maybeCompleteJoin();
  }

  private updateMember(member: Member, req: JoinRequest, reply: (response: JoinResponse) => void): void {
    const changed = !sameProtocols(member.protocols, req.protocols);
    member.protocols = req.protocols;
    member.sessionTimeoutMs = req.sessionTimeoutMs;
    member.rebalanceTimeoutMs = req.rebalanceTimeoutMs;
    member.client = req.client;
    this.host.record({ kind: 'kafka-member-joined', group: this.groupId, member: member.memberId, client: member.client, rejoin: true });
    this.scheduleSessionTimeout(member);
    switch (this.state) {
      case 'PreparingRebalance':
        member.awaitingJoin = reply;
        this.maybeCompleteJoin();
        return;
      case 'CompletingRebalance':
        if (!changed) {
          // The same member asks again (its JoinGroup response was lost): answer with the current generation.
          reply(this.joinResponseFor(member));
          return;
        }
        member.awaitingJoin = reply;
        this.prepareRebalance();
        return;
      case 'Stable':
        if (member.memberId === this.leaderId || changed) {
          member.awaitingJoin = reply;
          this.prepareRebalance();
        } else {
          reply(this.joinResponseFor(member));
        }
        return;
      default:
        member.awaitingJoin = reply;
        this.maybePrepareRebalance();
    }
  }

  private joinResponseFor(member: Member): JoinResponse {
    const isLeader = member.memberId === this.leaderId;
    const protocol = this.protocol ?? '';
    return {
      memberId: member.memberId, generationId: this.generationId, groupProtocol: protocol,
      leaderId: this.leaderId ?? '',
      members: isLeader ? [...this.members.values()].map((m) => ({
        memberId: m.memberId, memberMetadata: m.protocols.find((p) => p.name === protocol)?.metadata ?? EMPTY,
      })) : [],
    };
  }

  private maybePrepareRebalance(): void {
    const s = this.state;
    if (s === 'Stable' || s === 'CompletingRebalance' || s === 'Empty') this.prepareRebalance();
  }

  private prepareRebalance(): void {
    if (this.state === 'CompletingRebalance') {
      for (const m of this.members.values()) {
        const cb = m.awaitingSync;
        m.awaitingSync = null;
        cb?.({ error: 'REBALANCE_IN_PROGRESS', assignment: EMPTY });
      }
    }
    const wasEmpty = this.state === 'Empty';
    this.transition('PREPARE_REBALANCE');
    this.cancelJoinTimer();
    const rebalanceTimeout = this.maxRebalanceTimeout();
    if (wasEmpty) {
      const delay = Math.min(GROUP_INITIAL_REBALANCE_DELAY_MS, rebalanceTimeout);
      this.newMemberAdded = false;
      this.initialRemainingMs = Math.max(rebalanceTimeout - delay, 0);
      this.joinTimer = this.host.engine.schedule(delay, () => this.onInitialDelayExpired());
    } else {
      this.joinTimer = this.host.engine.schedule(rebalanceTimeout, () => {
        this.joinTimer = null;
        this.completeJoin();
      });
      // Kafka's joinPurgatory.tryCompleteElseWatch: when every member is already waiting (the one that started
      // the rebalance may be the only one), the join phase ends now.
      this.maybeCompleteJoin();
    }
  }

  private onInitialDelayExpired(): void {
    this.joinTimer = null;
    if (this.newMemberAdded && this.initialRemainingMs > 0) {
      this.newMemberAdded = false;
      const delay = Math.min(GROUP_INITIAL_REBALANCE_DELAY_MS, this.initialRemainingMs);
      this.initialRemainingMs = Math.max(this.initialRemainingMs - delay, 0);
      this.joinTimer = this.host.engine.schedule(delay, () => this.onInitialDelayExpired());
      return;
    }
    this.completeJoin();
  }

  /**
   * Completes the join phase early when every member rejoined and no handed-out member id is still expected —
   * except during the initial delay, which always runs out (Kafka: `InitialDelayedJoin.tryComplete` is false).
   */
  private maybeCompleteJoin(): void {
    if (this.state !== 'PreparingRebalance' || this.initialDelay) return;
    for (const m of this.members.values()) if (m.awaitingJoin === null) return;
    if (this.pendingMembers.size > 0) return;
    this.cancelJoinTimer();
    this.completeJoin();
  }

  private completeJoin(): void {
    if (this.state !== 'PreparingRebalance') return;
    this.initialDelay = false;
    for (const m of [...this.members.values()]) {
      if (m.awaitingJoin === null) this.removeMember(m, 'rebalance-timeout', false);
    }
    this.generationId++;
    if (this.members.size === 0) {
      this.protocol = null;
      this.protocolType = null;
      this.leaderId = null;
      this.transition('JOIN_COMPLETE_EMPTY');
      return;
    }
    this.protocol = this.selectProtocol();
    if (this.leaderId === null || !this.members.has(this.leaderId)) this.leaderId = this.members.keys().next().value ?? null;
    this.transition('JOIN_COMPLETE');
    for (const m of this.members.values()) {
      const cb = m.awaitingJoin;
      m.awaitingJoin = null;
      this.scheduleSessionTimeout(m);
      cb?.(this.joinResponseFor(m));
    }
  }

  private selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const vote = m.protocols.find((p) => candidates.includes(p.name))?.name;
      if (vote !== undefined) votes.set(vote, (votes.get(vote) ?? 0) + 1);
    }
    let best = candidates[0];
    for (const c of candidates) if ((votes.get(c) ?? 0) > (votes.get(best) ?? 0)) best = c;
    return best;
  }

  private maxRebalanceTimeout(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  private cancelJoinTimer(): void {
    if (this.joinTimer !== null) this.host.engine.cancel(this.joinTimer);
    this.joinTimer = null;
  }

  // ───────────────────────────── SyncGroup ─────────────────────────────

  /** Handles a SyncGroup request; the leader's `assignment` maps member ids to assignment bytes. */
  sync(memberId: string, generationId: number, assignment: ReadonlyMap<string, Uint8Array>,
    reply: (response: { error?: KafkaErrorType; assignment: Uint8Array }) => void): void {
    const fail = (error: KafkaErrorType) => reply({ error, assignment: EMPTY });
    const state = this.state;
    if (state === 'Dead') return fail('GROUP_COORDINATOR_NOT_AVAILABLE');
    const member = this.members.get(memberId);
    if (member === undefined) return fail('UNKNOWN_MEMBER_ID');
    if (generationId !== this.generationId) return fail('ILLEGAL_GENERATION');
    if (state === 'Empty') return fail('UNKNOWN_MEMBER_ID');
    if (state === 'PreparingRebalance') return fail('REBALANCE_IN_PROGRESS');
    this.scheduleSessionTimeout(member);
    if (state === 'Stable') {
      reply({ assignment: member.assignment });
      return;
    }
    member.awaitingSync = reply;
    if (memberId !== this.leaderId) return;
    for (const m of this.members.values()) m.assignment = assignment.get(m.memberId) ?? EMPTY;
    this.transition('SYNC_COMPLETE');
    this.host.record({
      kind: 'kafka-assignment', group: this.groupId, generation: this.generationId, protocol: this.protocol ?? '',
      assignment: [...this.members.values()].map((m) => ({ member: m.memberId, client: m.client, topics: topicsOf(m.assignment) })),
    });
    for (const m of this.members.values()) {
      const cb = m.awaitingSync;
      m.awaitingSync = null;
      cb?.({ assignment: m.assignment });
    }
  }

  // ───────────────────────────── Heartbeat, LeaveGroup ─────────────────────────────

  /** Handles a Heartbeat (see the module doc); returns the error, if any. */
  heartbeat(memberId: string, generationId: number, client: string, sentAtMs: number): KafkaErrorType | undefined {
    const error = this.heartbeatError(memberId, generationId);
    this.host.record({
      kind: 'kafka-heartbeat', group: this.groupId, member: memberId, client, sentAtMs, ...(error !== undefined ? { error } : {}),
    });
    return error;
  }

  private heartbeatError(memberId: string, generationId: number): KafkaErrorType | undefined {
    const state = this.state;
    if (state === 'Dead') return 'GROUP_COORDINATOR_NOT_AVAILABLE';
    if (state === 'Empty') return 'UNKNOWN_MEMBER_ID';
    const member = this.members.get(memberId);
    if (member === undefined) return 'UNKNOWN_MEMBER_ID';
    if (generationId !== this.generationId) return 'ILLEGAL_GENERATION';
    this.scheduleSessionTimeout(member);
    return state === 'PreparingRebalance' ? 'REBALANCE_IN_PROGRESS' : undefined;
  }

  /** Handles a LeaveGroup; returns UNKNOWN_MEMBER_ID for a member the group does not have. */
  leave(memberId: string): KafkaErrorType | undefined {
    if (this.state === 'Dead') return 'GROUP_COORDINATOR_NOT_AVAILABLE';
    const member = this.members.get(memberId);
    if (member === undefined) return 'UNKNOWN_MEMBER_ID';
    this.removeMember(member, 'left', true);
    return undefined;
  }

  private scheduleSessionTimeout(member: Member): void {
    if (member.sessionTimer !== null) this.host.engine.cancel(member.sessionTimer);
    member.sessionTimer = this.host.engine.scheduleCall(member.sessionTimeoutMs, () => {
      member.sessionTimer = null;
      if (this.members.get(member.memberId) !== member) return;
      // A member waiting for its JoinGroup or SyncGroup answer is waiting on the coordinator, not gone (Kafka:
      // `MemberMetadata.shouldKeepAlive`): its session starts again once answered.
      if (member.awaitingJoin !== null || member.awaitingSync !== null) {
        this.scheduleSessionTimeout(member);
        return;
      }
      this.removeMember(member, 'session-timeout', true);
    }, undefined, true);
  }

  /** Removes a member (left, timed out) and moves the group as Kafka's `removeMemberAndUpdateGroup` does. */
  private removeMember(member: Member, reason: 'left' | 'session-timeout' | 'rebalance-timeout', update: boolean): void {
    if (member.sessionTimer !== null) this.host.engine.cancel(member.sessionTimer);
    member.sessionTimer = null;
    this.members.delete(member.memberId);
    if (this.leaderId === member.memberId) this.leaderId = this.members.keys().next().value ?? null;
    this.host.record({ kind: 'kafka-member-left', group: this.groupId, member: member.memberId, client: member.client, reason });
    const joinCb = member.awaitingJoin;
    member.awaitingJoin = null;
    joinCb?.({ error: 'UNKNOWN_MEMBER_ID', memberId: member.memberId, generationId: -1, groupProtocol: '', leaderId: '', members: [] });
    const syncCb = member.awaitingSync;
    member.awaitingSync = null;
    syncCb?.({ error: 'UNKNOWN_MEMBER_ID', assignment: EMPTY });
    if (!update) return;
    const s = this.state;
    if (s === 'Stable' || s === 'CompletingRebalance') this.prepareRebalance();
    else if (s === 'PreparingRebalance') this.maybeCompleteJoin();
  }

  // ───────────────────────────── Offsets ─────────────────────────────

  /**
   * Handles an OffsetCommit (see the module doc). Returns the error for the whole request, or per-partition
   * errors (UNKNOWN_TOPIC_OR_PARTITION) in `partitionErrors`.
   */
  commit(memberId: string, generationId: number, client: string, sentAtMs: number,
    offsets: ReadonlyArray<{ topic: string; partition: number; offset: number; metadata: string | null }>):
    { error?: KafkaErrorType; partitionErrors: Array<KafkaErrorType | undefined> } {
    const error = this.commitError(memberId, generationId);
    const partitionErrors: Array<KafkaErrorType | undefined> = [];
    if (error === undefined) {
      for (const o of offsets) {
        if (!this.host.partitionExists(o.topic, o.partition)) {
          partitionErrors.push('UNKNOWN_TOPIC_OR_PARTITION');
          continue;
        }
        partitionErrors.push(undefined);
        let byPartition = this.offsets.get(o.topic);
        if (byPartition === undefined) {
          byPartition = new Map();
          this.offsets.set(o.topic, byPartition);
        }
        byPartition.set(o.partition, { offset: o.offset, metadata: o.metadata });
      }
    }
    const firstPartitionError = partitionErrors.find((e) => e !== undefined);
    const shown = error ?? firstPartitionError;
    this.host.record({
      kind: 'kafka-commit', group: this.groupId, member: memberId, client, generation: generationId,
      offsets: offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset })), sentAtMs,
      ...(shown !== undefined ? { error: shown } : {}),
    });
    return error === undefined ? { partitionErrors } : { error, partitionErrors };
  }

  private commitError(memberId: string, generationId: number): KafkaErrorType | undefined {
    const state = this.state;
    if (state === 'Dead') return 'GROUP_COORDINATOR_NOT_AVAILABLE';
    if (generationId < 0 && state === 'Empty') return undefined;
    if (state === 'CompletingRebalance') return 'REBALANCE_IN_PROGRESS';
    const member = this.members.get(memberId);
    if (member === undefined) return 'UNKNOWN_MEMBER_ID';
    if (generationId !== this.generationId) return 'ILLEGAL_GENERATION';
    this.scheduleSessionTimeout(member);
    return undefined;
  }

  /** The committed offset of topic/partition, or undefined when the group has none. */
  committed(topic: string, partition: number): CommittedOffset | undefined {
    return this.offsets.get(topic)?.get(partition);
  }

  /** Topics the group has committed offsets for, in first-commit order. */
  committedTopics(): string[] {
    return [...this.offsets.keys()];
  }

  /** Forgets the committed offsets of a deleted topic. */
  forgetTopic(topic: string): void {
    this.offsets.delete(topic);
  }

  // ───────────────────────────── Describe ─────────────────────────────

  /**
   * `describeGroups` (Kafka `GroupMetadata.summary`): in Stable the members with their metadata for the chosen
   * protocol and their assignment; in other states the members without them and no protocol.
   */
  describe(): GroupDescription {
    const stable = this.state === 'Stable';
    return {
      groupId: this.groupId,
      state: this.state,
      protocolType: this.protocolType ?? (this.members.size > 0 ? 'consumer' : ''),
      protocol: stable ? (this.protocol ?? '') : '',
      members: [...this.members.values()].map((m) => ({
        memberId: m.memberId, clientId: m.clientId, clientHost: '/127.0.0.1',
        memberMetadata: stable ? (m.protocols.find((p) => p.name === this.protocol)?.metadata ?? EMPTY) : EMPTY,
        memberAssignment: stable ? m.assignment : EMPTY,
      })),
    };
  }

  /** The member that owns topic/partition in the current generation (Stable groups), or undefined. */
  ownerOf(topic: string, partition: number): string | undefined {
    if (this.state !== 'Stable') return undefined;
    for (const m of this.members.values()) {
      const decoded = safeDecode(m.assignment);
      if (decoded?.assignment[topic]?.includes(partition)) return m.memberId;
    }
    return undefined;
  }

  private transition(event: GroupEvent['type']): void {
    const from = this.state;
    this.snapshot = nextGroupSnapshot(this.snapshot, event);
    if (event === 'PREPARE_REBALANCE') this.initialDelay = from === 'Empty';
    this.host.record({
      kind: 'kafka-group-state', group: this.groupId, state: this.state, generation: this.generationId,
      coordinator: this.host.coordinatorBroker(), protocol: this.protocol, leader: this.leaderId,
      members: [...this.members.keys()],
    });
  }
}

function sameProtocols(a: readonly GroupProtocol[], b: readonly GroupProtocol[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].name !== b[i].name || !sameBytes(a[i].metadata, b[i].metadata)) return false;
  }
  return true;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function safeDecode(bytes: Uint8Array): ReturnType<typeof decodeAssignment> {
  try {
    return decodeAssignment(bytes);
  } catch {
    return null;
  }
}

/** An assignment's bytes as the trace shows them (topics in order, partitions as given; [] when undecodable). */
function topicsOf(bytes: Uint8Array): Array<{ topic: string; partitions: number[] }> {
  const decoded = safeDecode(bytes);
  if (decoded === null) return [];
  return Object.entries(decoded.assignment).map(([topic, partitions]) => ({ topic, partitions }));
}
