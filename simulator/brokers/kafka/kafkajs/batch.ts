/**
 * kafkajs's `Batch` (node_modules/kafkajs/src/consumer/batch.js): the records one fetch returned for one
 * partition, as `eachBatch` gets it. Offsets and the high watermark are strings; `offsetLag()` = high watermark − 1
 * − last offset, `offsetLagLow()` = high watermark − 1 − first offset. (No transactions or compaction are
 * simulated, so no record is ever filtered out of a batch.)
 */
import type { KafkaMessage } from './messages.ts';

/** One partition's fetched records (see the module doc); offsets as strings. */
export class Batch {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: string;
  readonly fetchedOffset: string;
  readonly messages: KafkaMessage[];

  constructor(topic: string, partition: number, fetchedOffset: string, highWatermark: number, messages: KafkaMessage[]) {
    this.topic = topic;
    this.partition = partition;
    this.fetchedOffset = fetchedOffset;
    this.highWatermark = String(highWatermark);
    this.messages = messages.filter((m) => Number(m.offset) >= Number(fetchedOffset));
  }

  /** No record in the batch. */
  isEmpty(): boolean {
    return this.messages.length === 0;
  }

  /** No record, counting filtered ones (none are filtered in the simulator). */
  isEmptyIncludingFiltered(): boolean {
    return this.messages.length === 0;
  }

  /** Records were fetched but all filtered out (never: no transactions simulated). */
  isEmptyDueToFiltering(): boolean {
    return false;
  }

  /** Only control records (never: no transactions simulated). */
  isEmptyControlRecord(): boolean {
    return false;
  }

  /** Only records below the fetch offset (never: no compaction simulated). */
  isEmptyDueToLogCompactedMessages(): boolean {
    return false;
  }

  /** Offset of the first record, or null when empty. */
  firstOffset(): string | null {
    return this.isEmptyIncludingFiltered() ? null : this.messages[0].offset;
  }

  /** Offset of the last record; high watermark − 1 when empty (kafkajs). */
  lastOffset(): string {
    if (this.isEmptyIncludingFiltered()) return String(Number(this.highWatermark) - 1);
    return this.messages[this.messages.length - 1].offset;
  }

  /** High watermark − 1 − last offset: records behind after this batch. */
  offsetLag(): string {
    return String(Number(this.highWatermark) - 1 - Number(this.lastOffset()));
  }

  /** High watermark − 1 − first offset ('0' when empty). */
  offsetLagLow(): string {
    if (this.isEmptyIncludingFiltered()) return '0';
    return String(Number(this.highWatermark) - 1 - Number(this.firstOffset()));
  }
}
