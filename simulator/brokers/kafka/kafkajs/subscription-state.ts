/**
 * kafkajs's `SubscriptionState` and `SeekOffsets` (node_modules/kafkajs/src/consumer/subscriptionState.js,
 * seekOffsets.js): which partitions the member is assigned, which are paused (per partition, or a whole topic with
 * exceptions resumed), and seeks waiting for the next fetch.
 */

interface TopicState {
  paused: Set<number>;
  pauseAll: boolean;
  resumed: Set<number>;
}

/** Topic and partitions, kafkajs's `TopicPartitions`. */
export interface TopicPartitions {
  topic: string;
  partitions: number[];
}

const byNumber = (a: number, b: number) => (String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0);

/** Assigned and paused partitions of a member. */
export class SubscriptionState {
  private assignedByTopic = new Map<string, number[]>();
  private readonly states = new Map<string, TopicState>();

  /** Replaces the assignment. */
  assign(topicPartitions: TopicPartitions[] = []): void {
    this.assignedByTopic = new Map(topicPartitions.map(({ topic, partitions = [] }) => [topic, partitions]));
  }

  private state(topic: string): TopicState {
    let s = this.states.get(topic);
    if (s === undefined) {
      s = { paused: new Set(), pauseAll: false, resumed: new Set() };
      this.states.set(topic, s);
    }
    return s;
  }

  /** Pauses partitions (`partitions` undefined: the whole topic). */
  pause(topicPartitions: Array<{ topic: string; partitions?: number[] }> = []): void {
    for (const { topic, partitions } of topicPartitions) {
      const s = this.state(topic);
      if (partitions === undefined) {
        s.paused.clear();
        s.resumed.clear();
        s.pauseAll = true;
      } else if (Array.isArray(partitions)) {
        for (const p of partitions) {
          s.paused.add(p);
          s.resumed.delete(p);
        }
        s.pauseAll = false;
      }
    }
  }

  /** Resumes partitions (`partitions` undefined: the whole topic). */
  resume(topicPartitions: Array<{ topic: string; partitions?: number[] }> = []): void {
    for (const { topic, partitions } of topicPartitions) {
      const s = this.state(topic);
      if (partitions === undefined) {
        s.paused.clear();
        s.resumed.clear();
        s.pauseAll = false;
      } else if (Array.isArray(partitions)) {
        for (const p of partitions) {
          s.paused.delete(p);
          if (s.pauseAll) s.resumed.add(p);
        }
      }
    }
  }

  /** Assigned partitions, sorted as kafkajs sorts them (`Array.prototype.sort()`: as strings). */
  assigned(): TopicPartitions[] {
    return [...this.assignedByTopic].map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort(byNumber) }));
  }

  /** Assigned partitions that are not paused. */
  active(): TopicPartitions[] {
    return [...this.assignedByTopic].map(([topic, partitions]) => ({
      topic, partitions: partitions.filter((p) => !this.isPaused(topic, p)).sort(byNumber),
    }));
  }

  /** Assigned partitions that are paused (topics with none left out). */
  paused(): TopicPartitions[] {
    return [...this.assignedByTopic]
      .map(([topic, partitions]) => ({ topic, partitions: partitions.filter((p) => this.isPaused(topic, p)).sort(byNumber) }))
      .filter(({ partitions }) => partitions.length !== 0);
  }

  /** Whether topic/partition is paused (a whole-topic pause with this partition not resumed, or the partition). */
  isPaused(topic: string, partition: number): boolean {
    const s = this.states.get(topic);
    if (s === undefined) return false;
    return (s.pauseAll && !s.resumed.has(partition)) || s.paused.has(partition);
  }
}

/** Seeks waiting for the next fetch: the latest seek of a partition wins. */
export class SeekOffsets {
  private readonly map = new Map<string, { topic: string; partition: number; offset: string }>();

  private key(topic: string, partition: number): string {
    return JSON.stringify([topic, partition]);
  }

  /** Queues a seek of topic/partition to `offset`. */
  set(topic: string, partition: number, offset: string): void {
    this.map.set(this.key(topic, partition), { topic, partition, offset });
  }

  /** Whether a seek waits for topic/partition. */
  has(topic: string, partition: number): boolean {
    return this.map.has(this.key(topic, partition));
  }

  pop(topic: string, partition: number): { topic: string; partition: number; offset: string } | undefined {
    const k = this.key(topic, partition);
    const entry = this.map.get(k);
    if (entry !== undefined) this.map.delete(k);
    return entry;
  }
}
