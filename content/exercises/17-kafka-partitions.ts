/**
 * Exercise 17 (lesson `17-kafka-partitions`): keep each customer's events in order.
 *
 * Four processes share one simulated Kafka (`shipping.mjs shipping.mjs shipping.mjs shop.mjs`): three shipping
 * workers in the consumer group `shipping` (one per partition of `order-events`), then the shop, which sends each
 * of four customers' events placed, paid, shipped. The starter sends them without a key, so the partitioner spreads
 * every customer's events over the three partitions, three workers handle them at the same time, and the slow
 * "placed" is finished after the quick "paid". The learner sends each event with the customer as its key.
 *
 * The check judges the run, never the source (Kafka facts from `simulator/brokers/kafka/queries.ts`; the customer
 * of a record is read from its value, `{"customer":…}`):
 * - `order-events` has 3 partitions and holds 3 events of each of the 4 customers;
 * - every event was handled, and each customer's events were handled in the order the shop sent them;
 * - each customer's events sit in one partition (in order by design, not by luck), and more than one partition
 *   was used (the three workers still share the load).
 * The same files run unchanged against a real Kafka with the real kafkajs (`KAFKA_BROKERS`, default localhost:9092).
 */
import shippingCode from './17-kafka-partitions/shipping.mjs?raw';
import starterCode from './17-kafka-partitions/shop-starter.mjs?raw';
import solutionCode from './17-kafka-partitions/shop-solution.mjs?raw';
import { KafkaIndex } from '../../simulator/brokers/kafka/fold.ts';
import { processedBy, type Handled } from '../../simulator/brokers/kafka/queries.ts';
import { kafkaTraceOfRun } from './kafka-kit.ts';
import { at, capitalize, fail, list } from './words.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';

/** The topic of the order events, and its partition count. */
export const TOPIC = 'order-events';
export const PARTITIONS = 3;
/** The shop's customers and each one's events, in the order it sends them. */
export const CUSTOMERS = ['ana', 'ben', 'chen', 'dara'] as const;
export const EVENTS = ['placed', 'paid', 'shipped'] as const;

const CUSTOMER = /"customer":"([^"]+)"/;
const EVENT = /"event":"([a-z]+)"/;

export const kafkaPartitionsExercise: ExerciseDefinition = {
  id: '17-kafka-partitions',
  lessonSlug: '17-kafka-partitions',
  title: 'Exercise: keep each customer\'s events in order',
  instructions: [
    'The shop sends three events for each customer\'s order, always in this order: `placed`, `paid`, `shipped`. '
      + 'Three shipping workers share the topic `order-events` (three partitions) in the consumer group `shipping`; '
      + 'a `placed` event takes a worker longest to handle.',
    'Press **Run** and read the console: some customers\' orders are paid before they are placed. Change '
      + '`shop.mjs` so that every customer\'s events are handled in the order the shop sent them, while the three '
      + 'workers still share the work.',
    'Check runs `shipping.mjs shipping.mjs shipping.mjs shop.mjs` as the run line shows and judges, for each '
      + 'customer, the order in which the workers finished its events. Keep `shipping.mjs` as it is, and keep the '
      + 'topic\'s three partitions.',
  ],
  language: 'js',
  starterCode,
  solutionCode,
  fileName: 'shop.mjs',
  files: [
    { name: 'shop.mjs', starter: starterCode, solution: solutionCode },
    { name: 'shipping.mjs', starter: shippingCode, solution: shippingCode },
  ],
  runLine: 'shipping.mjs shipping.mjs shipping.mjs shop.mjs',
  hints: [
    'Look at the partition each event was read from (the `p0`, `p1`, `p2` in the console). Where did one customer\'s '
      + 'three events end up?',
    'Kafka keeps order within one partition only. Events in different partitions are read by different workers at '
      + 'the same time, and the quicker one finishes first.',
    'Give each event a key: `messages: [{ key: customer, value: … }]`. The default partitioner sends every record '
      + 'with the same key to the same partition.',
  ],
  run: { seed: 1, untilMs: 60_000 },
  check: checkKafkaPartitionsRun,
};

/** One of the shop's events in the log. */
interface EventRecord {
  msg: number;
  customer: string;
  event: string;
  partition: number;
  offset: number;
  handled?: Handled;
}

/** `p0`, `p0 and p2`. */
const partitionWords = (ps: readonly number[]) => list([...new Set(ps)].sort((a, b) => a - b).map((p) => `p${p}`));

/**
 * Judges a run of `shipping.mjs shipping.mjs shipping.mjs shop.mjs`: passes when every customer's three events were
 * handled in the order the shop sent them, each customer's events in one partition, more than one partition used.
 * Never throws.
 */
