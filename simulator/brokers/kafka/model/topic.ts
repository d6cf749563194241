/**
 * Topics and their partitions as the cluster holds them: each partition has its log (on the leader), its replica
 * set (brokers holding a copy, the preferred leader first), the in-sync replicas (ISR), the current leader and
 * leader epoch, the follower replicas' log end offsets and the high watermark, plus the requests waiting on it
 * (acks=all produces waiting for replication, consumer fetches waiting for data).
 *
 * Replication (see `replication.ts`) is simplified: a follower's copy is a log end offset over the leader's log
 * (followers only ever hold a prefix of the leader's log), so one log per partition stands for all replicas.
 */
import type { TopicConfig } from './config.ts';
import { PartitionLog } from './partition-log.ts';

/** A produce batch appended with acks=all, waiting until the high watermark passes `endOffset`. */
export interface PendingAck {
  endOffset: number;
  /** Called once: with no error when replicated, or with the error that ended the wait. */
  complete(error?: 'NOT_ENOUGH_REPLICAS_AFTER_APPEND' | 'REQUEST_TIMED_OUT' | 'NOT_LEADER_FOR_PARTITION'): void;
}

/** A consumer fetch held at the broker until data arrives here (or its max wait ends). */
export interface WaitingFetch {
  wake(): void;
}

/** One partition: its log, replicas, ISR, leader, high watermark and waiting requests. */
export class Partition {
  readonly topic: string;
  readonly id: number;
  readonly log = new PartitionLog();
  /** Brokers holding a replica; the first is the preferred leader. */
  replicas: number[];
  /** In-sync replicas (leader included), in replica order. */
  isr: number[];
  /** Leader broker id, -1 while offline (no in-sync replica alive). */
  leader: number;
  /** The ISR when the partition last had one (an offline partition waits for one of these to come back). */
  lastIsr: number[];
  leaderEpoch = 0;
  /** Offset below which every in-sync replica has the records; consumers read only below it. */
  highWatermark = 0;
  /** Log end offset of each follower replica (broker id → offset); the leader's is `log.logEndOffset`. */
  readonly followerLeo = new Map<number, number>();
  /** Followers with a catch-up already scheduled. */
  readonly replicating = new Set<number>();
  /** acks=all batches waiting for the high watermark, oldest first. */
  pendingAcks: PendingAck[] = [];
  /** Fetches waiting for data on this partition. */
  readonly waitingFetches = new Set<WaitingFetch>();

  constructor(topic: string, id: number, replicas: number[], leader: number) {
    this.topic = topic;
    this.id = id;
    this.replicas = replicas;
    this.isr = [...replicas];
    this.lastIsr = [...replicas];
    this.leader = leader;
    for (const r of replicas) if (r !== leader) this.followerLeo.set(r, 0);
  }

  /** Log end offset of replica `broker` (the leader's log end offset for the leader). */
  leoOf(broker: number): number {
    return broker === this.leader ? this.log.logEndOffset : (this.followerLeo.get(broker) ?? 0);
  }
}

/** A topic: its partitions and configuration. */
export class Topic {
  readonly name: string;
  readonly partitions: Partition[] = [];
  config: TopicConfig;
  /** Topic id shown in metadata (Kafka 2.8+ gives topics a UUID; here a per-run counter). */
  readonly id: number;

  constructor(name: string, id: number, config: TopicConfig) {
    this.name = name;
    this.id = id;
    this.config = config;
  }
}
