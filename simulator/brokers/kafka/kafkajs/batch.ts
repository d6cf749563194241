/**
 * kafkajs's `Batch` (node_modules/kafkajs/src/consumer/batch.js): the records one fetch returned for one
 * partition, as `eachBatch` gets it. Offsets and the high watermark are strings; `offsetLag()` = high watermark − 1
 * − last offset, `offsetLagLow()` = high watermark − 1 − first offset. (No transactions or compaction are
 * simulated, so no record is ever filtered out of a batch.)
 */
import type { KafkaMessage } from './messages.ts';

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

  isEmpty(): boolean {
    return this.messages.length === 0;
  }

  isEmptyIncludingFiltered(): boolean {
    return this.messages.length === 0;
  }

  isEmptyDueToFiltering(): boolean {
    return false;
  }

  isEmptyControlRecord(): boolean {
    return false;
  }

  isEmptyDueToLogCompactedMessages(): boolean {
    return false;
  }

  firstOffset(): string | null {
    return this.isEmptyIncludingFiltered() ? null : this.messages[0].offset;
  }

  lastOffset(): string {
    if (this.isEmptyIncludingFiltered()) return String(Number(this.highWatermark) - 1);
    return this.messages[this.messages.length - 1].offset;
  }

  offsetLag(): string {
    return String(Number(this.highWatermark) - 1 - Number(this.lastOffset()));
  }

  offsetLagLow(): string {
    if (this.isEmptyIncludingFiltered()) return '0';
    return String(Number(this.highWatermark) - 1 - Number(this.firstOffset()));
  }
}
