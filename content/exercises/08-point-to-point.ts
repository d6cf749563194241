/**
 * Exercise 8 (lesson `08-point-to-point`): a fast worker and a slow one, and a fair share of the work.
 *
 * Twenty thumbnail jobs go to one queue that a fast worker (100 ms a job) and a slow one (600 ms a job) share. The
 * starter sets no prefetch, so the broker deals the jobs out in turn as they arrive: ten each. The fast worker is
 * done after about a second and then waits while the slow one works through its ten (about 6 s in all). The learner
 * makes the whole batch finish within `BATCH_BOUND_MS` with the same two machines (a prefetch of 1 or 2 does it).
 *
 * The check judges the run, never the source:
 * - the uploader published `PHOTOS` jobs (`photo-N.jpg`), and each was acknowledged exactly once;
 * - both workers (connections named `fast worker` and `slow worker`) took part, each taking at least its machine's
 *   time per job (from the job's arrival at the worker to its ack);
 * - the last ack was sent within `BATCH_BOUND_MS` of the first publish, and the fast worker handled more jobs.
 * The same file runs unchanged on a real RabbitMQ (`node content/exercises/08-point-to-point/solution.mjs`): there
 * the network is faster than the simulator's 10 ms per hop, and the batch ends sooner.
 */
import starterCode from './08-point-to-point/starter.mjs?raw';
import solutionCode from './08-point-to-point/solution.mjs?raw';
import type { DeliveryFact, MessageFact } from '../../simulator/brokers/amqp/queries.ts';
import { at, capitalize, factsOfRun, fail, isVerdict, list, ms, plural } from './check-kit.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';

/** Jobs the uploader publishes. */
export const PHOTOS = 20;
/** Most simulated ms from the first job's publish to the last job's ack. */
export const BATCH_BOUND_MS = 3000;
/** The workers by connection name, with their time per job (simulated ms). */
export const WORKERS = [{ name: 'fast worker', msPerJob: 100 }, { name: 'slow worker', msPerJob: 600 }] as const;

const PHOTO = /photo-(\d+)\.jpg/;

export const pointToPointExercise: ExerciseDefinition = {
  id: '08-point-to-point',
  lessonSlug: '08-point-to-point',
  title: 'Exercise: keep the fast worker busy',
  instructions: [
    'Twenty photos need a thumbnail each. Two workers share the job queue: a fast machine (100 ms per thumbnail) '
      + 'and an old, slow one (600 ms per thumbnail). Run the program and read when each worker finished each job.',
    'Make the whole batch finish within 3 seconds of the first job being published, with the same two machines: '
      + 'both workers keep working, neither gets faster, and every job is done exactly once.',
    'Keep the connection names (`fast worker`, `slow worker`) and the rendering times: the check knows the workers '
      + 'by their names and times each job from its arrival to its acknowledgement. Press **Check** to run the '
      + 'program and judge the run.',
  ],
  language: 'js',
  starterCode,
  solutionCode,
  fileName: 'thumbnails.mjs',
  hints: [
    'Count the jobs each worker got, and look at when the fast worker finished its last one. What does it do after '
      + 'that?',
    'Without a limit the broker hands out every job at once, in turn, to whichever worker is next: the slow worker '
      + 'holds half of them long before it can start on them. How can a worker say how many unacknowledged jobs it '
      + 'is willing to hold?',
    'In `startWorker`, before `consume`, call `await channel.prefetch(1)`: each worker then holds one job at a '
      + 'time, and the next job goes to the worker that acknowledged first.',
  ],
  run: { seed: 1, untilMs: 60_000 },
  check: checkPointToPointRun,
};

/** The photo number of a job. */
function photoOf(message: MessageFact): number | undefined {
  const match = PHOTO.exec(message.body ?? message.preview);
  return match ? Number(match[1]) : undefined;
}

/** A delivery the worker finished: acknowledged (or settled on delivery with noAck). */
const finished = (d: DeliveryFact) => d.settled === 'ack' || d.settled === 'auto';

/**
 * Judges a run of the exercise program: passes when every job was done exactly once by one of the two workers at
 * its own speed, both took part, and the last ack came within `BATCH_BOUND_MS` of the first publish.
 */
