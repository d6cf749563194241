/**
 * Replication, the high watermark, the ISR and leader election (Kafka's `Partition` / `ReplicaManager` and the
 * controller's `PartitionStateMachine`), simplified for teaching:
 *
 * - Followers: every follower replica on a running broker copies the leader's new records `replicationDelayMs`
 *   after they are appended (a follower's fetch of them plus the next fetch that tells the leader its new log end
 *   offset), all that the leader has at that moment. A follower that reaches the leader's log end offset joins
 *   the ISR again.
 * - High watermark = the smallest log end offset among the ISR (leader included); it only moves up. acks=all
 *   produces complete when it passes their last record (`PendingAck`), consumers read only below it.
 * - A stopped broker (a controlled shutdown) leaves the ISR of all its partitions at once (Kafka removes a dead
 *   follower after replica.lag.time.max.ms, 30 s; a controlled shutdown moves leadership before the broker goes).
 *   Partitions it led get a new leader: the first replica in replica order that is alive and in the ISR (Kafka's
 *   OfflinePartitionLeaderElectionStrategy, unclean election off); with none, the partition is offline (leader
 *   -1) until an ISR replica starts again. A new leader's log is the truth: records it did not have yet (above its
 *   log end offset — never acknowledged to an acks=all producer) are truncated from the log and lost.
 * - A restarted broker's replicas catch up and rejoin the ISR; leadership does not move back (Kafka's preferred
 *   leader election runs every 5 min by default; not modelled).
 */
import type { Engine } from '../../../core/engine.ts';
import type { TraceEventInput } from '../../../trace.ts';
import type { Partition } from './topic.ts';

/** What replication needs from the cluster. */
export interface ReplicationHost {
  engine: Engine;
  replicationDelayMs: number;
  isBrokerUp(broker: number): boolean;
  record(event: TraceEventInput): void;
  /** Wakes the fetches waiting on a partition whose high watermark moved. */
  wakeFetches(partition: Partition): void;
}

/** After an append at the leader: schedules the followers' catch-up. */
export function scheduleFollowers(host: ReplicationHost, p: Partition): void {
  for (const r of p.replicas) {
    if (r !== p.leader && host.isBrokerUp(r)) scheduleCatchUp(host, p, r);
  }
}

/** The high watermark the ISR allows now: the smallest log end offset among them, never lower than before. */
export function computeHighWatermark(p: Partition): number {
  if (p.leader < 0) return p.highWatermark;
  let hw = p.log.logEndOffset;
  for (const r of p.isr) hw = Math.min(hw, p.leoOf(r));
  return Math.max(hw, p.highWatermark);
}

function scheduleCatchUp(host: ReplicationHost, p: Partition, follower: number): void {
  if (p.replicating.has(follower)) return;
  if ((p.followerLeo.get(follower) ?? 0) >= p.log.logEndOffset) return;
  p.replicating.add(follower);
  host.engine.schedule(host.replicationDelayMs, () => {
    p.replicating.delete(follower);
    if (!host.isBrokerUp(follower) || p.leader < 0 || !p.replicas.includes(follower) || follower === p.leader) return;
    p.followerLeo.set(follower, p.log.logEndOffset);
    if (!p.isr.includes(follower)) {
      p.isr = p.replicas.filter((r) => r === follower || p.isr.includes(r));
      host.record({ kind: 'kafka-isr-changed', topic: p.topic, partition: p.id, isr: [...p.isr] });
    }
    updateHighWatermark(host, p);
  });
}

/**
 * Recomputes the high watermark (see `computeHighWatermark`) and, when it moved: records `kafka-hw` (unless
 * `recordIt` is false: the caller's entry shows it), completes the acks=all waits it passed, wakes waiting fetches.
 */
export function updateHighWatermark(host: ReplicationHost, p: Partition, recordIt = true): void {
  const hw = computeHighWatermark(p);
  if (hw <= p.highWatermark) return;
  p.highWatermark = hw;
  if (recordIt) host.record({ kind: 'kafka-hw', topic: p.topic, partition: p.id, highWatermark: hw });
  if (p.pendingAcks.length > 0) {
    const done = p.pendingAcks.filter((a) => a.endOffset <= hw);
    p.pendingAcks = p.pendingAcks.filter((a) => a.endOffset > hw);
    for (const a of done) a.complete();
  }
  host.wakeFetches(p);
}

