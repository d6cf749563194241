/**
 * Exercise 16 (lesson `16-kafka-log`): a new service reads the whole history.
 *
 * Three processes share one simulated Kafka (`shop.mjs billing.mjs fraud-check.mjs`): the shop appends eight orders
 * to the one-partition topic `orders`; billing, in its consumer group `billing`, invoices them and keeps running;
 * then the new fraud check starts. The starter's fraud check was copied from billing: it joins group `billing`
 * (whose committed offset is already at the log end) and subscribes without `fromBeginning`, so it reads nothing.
 * The learner gives it a group of its own and makes that group start at the oldest record.
 *
 * The check judges the run, never the source (Kafka facts from `simulator/brokers/kafka/queries.ts`):
 * - the topic `orders` holds the shop's eight records (offsets 0–7), and billing's group read every one of them;
 * - the fraud check's consumer read every offset 0–7;
 * - in a consumer group of its own, not billing's (members of one group share its partitions and its committed
 *   offsets, so reading there would move billing's position).
 * The same files run unchanged against a real Kafka with the real kafkajs (`KAFKA_BROKERS`, default localhost:9092).
 */
import shopCode from './16-kafka-log/shop.mjs?raw';
import billingCode from './16-kafka-log/billing.mjs?raw';
import starterCode from './16-kafka-log/starter.mjs?raw';
import solutionCode from './16-kafka-log/solution.mjs?raw';
import { KafkaIndex } from '../../simulator/brokers/kafka/fold.ts';
import { commits, processedBy, recordsPerPartition, type Handled } from '../../simulator/brokers/kafka/queries.ts';
import type { TraceEvent } from '../../simulator/trace.ts';
import { kafkaTraceOfRun } from './kafka-kit.ts';
import { fail, list, plural } from './words.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';

/** The topic the shop appends to. */
export const TOPIC = 'orders';
/** Orders the shop appends (offsets 0 … ORDERS - 1 of partition 0). */
export const ORDERS = 8;
/** The billing service's consumer group. */
export const BILLING_GROUP = 'billing';
/** Process names as the run line starts them (client labels start with them). */
const FRAUD_PROCESS = 'fraud-check.mjs';
const BILLING_PROCESS = 'billing.mjs';

export const kafkaLogExercise: ExerciseDefinition = {
  id: '16-kafka-log',
  lessonSlug: '16-kafka-log',
  title: 'Exercise: a new service reads the whole history',
  instructions: [
    'The shop has appended eight orders to the topic `orders`, and the billing service has invoiced them all in '
      + 'its consumer group `billing`. Today a fraud check starts: it must look at every order the shop ever took, '
      + 'the eight old ones included, and flag the large ones.',
    'Its first version (`fraud-check.mjs`) was set up by copying `billing.mjs`, and it reads nothing. Press **Run** '
      + 'and see. Change `fraud-check.mjs` so that it reads all eight orders, offsets 0 to 7, without taking '
      + 'anything away from billing.',
    'Check runs `shop.mjs billing.mjs fraud-check.mjs` as the run line shows and judges which offsets each consumer '
      + 'group read. Keep `shop.mjs` and `billing.mjs` as they are.',
  ],
  language: 'js',
  starterCode,
  solutionCode,
  fileName: 'fraud-check.mjs',
  files: [
    { name: 'fraud-check.mjs', starter: starterCode, solution: solutionCode },
    { name: 'shop.mjs', starter: shopCode, solution: shopCode },
    { name: 'billing.mjs', starter: billingCode, solution: billingCode },
  ],
  runLine: 'shop.mjs billing.mjs fraud-check.mjs',
  hints: [
    'Reading a record does not remove it: all eight orders are still in the log. So the question is where the '
      + 'fraud check starts reading. Who decides that?',
    'A consumer starts where its group left off: at the group\'s committed offset. Which group is the fraud check '
      + 'in, and where had that group got to?',
    'Give the fraud check a group of its own (`groupId: \'fraud-check\'`). A group that has never committed starts '
      + 'at the end of the log, unless it subscribes with `fromBeginning: true`.',
  ],
  run: { seed: 1, untilMs: 60_000 },
  check: checkKafkaLogRun,
};

/** `offset 3`, `offsets 0, 1 and 2`. */
const offsetWords = (offsets: readonly number[]) => (offsets.length === 1 ? `offset ${offsets[0]}` : `offsets ${list(offsets.map(String), 8)}`);

/**
 * Judges a run of `shop.mjs billing.mjs fraud-check.mjs`: passes when the fraud check's consumer read every one of
 * the shop's eight orders (offsets 0–7 of `orders` p0) in a consumer group other than billing's, and billing's group
 * read all eight too. Never throws.
 */
