/**
 * Lesson 17's side note — what retries do to order. A producer sends `messageCount` records to the one-partition
 * topic `payments`, one record per request (`producerRatePerSec`), with up to `maxInFlight` requests in flight.
 * The network loses one attempt: the request carrying record `failedRecord` (1-based) on its first try, either
 * on the way to the broker (`lost-request`: not written) or on the way back (`lost-response`: written, but the
 * producer never hears it). After `requestTimeoutMs` the producer retries it (the Java producer's rules, see
 * `producer-driver.ts`):
 * - without idempotence, a lost request's retry lands after the records sent meanwhile — the log's order is no
 *   longer the send order — and a lost response's retry writes the record a second time (a duplicate);
 * - with `idempotent`, the broker refuses the later batches while a sequence number is missing
 *   (OUT_OF_ORDER_SEQUENCE_NUMBER; the producer retries them) and recognises the retried duplicate, so the log
 *   keeps the send order and every record once — with up to 5 requests in flight (KIP-98).
 * kafkajs's own idempotent producer keeps one request in flight per broker instead; this scenario shows the broker
 * rules that make 5 safe.
 */
import { msgAt } from '../model/msg-list.ts';
import { checkBoolean, checkEnum, checkKnobs, checkRunOptions, range, type KnobRange, type ScenarioRunOptions } from './knobs.ts';
import { produceAtRate, ProducerDriver } from './producer-driver.ts';
import { finishRun, scenarioCluster, type KafkaScenarioRun } from './run.ts';

/** The scenario's knobs (see the module doc and the ranges below for units). */
export interface ProducerRetriesKnobs {
  idempotent: boolean;
  maxInFlight: number;
  failure: 'none' | 'lost-request' | 'lost-response';
  failedRecord: number;
  messageCount: number;
  producerRatePerSec: number;
  requestTimeoutMs: number;
}

/** Knob values when the lesson loads. */
export const PRODUCER_RETRIES_DEFAULTS: Readonly<ProducerRetriesKnobs> = Object.freeze({
  idempotent: false, maxInFlight: 5, failure: 'lost-request', failedRecord: 2, messageCount: 8, producerRatePerSec: 20,
  requestTimeoutMs: 1_000,
});

/** Allowed ranges (validation and sliders), with units and labels. */
export const PRODUCER_RETRIES_KNOB_RANGES: Readonly<Partial<Record<keyof ProducerRetriesKnobs, KnobRange>>> = Object.freeze({
  maxInFlight: range(1, 5, true, 'requests', 'Max in flight', 'Requests the producer may have unanswered at once (max.in.flight.requests.per.connection).'),
  failedRecord: range(1, 1_000_000, true, 'record', 'Failed record', 'The record whose first send the network loses (1-based).', { min: 1, max: 20, step: 1 }),
  messageCount: range(1, 100_000, true, 'messages', 'Records', 'How many records the producer sends.', { min: 2, max: 30, step: 1 }),
  producerRatePerSec: range(0.1, 10_000, false, 'msg/s', 'Producer rate', 'Records sent per second.', { min: 1, max: 100, step: 1 }),
  requestTimeoutMs: range(10, 300_000, true, 'ms', 'Request timeout', 'How long the producer waits for an answer before retrying (request.timeout.ms).', { min: 100, max: 5_000, step: 100 }),
});

/** Checks the knobs (RangeError naming the knob and its range). */
export function validateProducerRetriesKnobs(knobs: Partial<ProducerRetriesKnobs>): ProducerRetriesKnobs {
  return checkKnobs<ProducerRetriesKnobs>('producer-retries', knobs, { ...PRODUCER_RETRIES_DEFAULTS }, PRODUCER_RETRIES_KNOB_RANGES, {
    idempotent: checkBoolean,
    failure: (n, v) => checkEnum(n, v, ['none', 'lost-request', 'lost-response'] as const),
  });
}

/** Runs the scenario (see the module doc). */
export function runProducerRetries(knobs: Partial<ProducerRetriesKnobs>, options: ScenarioRunOptions): KafkaScenarioRun {
  const k = validateProducerRetriesKnobs(knobs);
  checkRunOptions(options);
  const { engine, cluster } = scenarioCluster(options, k.messageCount, { brokerCount: 1 });
  cluster.createTopic({ topic: 'payments', numPartitions: 1 });
  const producer = new ProducerDriver(cluster, {
    topic: 'payments', label: k.idempotent ? 'idempotent producer' : 'producer', acks: -1, lingerMs: 0, batchMaxRecords: 1,
    maxInFlight: k.maxInFlight, idempotent: k.idempotent, retries: 2_147_483_647, retryBackoffMs: 100,
    requestTimeoutMs: k.requestTimeoutMs, key: () => null, valueStem: 'payment ',
  });
  // The producer's first record is message number 1 (it is the run's only producer).
  if (k.failure !== 'none') {
    cluster.produceFault = (_client, req) =>
      (req.attempt === 1 && req.batches.some((b) => msgAt(b.msgs, 0) === k.failedRecord) ? (k.failure === 'lost-request' ? 'drop-request' : 'drop-response') : undefined);
  }
  produceAtRate(cluster, producer, k.messageCount, k.producerRatePerSec, 0);
  return finishRun(engine, options.untilMs);
}
