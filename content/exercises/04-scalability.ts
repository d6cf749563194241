/**
 * Exercise 4 (lesson `04-scalability`): drain a backlog in time by scaling the consumer side.
 *
 * The uploader queues 40 product photos on `thumbnail-jobs` in one go; thumbnail workers make one thumbnail at a
 * time, 400 ms each, and acknowledge each photo when its thumbnail is made. The shop opens 5 s after the photos were
 * queued. The starter runs one worker (40 × 0.4 s = 16 s). Starting more workers is the fix, with one catch the
 * lesson teaches: a worker without a prefetch limit takes the whole backlog the moment it subscribes, so workers
 * started after it get nothing. Five workers with `channel.prefetch(1)` finish in about 3.8 s simulated.
 *
 * The check reads the run's trace through `amqpFacts`, never the source text:
 * - the producer is unchanged: 40 messages `{"photo":"product-N.jpg"}`, N = 1 … 40 in order, published on the
 *   connection labelled `uploader`, and no other connection publishes to the queue;
 * - every photo is acknowledged (manually), no earlier than 400 ms after it reached its worker, and each worker's
 *   acks are at least 400 ms apart (one thumbnail at a time, no shortcut through a shorter `WORK_MS`, an ack before
 *   the work, or several photos at once in one worker);
 * - the last ack was sent within 5 s of the first photo's publish.
 * A failing verdict says what happened in the run (how late, how the photos were spread over the workers) before
 * anything about the fix.
 *
 * The programs run unchanged on a real RabbitMQ (`AMQP_URL=amqp://localhost node solution.mjs`: about 3.5 s there).
 * Sources: RabbitMQ tutorial "Work Queues" (https://www.rabbitmq.com/tutorials/tutorial-two-javascript: round-robin
 * dispatch, fair dispatch with prefetch 1) and "Consumer Prefetch" (https://www.rabbitmq.com/docs/consumer-prefetch).
 */
import starterCode from './04-scalability/starter.mjs?raw';
import solutionCode from './04-scalability/solution.mjs?raw';
import type { DeliveryFact } from '../../simulator/brokers/amqp/queries.ts';
import { factsOfRun, fail, isVerdict } from './check-kit.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';

export const THUMBNAIL_QUEUE = 'thumbnail-jobs';
export const PHOTO_COUNT = 40;
/** Simulated ms of work per thumbnail. */
export const WORK_MS = 400;
/** The shop opens this long after the first photo was queued (simulated ms). */
export const BUDGET_MS = 5000;
const UPLOADER = 'uploader';
const HINT_POINTER = 'Press **Show a hint** if you would like a nudge.';
/** Most names listed in one sentence. */
const NAMES_LISTED_MAX = 6;

export const scalabilityExercise: ExerciseDefinition = {
  id: '04-scalability',
  lessonSlug: '04-scalability',
  title: 'Exercise: clear the backlog before the shop opens',
  instructions: [
    'Overnight, the shop\'s uploader queued 40 product photos on the `thumbnail-jobs` queue. A thumbnail worker '
      + 'takes a photo, spends 0.4 s making its thumbnail (one at a time: resizing keeps a processor core busy), '
      + 'then acknowledges it. The shop opens **5 seconds** after the photos were queued, and every thumbnail must '
      + 'be ready by then.',
    'Run the program: one worker does all the work, and the console shows how long it takes.',
    'Change the worker side so that the backlog is done within the 5 s. Leave the uploader as it is (the check '
      + 'compares its messages and its connection with the original), and keep `WORK_MS`: a worker still makes one '
      + 'thumbnail at a time, 400 ms each, and acknowledges it once it is made. **Check** judges the run: every '
      + 'acknowledgement, its time, and which worker sent it.',
  ],
  language: 'js',
  fileName: 'thumbnails.mjs',
  starterCode,
  solutionCode,
  hints: [
    'One worker needs 40 × 0.4 s = 16 s. How many workers, working at the same time on the same queue, would '
      + 'share that out in under 5 s, with a little room for the network?',
    'The uploader does not need to change at all: start more copies of the worker (`WORKERS`). They are competing '
      + 'consumers of the same queue, and the broker spreads the photos among them.',
    'If one worker still makes nearly every thumbnail, look at what happens when it subscribes: without a limit '
      + 'the broker hands it the whole backlog at once, before the others have even connected. '
      + '`await channel.prefetch(1)` before `consume` keeps the rest in the queue for whichever worker is free.',
  ],
  run: { seed: 1, untilMs: 60_000 },
  check: checkScalabilityRun,
};

