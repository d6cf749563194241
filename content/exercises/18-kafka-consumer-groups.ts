/**
 * Exercise 18 (lesson `18-kafka-consumer-groups`): no photo left behind.
 *
 * Two processes share one simulated Kafka (`uploads.mjs thumbnails.mjs`): the photo site appends twelve photos to
 * the one-partition topic `photos`; the thumbnail worker, in the consumer group `thumbnails`, resizes each (600 ms).
 * The checked run kills the worker in the middle of a photo and starts it again; the new process joins the group
 * once the coordinator has removed the dead member (its session timed out) and resumes at the group's committed
 * offset. The starter commits each photo's offset before resizing it (at-most-once): the photo being resized when
 * the process died had been committed already, so nobody ever resizes it. The learner commits after the work
 * (at-least-once), by moving the `commitOffsets` call or by leaving the commits to kafkajs's auto-commit.
 *
 * The check judges the run, never the source (Kafka facts from `simulator/brokers/kafka/queries.ts`):
 * - the topic `photos` holds the twelve photos (offsets 0–11 of partition 0);
 * - the worker read them in the group `thumbnails` (a new group would start over instead of resuming);
 * - every offset 0–11 was handled at least once (a record handled twice is allowed: at-least-once);
 * - at the end the group's committed offset is 12, so a restart tomorrow resizes nothing again.
 * The same files run unchanged against a real Kafka with the real kafkajs (`KAFKA_BROKERS`, default localhost:9092).
 */
import uploadsCode from './18-kafka-consumer-groups/uploads.mjs?raw';
import starterCode from './18-kafka-consumer-groups/starter.mjs?raw';
import solutionCode from './18-kafka-consumer-groups/solution.mjs?raw';
import { KafkaIndex } from '../../simulator/brokers/kafka/fold.ts';
import { commits, processedBy, recordsPerPartition, type CommitRef, type Handled, type RecordRef } from '../../simulator/brokers/kafka/queries.ts';
import { kafkaTraceOfRun } from './kafka-kit.ts';
import { at, capitalize, fail, list, plural } from './words.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';

/** The topic of the uploads, its photos (offsets 0 … PHOTOS - 1 of partition 0) and the worker's group. */
export const TOPIC = 'photos';
export const PHOTOS = 12;
export const GROUP = 'thumbnails';
/** The worker's process name, and when the checked run kills it and starts it again (simulated ms). */
export const WORKER = 'thumbnails.mjs';
export const KILL_AT_MS = 6_000;
export const RESTART_AT_MS = 8_000;

export const kafkaConsumerGroupsExercise: ExerciseDefinition = {
  id: '18-kafka-consumer-groups',
  lessonSlug: '18-kafka-consumer-groups',
  title: 'Exercise: no photo left behind',
  instructions: [
    'The photo site appends every uploaded photo to the topic `photos`. The thumbnail worker (`thumbnails.mjs`) '
      + 'reads them in the consumer group `thumbnails` and resizes each one, which takes 600 ms.',
    `Run and Check both run it the hard way: the worker is killed at ${KILL_AT_MS / 1000} s, in the middle of a `
      + `photo, and started again at ${RESTART_AT_MS / 1000} s. The new process joins the group once the `
      + 'coordinator has given up on the dead one (kafkajs\'s default session timeout is 30 s) and goes on from '
      + 'the group\'s committed offset. Press **Run** and count the thumbnails: one photo never gets one.',
    'Change `thumbnails.mjs` so that every photo gets a thumbnail, crash or not. Check judges which offsets the '
      + 'group handled and what it had committed at the end. Keep `uploads.mjs` as it is and keep the group '
      + '`thumbnails`.',
  ],
  language: 'js',
  starterCode,
  solutionCode,
  fileName: WORKER,
  files: [
    { name: WORKER, starter: starterCode, solution: solutionCode },
    { name: 'uploads.mjs', starter: uploadsCode, solution: uploadsCode },
  ],
  runLine: `uploads.mjs ${WORKER}`,
  hints: [
    'After the restart the worker asks the group where to go on: at its committed offset. What had the group '
      + 'committed when the process died, and which photo was it resizing then?',
    'A committed offset says "everything before this is done". The worker says so before the work is done: if it '
      + 'dies in between, the photo counts as done without a thumbnail. That is at-most-once.',
    'Commit after `resize(photo)` has finished (move the `commitOffsets` call below it), or drop `autoCommit: '
      + 'false` and the call and let kafkajs commit after each batch. Either way a crash means a photo is resized '
      + 'again, never skipped: at-least-once.',
  ],
  run: {
    seed: 1,
    untilMs: 60_000,
    faults: [
      { id: 'kill-process', target: WORKER, atMs: KILL_AT_MS },
      { id: 'restart-process', target: WORKER, atMs: RESTART_AT_MS },
    ],
  },
  check: checkKafkaConsumerGroupsRun,
};

/** `offset 3`, `offsets 0, 1 and 2`. */
const offsetWords = (offsets: readonly number[]) => (offsets.length === 1 ? `offset ${offsets[0]}` : `offsets ${list(offsets.map(String), 8)}`);

/**
 * Judges a run of `uploads.mjs thumbnails.mjs` with the worker killed and restarted: passes when the worker's group
 * `thumbnails` handled every photo (offsets 0–11 of `photos` p0) at least once and committed offset 12 by the end.
 * Never throws.
 */
