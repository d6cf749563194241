/**
 * Exercise 19 (lesson `19-kafka-lag`): catch up with the clicks.
 *
 * Three processes share one simulated Kafka (`clicks.mjs --at 1s counter.mjs --at 1s counter.mjs`): the click
 * tracker creates the topic `clicks` and sends 300 clicks, 20 a second, for 15 s; two counters in the consumer group
 * `analytics` record them, 100 ms a click (10 a second each). The starter's topic has one partition, so one counter
 * owns it and the other owns nothing: the group handles 10 clicks a second against 20 arriving, and its lag grows
 * until the clicks stop. The learner gives the topic as many partitions as there are counters, so both work.
 *
 * The check judges the run, never the source (Kafka facts from `simulator/brokers/kafka/queries.ts`):
 * - the topic `clicks` holds the 300 clicks, and every click was recorded;
 * - each click still took a counter at least 100 ms (the work is not cut short);
 * - the group's lag (log-end offset minus committed offset, summed over the partitions) is 0 at `DEADLINE_MS`.
 * The same files run unchanged against a real Kafka with the real kafkajs (`KAFKA_BROKERS`, default localhost:9092).
 */
import starterCode from './19-kafka-lag/clicks-starter.mjs?raw';
import solutionCode from './19-kafka-lag/clicks-solution.mjs?raw';
import counterCode from './19-kafka-lag/counter.mjs?raw';
import { KafkaIndex } from '../../simulator/brokers/kafka/fold.ts';
import { assignmentOf, lagAt, processedBy, recordsPerPartition, type Handled } from '../../simulator/brokers/kafka/queries.ts';
import type { TraceEvent } from '../../simulator/trace.ts';
import { kafkaTraceOfRun } from './kafka-kit.ts';
import { at, fail, list, plural } from './words.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';

export const TOPIC = 'clicks';
export const CLICKS = 300;
export const GROUP = 'analytics';
/** Simulated ms by which the group must have caught up (lag 0). */
export const DEADLINE_MS = 25_000;
/** The least time a click takes a counter (simulated ms). */
const WORK_MS = 100;

export const kafkaLagExercise: ExerciseDefinition = {
  id: '19-kafka-lag',
  lessonSlug: '19-kafka-lag',
  title: 'Exercise: catch up with the clicks',
  instructions: [
    'The click tracker (`clicks.mjs`) sends 300 clicks to the topic `clicks`, 20 a second for 15 s. Two counters '
      + '(`counter.mjs`) record them in the consumer group `analytics`; recording a click takes 100 ms, so each '
      + 'counter manages 10 a second.',
    `Press **Run**: the group falls behind and is still catching up long after the clicks stopped. Change the `
      + `programs so that the group's lag is back to 0 by ${DEADLINE_MS / 1000} s, with each click still taking 100 ms.`,
    'Check runs `clicks.mjs --at 1s counter.mjs --at 1s counter.mjs` as the run line shows and judges the group\'s '
      + `lag at ${DEADLINE_MS / 1000} s. Keep the two counters and their 100 ms a click.`,
  ],
  language: 'js',
  starterCode,
  solutionCode,
  fileName: 'clicks.mjs',
  files: [
    { name: 'clicks.mjs', starter: starterCode, solution: solutionCode },
    { name: 'counter.mjs', starter: counterCode, solution: counterCode },
  ],
  runLine: 'clicks.mjs --at 1s counter.mjs --at 1s counter.mjs',
  hints: [
    'Each counter prints the partitions it owns when the group is formed. Do both counters have work?',
    'In a consumer group each partition has one owner. With one partition, one counter does everything at 10 '
      + 'clicks a second while 20 arrive, and the other waits.',
    'Create the topic with as many partitions as there are counters: `PARTITIONS = 2` in `clicks.mjs`. The clicks '
      + 'have no key, so they are spread over the partitions in turn.',
  ],
  run: { seed: 1, untilMs: 90_000 },
  check: checkKafkaLagRun,
};