/** Judges a run of the exercise program (see the module doc). Never throws. */
export function checkScalabilityRun(run: unknown): CheckResult {
  const facts = factsOfRun(run, 'the thumbnails');
  if (isVerdict(facts)) return facts;
  const label = (connection: string) => facts.connections.get(connection)?.label ?? connection;

  // 1. The uploader, as it was: the same 40 photos, in order, from its own connection, and nobody else publishing.
  const published = [...facts.messages.values()].filter((m) => m.queues.includes(THUMBNAIL_QUEUE)
    || (m.exchange === '' && m.routingKey === THUMBNAIL_QUEUE));
  const fromUploader = published.filter((m) => label(m.connection) === UPLOADER);
  const others = published.filter((m) => label(m.connection) !== UPLOADER);
  const photoOf = (preview: string) => /"photo"\s*:\s*"([^"]*)"/.exec(preview)?.[1];
  const expected = Array.from({ length: PHOTO_COUNT }, (_, i) => `product-${i + 1}.jpg`);
  const photos = fromUploader.map((m) => photoOf(m.body ?? m.preview) ?? m.preview);
  if (fromUploader.length === 0) {
    return fail(`No photo was queued by the uploader: no connection named \`${UPLOADER}\` published to `
      + `\`${THUMBNAIL_QUEUE}\`.`, 'Leave the uploader part of the program as it is (Reset restores it).');
  }
  if (others.length > 0) {
    const who = unique(others.map((m) => label(m.connection)));
    return fail(`Besides the uploader, ${list(who)} published ${plural(others.length, 'message')} to `
      + `\`${THUMBNAIL_QUEUE}\`.`, 'Only the uploader queues photos; scale the backlog by changing the workers, '
        + 'not by adding or moving work on the producer side.');
  }
  if (photos.join('\n') !== expected.join('\n')) {
    return fail(`The uploader should queue the same ${PHOTO_COUNT} photos as before (product-1.jpg to `
      + `product-${PHOTO_COUNT}.jpg, in that order); this run queued ${plural(photos.length, 'message')}`
      + `${photos.length > 0 ? ` (${list(photos)})` : ''}.`,
    'Leave the uploader part of the program as it is (Reset restores it); change only the workers.');
  }
  const queuedAtMs = Math.min(...fromUploader.map((m) => m.publishedAtMs));
  const photoOfMsg = new Map(fromUploader.map((m) => [m.msgId, photoOf(m.body ?? m.preview) ?? m.msgId]));

  // 2. Every photo acknowledged after its work.
  const deliveries = facts.deliveries.filter((d) => photoOfMsg.has(d.msgId));
  const acked = deliveries.filter((d) => d.settled === 'ack');
  const autoAcked = deliveries.filter((d) => d.settled === 'auto');
  const notAcked = fromUploader.filter((m) => !acked.some((d) => d.msgId === m.msgId)).map((m) => photoOfMsg.get(m.msgId)!);
  if (autoAcked.length > 0) {
    return fail(`${autoAcked.length === deliveries.length ? 'No' : `Only ${acked.length} of the ${PHOTO_COUNT}`} `
      + 'photos were acknowledged after their thumbnails were made: the workers consumed with automatic '
      + 'acknowledgement, so the broker counted each photo as done the moment it sent it.',
    'The check needs an acknowledgement from the worker once each thumbnail is made, as the original program sends.');
  }
  if (notAcked.length > 0) {
    const neverDelivered = notAcked.filter((p) => !deliveries.some((d) => photoOfMsg.get(d.msgId) === p));
    return fail(`${plural(notAcked.length, 'photo')} ${notAcked.length === 1 ? 'was' : 'were'} never acknowledged: `
      + `${list(notAcked)}.`,
    neverDelivered.length > 0
      ? `${neverDelivered.length === notAcked.length ? 'None of them' : plural(neverDelivered.length, 'of them')} `
        + `reached a worker: were the workers stopped before the queue was empty?`
      : 'They reached a worker, but no worker acknowledged them. Every photo needs `channel.ack(msg)` once its '
        + 'thumbnail is made.');
  }

  // 3. The work really took its time: 400 ms per photo, one photo at a time per worker.
  const firstAck = new Map<string, DeliveryFact>();
  for (const d of acked) if (!firstAck.has(d.msgId)) firstAck.set(d.msgId, d);
  const sentAt = (d: DeliveryFact) => d.settledSentAtMs ?? d.atMs;
  const rushed = acked.find((d) => sentAt(d) - d.arriveAtMs < WORK_MS);
  if (rushed !== undefined) {
    return fail(`${capitalize(label(rushed.connection))} acknowledged ${photoOfMsg.get(rushed.msgId)} `
      + `${Math.max(0, sentAt(rushed) - rushed.arriveAtMs)} ms after it arrived, but making a thumbnail takes `
      + `${WORK_MS} ms of work.`,
    `Keep \`WORK_MS = ${WORK_MS}\` and acknowledge a photo once its thumbnail is made: the check measures the time `
      + 'from a photo\'s arrival at its worker to its acknowledgement.');
  }
  const byConsumer = new Map<string, DeliveryFact[]>();
  for (const d of acked) {
    const key = d.consumerTag ?? d.channel;
    byConsumer.set(key, [...(byConsumer.get(key) ?? []), d]);
  }
  for (const list of byConsumer.values()) {
    const sorted = [...list].sort((a, b) => sentAt(a) - sentAt(b));
    for (let i = 1; i < sorted.length; i++) {
      const gap = sentAt(sorted[i]) - sentAt(sorted[i - 1]);
      if (gap < WORK_MS) {
        const who = label(sorted[i].connection);
        return fail(`${capitalize(who)} worked on several photos at once: it acknowledged `
          + `${photoOfMsg.get(sorted[i - 1].msgId)} and ${photoOfMsg.get(sorted[i].msgId)} only ${gap} ms apart.`,
        `A worker makes one thumbnail at a time, ${WORK_MS} ms each (resizing keeps its processor busy), so more `
          + 'thumbnails at once need more workers, not more photos per worker. Keep the worker\'s one-at-a-time `line`.');
      }
    }
  }

  // 4. In time?
  const lastAck = Math.max(...[...firstAck.values()].map(sentAt));
  const elapsedMs = lastAck - queuedAtMs;
  const consumers = facts.consumers.filter((c) => c.queue === THUMBNAIL_QUEUE);
  const received = new Map<string, number>(consumers.map((c) => [c.consumerTag, 0]));
  for (const d of deliveries) {
    if (d.consumerTag !== null) received.set(d.consumerTag, (received.get(d.consumerTag) ?? 0) + 1);
  }
  const nameOf = new Map(consumers.map((c) => [c.consumerTag, label(c.connection)]));
  const shares = [...received].map(([tag, n]) => ({ name: nameOf.get(tag) ?? tag, n }));
  const spread = shares.map((s) => `${s.name}: ${s.n}`).join(', ');
  if (elapsedMs > BUDGET_MS) {
    const messages = [`All ${PHOTO_COUNT} thumbnails were made, but the last was acknowledged ${seconds(elapsedMs)} `
      + `after the photos were queued: ${seconds(elapsedMs - BUDGET_MS)} over the ${seconds(BUDGET_MS)} budget.`];
    const busiest = shares.reduce((a, b) => (b.n > a.n ? b : a), shares[0] ?? { name: 'one worker', n: PHOTO_COUNT });
    const idle = shares.filter((s) => s.n === 0).map((s) => s.name);
    if (shares.length <= 1) {
      messages.push(`One worker made all ${PHOTO_COUNT}, one after another: ${PHOTO_COUNT} × ${seconds(WORK_MS)} is `
        + `${seconds(PHOTO_COUNT * WORK_MS)} of work for a single worker.`, HINT_POINTER);
    } else if (busiest.n >= PHOTO_COUNT / 2 && idle.length > 0) {
      messages.push(`${shares.length} workers were subscribed, but ${busiest.name} received ${busiest.n} of the `
        + `${PHOTO_COUNT} photos and ${list(idle)} received none (${spread}). ${capitalize(busiest.name)} took `
        + 'its share the moment it subscribed, before the others were there to ask.');
    } else {
      messages.push(`${shares.length} workers shared the photos (${spread}). At ${seconds(WORK_MS)} a photo, the `
        + `busiest of them, with ${busiest.n}, needed at least ${seconds(busiest.n * WORK_MS)}.`);
    }
    return fail(...messages);
  }

  return {
    passed: true,
    messages: [
      `All ${PHOTO_COUNT} thumbnails were made and acknowledged ${seconds(elapsedMs)} after the photos were queued, `
        + `within the ${seconds(BUDGET_MS)} budget.`,
      `${shares.length} workers shared the backlog (${spread}); the uploader did not change: the same `
        + `${PHOTO_COUNT} photos from its own connection.`,
    ],
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}


function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `a, b and c`, cut after NAMES_LISTED_MAX names. */
function list(names: string[]): string {
  if (names.length > NAMES_LISTED_MAX) {
    return `${names.slice(0, NAMES_LISTED_MAX).join(', ')} and ${names.length - NAMES_LISTED_MAX} more`;
  }
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}