export function checkKafkaPartitionsRun(run: unknown): CheckResult {
  const trace = kafkaTraceOfRun(run, 'the order events');
  if (!Array.isArray(trace)) return trace;
  let index: KafkaIndex;
  let handled: Handled[];
  try {
    index = new KafkaIndex(trace);
    handled = [...processedBy(trace).values()].flat().filter((h) => h.topic === TOPIC && h.error === null);
  } catch {
    return fail('The run\'s trace could not be read. Run the programs again, then check.');
  }

  const topic = index.topics.get(TOPIC);
  if (topic === undefined) {
    return fail(`No topic \`${TOPIC}\` was created in this run, so no event reached the shipping workers.`,
      'Keep the topic name as it is in both programs (Reset restores them).');
  }
  if (topic.partitions !== PARTITIONS) {
    return fail(`The topic \`${TOPIC}\` has ${topic.partitions} partition${topic.partitions === 1 ? '' : 's'}; the `
      + `exercise's topic has ${PARTITIONS}, one for each shipping worker.`,
    'Keep the topic\'s three partitions: fewer partitions keep order by leaving workers without work.');
  }

  // The shop's events, in the order it sent them (message numbers grow with each send).
  const events: EventRecord[] = [];
  for (const [msg, info] of [...index.messages].sort((a, b) => a[0] - b[0])) {
    if (info.topic !== TOPIC) continue;
    const customer = CUSTOMER.exec(info.preview ?? '')?.[1];
    if (customer === undefined) continue;
    const offset = [...(index.records.get(`${TOPIC}/${info.partition}`) ?? [])].find((r) => r.msg === msg)?.offset;
    if (offset === undefined) continue;
    events.push({ msg, customer, event: EVENT.exec(info.preview ?? '')?.[1] ?? 'an event', partition: info.partition, offset });
  }
  const ofCustomer = (c: string) => events.filter((e) => e.customer === c);
  const short = CUSTOMERS.filter((c) => ofCustomer(c).length !== EVENTS.length);
  if (short.length > 0 || events.length !== CUSTOMERS.length * EVENTS.length) {
    const c = short[0] ?? CUSTOMERS[0];
    return fail(`The log holds ${events.length} order events; the exercise's shop sends ${EVENTS.length} for each of `
      + `${CUSTOMERS.length} customers (${c} has ${ofCustomer(c).length}).`,
    'Change how the events are sent, not which ones: each customer\'s placed, paid and shipped, in that order.');
  }

  // Every event handled (its first handling: a rebalance can hand a record to a worker twice).
  for (const h of [...handled].sort((a, b) => a.atMs - b.atMs)) {
    const e = events.find((x) => x.partition === h.partition && x.offset === h.offset);
    if (e !== undefined && e.handled === undefined) e.handled = h;
  }
  const unhandled = events.filter((e) => e.handled === undefined);
  if (unhandled.length > 0) {
    const e = unhandled[0];
    return fail(`${unhandled.length} of the ${events.length} events were never handled, ${e.customer}'s ${e.event} `
      + `among them (${TOPIC} p${e.partition}, offset ${e.offset}).`,
    'Keep `shipping.mjs` as it is (Reset restores it), and let the run line start the three workers before the shop.');
  }

  // Each customer's events finished in the order they were sent.
  const finishOrder = (list: EventRecord[]) => [...list].sort((a, b) => a.handled!.atMs - b.handled!.atMs || a.msg - b.msg);
  for (const customer of CUSTOMERS) {
    const sent = ofCustomer(customer);
    const done = finishOrder(sent);
    const wrong = done.findIndex((e, i) => e !== sent[i]);
    if (wrong >= 0) {
      const early = done[wrong];
      const late = sent[wrong];
      const where = (e: EventRecord) => `${at(e.handled!.atMs)} by ${e.handled!.client.replace(/ consumer$/, '')}, ${TOPIC} p${e.partition}`;
      return fail(`${capitalize(customer)}'s events were handled out of order: ${early.event} was finished `
        + `(${where(early)}) before ${late.event} (${where(late)}), which the shop had sent first.`,
      `${capitalize(customer)}'s three events were in partitions ${partitionWords(sent.map((e) => e.partition))}.`);
    }
  }

  // In order by design: one partition per customer.
  const spread = CUSTOMERS.find((c) => new Set(ofCustomer(c).map((e) => e.partition)).size > 1);
  if (spread !== undefined) {
    return fail(`Every customer's events were finished in order in this run, but ${spread}'s sit in partitions `
      + `${partitionWords(ofCustomer(spread).map((e) => e.partition))}: different workers handled them at the same `
      + 'time, and the order held only because the quicker event happened to come later.',
    'Kafka keeps the order of records within one partition only.');
  }
  const used = [...new Set(events.map((e) => e.partition))].sort((a, b) => a - b);
  if (used.length < 2) {
    return fail(`All ${events.length} events went to partition p${used[0]}, so one shipping worker did all the work `
      + 'while the other two had nothing to read.',
    'The order only has to hold per customer: different customers may go to different partitions.');
  }
  const byPartition = used.map((p) => `${list(CUSTOMERS.filter((c) => ofCustomer(c)[0].partition === p))} in p${p}`);
  return {
    passed: true,
    messages: [
      'Every customer\'s events were handled in the order the shop sent them: placed, paid, shipped. Each '
        + `customer's events sat in one partition (${list(byPartition)}), read by one worker in offset order.`,
      'Order holds per key, not across the topic: different customers\' events were still handled side by side.',
    ],
  };
}