/** A broker stopped: it leaves every ISR; partitions it led elect a new leader (see the module doc). */
export function onBrokerStopped(host: ReplicationHost, partitions: Iterable<Partition>, broker: number): void {
  for (const p of partitions) {
    if (!p.replicas.includes(broker)) continue;
    p.replicating.delete(broker);
    const wasLeader = p.leader === broker;
    if (p.isr.includes(broker)) {
      p.isr = p.isr.filter((r) => r !== broker);
      if (!wasLeader) host.record({ kind: 'kafka-isr-changed', topic: p.topic, partition: p.id, isr: [...p.isr] });
    }
    if (wasLeader) {
      // The old leader's log end offset is kept as its replica's, for when it comes back as a follower.
      p.followerLeo.set(broker, p.log.logEndOffset);
      electLeader(host, p);
    } else {
      updateHighWatermark(host, p);
    }
  }
}

/** A broker started again: its replicas catch up; offline partitions it can lead get it as leader. */
export function onBrokerStarted(host: ReplicationHost, partitions: Iterable<Partition>, broker: number): void {
  for (const p of partitions) {
    if (!p.replicas.includes(broker)) continue;
    if (p.leader < 0 && p.isr.length === 0 && p.lastIsr.includes(broker)) {
      p.isr = [broker];
      electLeader(host, p);
      continue;
    }
    if (p.leader >= 0 && broker !== p.leader) {
      // Its copy may hold records the current leader never had: cut back to the leader's log end offset.
      p.followerLeo.set(broker, Math.min(p.followerLeo.get(broker) ?? 0, p.log.logEndOffset));
      scheduleCatchUp(host, p, broker);
    }
  }
}

/** Elects a leader among the live in-sync replicas (replica order); truncates to its log; or goes offline. */
export function electLeader(host: ReplicationHost, p: Partition): void {
  const candidate = p.replicas.find((r) => p.isr.includes(r) && host.isBrokerUp(r));
  const failed = p.pendingAcks;
  p.pendingAcks = [];
  for (const a of failed) a.complete('NOT_LEADER_FOR_PARTITION');
  p.leaderEpoch++;
  if (candidate === undefined) {
    if (p.isr.length > 0 || p.leader >= 0) p.lastIsr = p.isr.length > 0 ? [...p.isr] : p.leader >= 0 ? [p.leader] : p.lastIsr;
    p.leader = -1;
    p.isr = [];
    host.record({ kind: 'kafka-leader-changed', topic: p.topic, partition: p.id, leader: -1, isr: [], epoch: p.leaderEpoch });
    host.wakeFetches(p);
    return;
  }
  const newLeo = candidate === p.leader ? p.log.logEndOffset : (p.followerLeo.get(candidate) ?? 0);
  p.followerLeo.delete(candidate);
  p.leader = candidate;
  if (newLeo < p.log.logEndOffset) {
    const lost = p.log.truncate(newLeo);
    host.record({ kind: 'kafka-truncated', topic: p.topic, partition: p.id, logEndOffset: newLeo, lostMsgs: lost });
  }
  for (const r of p.replicas) {
    if (r !== candidate) p.followerLeo.set(r, Math.min(p.followerLeo.get(r) ?? 0, p.log.logEndOffset));
  }
  if (p.highWatermark > p.log.logEndOffset) p.highWatermark = p.log.logEndOffset;
  p.lastIsr = [...p.isr];
  host.record({
    kind: 'kafka-leader-changed', topic: p.topic, partition: p.id, leader: candidate, isr: [...p.isr], epoch: p.leaderEpoch,
  });
  for (const r of p.replicas) if (r !== candidate && host.isBrokerUp(r)) scheduleCatchUp(host, p, r);
  updateHighWatermark(host, p);
  host.wakeFetches(p);
}