export function checkKafkaLogRun(run: unknown): CheckResult {
  const trace = kafkaTraceOfRun(run, 'the orders');
  if (!Array.isArray(trace)) return trace;
  let index: KafkaIndex;
  let handled: Map<string, Handled[]>;
  let inLog: number[];
  try {
    index = new KafkaIndex(trace);
    handled = processedBy(trace);
    inLog = (recordsPerPartition(trace).get(`${TOPIC}/0`) ?? []).map((r) => r.offset);
  } catch {
    return fail('The run\'s trace could not be read. Run the programs again, then check.');
  }
  const all = Array.from({ length: ORDERS }, (_, i) => i);

  // The shop's eight orders must be there, in one partition.
  const partitions = [...recordsPerPartition(trace).keys()].filter((k) => k.startsWith(`${TOPIC}/`));
  if (inLog.length !== ORDERS || partitions.length !== 1) {
    return fail(`The topic \`${TOPIC}\` holds ${plural(inLog.length, 'record')} in ${plural(partitions.length, 'partition')}; `
      + `the exercise's shop appends ${ORDERS} orders to its one partition.`,
    'Keep `shop.mjs` as it is (Reset restores it) and run it first, as the run line does.');
  }

  const readBy = (prefix: string) => [...handled].filter(([label]) => label.startsWith(prefix)).flatMap(([, l]) => l)
    .filter((h) => h.topic === TOPIC && h.error === null);
  const billingRead = new Set(readBy(BILLING_PROCESS).filter((h) => h.group === BILLING_GROUP).map((h) => h.offset));
  const billingMissed = all.filter((o) => !billingRead.has(o));
  if (billingMissed.length > 0) {
    return fail(`Billing did not invoice ${offsetWords(billingMissed)} of \`${TOPIC}\`.`,
      'Keep `billing.mjs` as it is (Reset restores it): it must read every order in its group `billing`.');
  }

  // The fraud check's consumer(s): its group and what it read.
  const fraudClients = [...index.clients.values()].filter((c) => c.role === 'consumer' && c.label.startsWith(FRAUD_PROCESS));
  if (fraudClients.length === 0) {
    return fail(`${FRAUD_PROCESS} created no consumer, so nothing read the orders for the fraud check.`,
      'It needs a consumer (`kafka.consumer({ groupId })`) that subscribes to `orders` and runs.');
  }
  const groups = [...new Set(fraudClients.map((c) => c.groupId).filter((g): g is string => g !== undefined))];
  const joined = trace.filter((e): e is Extract<TraceEvent, { kind: 'kafka-member-joined' }> => e.kind === 'kafka-member-joined'
    && fraudClients.some((c) => c.id === e.client));
  if (joined.length === 0) {
    return fail(`The fraud check's consumer never joined its group${groups.length > 0 ? ` (\`${groups[0]}\`)` : ''}, so it `
      + 'was never given a partition to read.',
    'A consumer joins its group and starts reading when the program calls `subscribe` and then `run`.');
  }
  const fraudRead = readBy(FRAUD_PROCESS);
  const readOffsets = [...new Set(fraudRead.map((h) => h.offset))].sort((a, b) => a - b);
  const missed = all.filter((o) => !readOffsets.includes(o));
  const inBilling = groups.includes(BILLING_GROUP);
  const joinedAtMs = joined[0].t;

  if (missed.length === ORDERS) {
    if (inBilling) {
      const before = commits(trace, BILLING_GROUP).filter((c) => c.atMs <= joinedAtMs && c.error === null)
        .flatMap((c) => c.offsets).filter((o) => o.topic === TOPIC && o.partition === 0);
      const committed = before.length > 0 ? before[before.length - 1].offset : undefined;
      return fail(`The fraud check read none of the ${ORDERS} orders. Its consumer joined group \`${BILLING_GROUP}\`, `
        + 'the billing service\'s own group'
        + (committed === undefined ? '.' : `, whose committed offset on ${TOPIC} p0 was already ${committed}: the `
          + 'log-end offset, past every order in the log.'),
      'A member of a group reads from where its group left off, and the members of one group share its partitions: '
        + 'the fraud check can only take over billing\'s work there, never see the orders billing has done.');
    }
    return fail(`The fraud check read none of the ${ORDERS} orders. Its group, \`${groups[0] ?? '?'}\`, had never `
      + `committed an offset, so its consumer started at the log-end offset, ${ORDERS}: after every order already `
      + 'in the log.',
    'The orders are all still there (reading removes nothing). A new group starts at the end of the log unless '
      + 'it asks for the oldest record instead.');
  }
  if (missed.length > 0) {
    return fail(`The fraud check read ${offsetWords(readOffsets)} of \`${TOPIC}\`, but not ${offsetWords(missed)}.`,
      'Every order must be checked, from the oldest (offset 0) to the newest (offset 7).');
  }
  if (inBilling) {
    return fail(`The fraud check read all ${ORDERS} orders, but as a member of group \`${BILLING_GROUP}\`, the billing `
      + 'service\'s group: members of one group share its partitions and its committed offsets, so the fraud check '
      + 'moved billing\'s position and takes orders away from billing.',
    'Give the fraud check a consumer group of its own.');
  }
  const group = fraudRead[0].group ?? groups[0];
  return {
    passed: true,
    messages: [
      `Group \`${group}\` read all ${ORDERS} orders, offsets 0 to 7, and group \`${BILLING_GROUP}\` had read the same `
        + `${ORDERS}: each group has its own committed offset, and reading took nothing out of the log.`,
      `A new order would now reach both services: each group reads it once, from its own position.`,
    ],
  };
}