/**
 * Judges a run of `clicks.mjs --at 1s counter.mjs --at 1s counter.mjs`: passes when all 300 clicks were recorded,
 * each taking at least 100 ms, and the group `analytics` had a lag of 0 at 25 s. Never throws.
 */
export function checkKafkaLagRun(run: unknown): CheckResult {
  const trace = kafkaTraceOfRun(run, 'the clicks');
  if (!Array.isArray(trace)) return trace;
  let index: KafkaIndex;
  let handled: Handled[];
  let inLog: number;
  let lag: ReturnType<typeof lagAt>;
  let owners: Map<string, string[]>;
  try {
    index = new KafkaIndex(trace);
    handled = [...processedBy(trace).values()].flat().filter((h) => h.topic === TOPIC && h.group === GROUP && h.error === null);
    inLog = [...recordsPerPartition(trace)].filter(([k]) => k.startsWith(`${TOPIC}/`)).reduce((n, [, l]) => n + l.length, 0);
    lag = lagAt(trace, GROUP, DEADLINE_MS);
    owners = assignmentOf(trace, GROUP);
  } catch {
    return fail('The run\'s trace could not be read. Run the programs again, then check.');
  }
  if (index.topics.get(TOPIC) === undefined || inLog !== CLICKS) {
    return fail(`The topic \`${TOPIC}\` holds ${plural(inLog, 'click')}; the exercise's tracker sends ${CLICKS}.`,
      'Change how the topic is set up, not what is sent: keep the 300 clicks, 20 a second.');
  }
  const counters = [...index.clients.values()].filter((c) => c.role === 'consumer' && c.label.startsWith('counter.mjs'));
  if (counters.length !== 2 || counters.some((c) => c.groupId !== GROUP)) {
    return fail(`The run had ${plural(counters.length, 'counter')} in the group \`${GROUP}\`; the exercise has two.`,
      `Keep \`counter.mjs\` as it is (Reset restores it) and start it twice, as the run line does.`);
  }
  // Each click must still take the counter its 100 ms.
  const consumed = trace.filter((e): e is Extract<TraceEvent, { kind: 'kafka-consumed' }> => e.kind === 'kafka-consumed'
    && e.topic === TOPIC && counters.some((c) => c.id === e.client));
  const quick = consumed.filter((e) => e.t - e.startedAtMs < WORK_MS * e.count);
  if (quick.length > 0) {
    return fail(`${plural(quick.length, 'click')} took a counter less than ${WORK_MS} ms to record.`,
      'Recording a click takes 100 ms: keep `counter.mjs` as it is and make room for both counters instead.');
  }
  const done = new Set(handled.map((h) => `${h.partition}/${h.offset}`));
  if (done.size < CLICKS) {
    return fail(`Only ${done.size} of the ${CLICKS} clicks were recorded by the end of the run.`,
      'Every click must be recorded by the group.');
  }
  if (lag.total > 0) {
    const idle = [...owners].filter(([, parts]) => parts.length === 0).map(([who]) => who);
    const behind = lag.partitions.filter((p) => p.lag > 0).map((p) => `${p.topic} p${p.partition}: ${p.lag}`);
    const last = Math.max(...handled.map((h) => h.atMs));
    return fail(`At ${at(DEADLINE_MS)} the group \`${GROUP}\` was still ${plural(lag.total, 'click')} behind `
      + `(lag on ${list(behind)}); it caught up only at ${at(last)}.`,
    idle.length > 0
      ? `${list(idle)} owned no partition and recorded nothing, while the clicks arrived twice as fast as one counter can record them.`
      : 'The group records fewer clicks a second than arrive.');
  }
  const perCounter = counters.map((c) => `${c.label.replace(/ consumer$/, '')} ${handled.filter((h) => h.client === c.label).length}`);
  return {
    passed: true,
    messages: [
      `At ${at(DEADLINE_MS)} the group \`${GROUP}\` had recorded all ${CLICKS} clicks and its lag was 0. Both counters `
        + `worked (${list(perCounter)} clicks), 20 a second together: as fast as the clicks arrived.`,
      'A group can only use as many members as the topic has partitions: more partitions than counters would leave '
        + 'room to add a third counter later.',
    ],
  };
}