export function checkKafkaConsumerGroupsRun(run: unknown): CheckResult {
  const trace = kafkaTraceOfRun(run, 'the photos');
  if (!Array.isArray(trace)) return trace;
  let index: KafkaIndex;
  let handled: Handled[];
  let inLog: RecordRef[];
  let committed: CommitRef[];
  try {
    index = new KafkaIndex(trace);
    handled = [...processedBy(trace)].filter(([label]) => label.startsWith(WORKER)).flatMap(([, l]) => l)
      .filter((h) => h.topic === TOPIC && h.error === null);
    inLog = recordsPerPartition(trace).get(`${TOPIC}/0`) ?? [];
    committed = commits(trace).filter((c) => c.client.startsWith(WORKER));
  } catch {
    return fail('The run\'s trace could not be read. Run the programs again, then check.');
  }

  const partitions = index.topics.get(TOPIC)?.partitions ?? 0;
  if (inLog.length !== PHOTOS || partitions !== 1) {
    return fail(`The topic \`${TOPIC}\` holds ${plural(inLog.length, 'record')} in ${plural(partitions, 'partition')}; `
      + `the exercise's photo site appends ${PHOTOS} photos to its one partition.`,
    'Keep `uploads.mjs` as it is (Reset restores it) and let it run first, as the run line does.');
  }
  const workers = [...index.clients.values()].filter((c) => c.role === 'consumer' && c.label.startsWith(WORKER));
  if (workers.length === 0) {
    return fail(`${WORKER} created no consumer, so no photo was read.`,
      `It needs a consumer in the group \`${GROUP}\` that subscribes to \`${TOPIC}\` and runs.`);
  }
  const otherGroups = [...new Set(workers.map((c) => c.groupId ?? '(none)'))].filter((g) => g !== GROUP);
  if (otherGroups.length > 0) {
    return fail(`The worker read the photos in the group \`${otherGroups[0]}\`, not \`${GROUP}\`.`,
      `Keep the group \`${GROUP}\`: after a crash, the restarted worker must go on where its group left off.`);
  }

  const photoOf = (offset: number) => {
    const msg = Number(inLog.find((r) => r.offset === offset)?.msgId.slice(1));
    return index.messages.get(msg)?.preview ?? `the photo at offset ${offset}`;
  };
  const done = new Set(handled.map((h) => h.offset));
  const missed = inLog.map((r) => r.offset).filter((o) => !done.has(o));
  if (missed.length > 0) {
    const m = missed[0];
    const ok = committed.filter((c) => c.error === null);
    const early = ok.find((c) => c.offsets.some((o) => o.topic === TOPIC && o.partition === 0 && o.offset > m));
    const afterRestart = handled.filter((h) => h.atMs >= RESTART_AT_MS);
    const first = afterRestart.length === 0 ? undefined : Math.min(...afterRestart.map((h) => h.offset));
    if (early !== undefined && early.atMs < KILL_AT_MS) {
      const offset = early.offsets.find((o) => o.topic === TOPIC && o.partition === 0)!.offset;
      return fail(`${photoOf(m)} (${TOPIC} p0, offset ${m}) never got a thumbnail. The group had committed offset `
        + `${offset} at ${at(early.atMs)}, before the worker finished that photo; the worker was killed at `
        + `${at(KILL_AT_MS)}, and the restarted worker went on from the committed offset`
        + (first === undefined ? '.' : `, starting at offset ${first}.`),
      missed.length > 1 ? `${plural(missed.length, 'photo')} had no thumbnail in all: ${offsetWords(missed)}.`
        : 'A committed offset tells the group that everything before it is done.');
    }
    return fail(`${plural(missed.length, 'photo')} never got a thumbnail: ${offsetWords(missed)} of \`${TOPIC}\`.`,
      afterRestart.length === 0
        ? `The worker restarted at ${at(RESTART_AT_MS)} resized nothing before the run ended.`
        : 'Every photo in the log must be resized at least once.');
  }

  // Everything handled; the group's committed offset must say so, or a restart would do the work again.
  const lastOk = [...committed].reverse().find((c) => c.error === null
    && c.offsets.some((o) => o.topic === TOPIC && o.partition === 0));
  const finalOffset = lastOk?.offsets.find((o) => o.topic === TOPIC && o.partition === 0)?.offset;
  if (finalOffset !== PHOTOS) {
    return fail(`Every photo got a thumbnail, but at the end of the run the group \`${GROUP}\`'s committed offset on `
      + `${TOPIC} p0 is ${finalOffset === undefined ? 'missing: it never committed' : finalOffset}, not ${PHOTOS}.`,
    'Started again tomorrow, the worker would resize those photos once more: the group must record what is done.');
  }
  const counts = new Map<number, number>();
  for (const h of handled) counts.set(h.offset, (counts.get(h.offset) ?? 0) + 1);
  const twice = [...counts].filter(([, n]) => n > 1).map(([o]) => o).sort((a, b) => a - b);
  return {
    passed: true,
    messages: [
      `All ${PHOTOS} photos got a thumbnail although the worker was killed at ${at(KILL_AT_MS)}, and the group `
        + `\`${GROUP}\` ended with committed offset ${PHOTOS}.`,
      twice.length > 0
        ? `${capitalize(offsetWords(twice))} ${twice.length === 1 ? 'was' : 'were'} resized twice: done before `
          + 'the crash but not yet committed. That is at-least-once delivery; making a thumbnail twice does no harm.'
        : 'No photo was resized twice in this run, but one could be: a crash between the resize and the commit '
          + 'means doing it again. That is at-least-once delivery.',
    ],
  };
}