export function checkPointToPointRun(run: unknown): CheckResult {
  const facts = factsOfRun(run, 'the thumbnails');
  if (isVerdict(facts)) return facts;

  const jobs = [...facts.messages.values()]
    .map((m) => ({ m, photo: photoOf(m) }))
    .filter((j): j is { m: MessageFact; photo: number } => j.photo !== undefined);
  const photos = new Set(jobs.map((j) => j.photo));
  if (photos.size < PHOTOS) {
    return fail(`The uploader published ${plural(photos.size, 'job')} for a photo, not ${PHOTOS}.`,
      'Keep the uploader\'s loop as it is: one `photo-N.jpg` job per photo.');
  }
  if (jobs.length > photos.size) {
    return fail(`The uploader published ${jobs.length} jobs for ${PHOTOS} photos: each photo needs one job.`);
  }

  // Which worker is which.
  const workerOf = new Map<string, (typeof WORKERS)[number]>();
  for (const c of facts.connections.values()) {
    const w = WORKERS.find((x) => x.name === c.label);
    if (w !== undefined) workerOf.set(c.id, w);
  }
  for (const w of WORKERS) {
    if (![...workerOf.values()].includes(w)) {
      return fail(`No connection named "${w.name}" took part in the run, so the check cannot tell who did which job.`,
        'Keep both workers and their `connection_name`.');
    }
  }

  // Every job done exactly once.
  const doneBy = new Map<string, DeliveryFact[]>();
  for (const d of facts.deliveries) {
    if (!finished(d)) continue;
    doneBy.set(d.msgId, [...(doneBy.get(d.msgId) ?? []), d]);
  }
  const undone = jobs.filter((j) => (doneBy.get(j.m.msgId) ?? []).length === 0).map((j) => j.photo).sort((a, b) => a - b);
  if (undone.length > 0) {
    const held = facts.deliveries.filter((d) => d.settled === 'none' && jobs.some((j) => j.m.msgId === d.msgId));
    const why = held.length > 0
      ? ` ${capitalize(plural(held.length, 'job'))} ${held.length === 1 ? 'was' : 'were'} still delivered and unacknowledged when the program ended.`
      : '';
    return fail(`${undone.length === PHOTOS ? 'No thumbnail' : `${plural(undone.length, 'thumbnail')} (${list(undone.map((p) => `photo-${p}`))})`} `
      + `${undone.length === 1 ? 'was' : 'were'} never finished: the job was not acknowledged.${why}`,
    'A worker acknowledges a job once its thumbnail is rendered; a job nobody acknowledges is not done.');
  }
  const twice = jobs.filter((j) => doneBy.get(j.m.msgId)!.length > 1).map((j) => j.photo);
  if (twice.length > 0) {
    return fail(`${capitalize(list(twice.map((p) => `photo-${p}`)))} ${twice.length === 1 ? 'was' : 'were'} rendered more than once.`,
      'Each job must be done exactly once.');
  }

  // Each worker at its own speed, and both took part.
  const deliveriesOf = (name: string) => jobs.map((j) => doneBy.get(j.m.msgId)![0]).filter((d) => workerOf.get(d.connection)?.name === name);
  for (const w of WORKERS) {
    for (const d of deliveriesOf(w.name)) {
      const took = (d.settledSentAtMs ?? d.atMs) - d.arriveAtMs;
      if (d.settled === 'auto' || took < w.msPerJob - 1) {
        const photo = photoOf(facts.messages.get(d.msgId)!);
        return fail(`The ${w.name} finished photo-${photo} ${d.settled === 'auto' ? 'the moment it arrived (automatic acknowledgement)' : `${ms(took)} after it arrived`}, `
          + `but a thumbnail takes that machine ${ms(w.msPerJob)}.`,
        'The machines keep their speeds: leave each worker\'s rendering time as it is, and acknowledge a job after '
          + 'its thumbnail is done.');
      }
    }
  }
  const handled = WORKERS.map((w) => ({ ...w, jobs: deliveriesOf(w.name) }));
  const idle = handled.find((w) => w.jobs.length === 0);
  if (idle !== undefined) {
    return fail(`The ${idle.name} did no job: the other worker rendered all ${PHOTOS} thumbnails.`,
      'The batch must be shared by the two machines you have: both workers keep taking jobs.');
  }

  // The batch's time.
  const firstPublish = Math.min(...jobs.map((j) => j.m.publishedAtMs));
  const lastAck = Math.max(...jobs.map((j) => doneBy.get(j.m.msgId)![0]).map((d) => d.settledSentAtMs ?? d.atMs));
  const batchMs = lastAck - firstPublish;
  const [fast, slow] = handled;
  const fastDone = Math.max(...fast.jobs.map((d) => d.settledSentAtMs ?? d.atMs));
  const counts = `the fast worker did ${fast.jobs.length} of the ${PHOTOS} jobs and the slow one ${slow.jobs.length}`;
  if (batchMs > BATCH_BOUND_MS) {
    const messages = [`All ${PHOTOS} thumbnails were done ${at(batchMs)} after the first job was published; the goal is `
      + `${at(BATCH_BOUND_MS)}. ${capitalize(counts)}.`];
    if (lastAck - fastDone > 200) {
      // How many jobs the slow worker held (delivered, not yet acked) when the fast one finished its last.
      const heldBySlow = slow.jobs.filter((d) => d.arriveAtMs <= fastDone && (d.settledSentAtMs ?? d.atMs) > fastDone).length;
      messages.push(`The fast worker finished its last job at ${at(fastDone - firstPublish)} and then sat idle for `
        + `${at(lastAck - fastDone)}, while the slow worker still held ${plural(heldBySlow, 'job')} (delivered to it, `
        + 'not yet done).');
    }
    return fail(...messages);
  }
  if (fast.jobs.length <= slow.jobs.length) {
    return fail(`The batch was done in ${at(batchMs)}, but ${counts}: the slow machine got as much work as the fast one.`);
  }
  return {
    passed: true,
    messages: [
      `All ${PHOTOS} thumbnails were done ${at(batchMs)} after the first job was published (the goal was at most `
        + `${at(BATCH_BOUND_MS)}), each once: ${counts}.`,
      'Each worker now takes a new job only when it has room for one, so the work goes to whoever is free, and '
        + 'the fast machine does most of it.',
    ],
  };
}
