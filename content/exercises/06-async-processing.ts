/**
 * Exercise 6 (lesson `06-async-processing`): answer now, email later.
 *
 * Twelve visitors sign up 50 ms apart. The starter's handler sends each welcome email itself (400 ms per email, one
 * at a time per process) before it answers, so the visitors wait longer and longer: the last one about 4 s. The
 * learner makes the handler put a job in the queue and answer at once, and makes the two workers (already
 * connected, doing nothing) consume the jobs, send the emails and acknowledge each job after its email.
 *
 * The check judges the run, never the source:
 * - every visitor got an answer within `ANSWER_BOUND_MS` of signing up (the `visitor N signs up` and `visitor N got …`
 *   lines, timed by the simulator: what the program prints as "after N ms" is not read);
 * - one job per visitor reached a queue, and was consumed with manual acknowledgements on a connection other than
 *   the web server's (the one that published the jobs);
 * - each visitor got exactly one welcome email (the `sent the welcome email to visitor-N@…` line), sent while a
 *   worker held that visitor's job (at least `EMAIL_MS` after the job reached the worker), and that delivery was
 *   acknowledged after the email.
 * The same file runs unchanged on a real RabbitMQ (`node content/exercises/06-async-processing/solution.mjs`).
 */
import starterCode from './06-async-processing/starter.mjs?raw';
import solutionCode from './06-async-processing/solution.mjs?raw';
import type { AmqpFacts, DeliveryFact, LineFact, MessageFact } from '../../simulator/brokers/amqp/queries.ts';
import { at, capitalize, factsOfRun, fail, isVerdict, list, ms, plural } from './check-kit.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';

/** Visitors who sign up. */
export const SIGNUPS = 12;
/** Simulated ms between two sign-ups. */
export const ARRIVE_EVERY_MS = 50;
/** Most simulated ms any visitor may wait for the handler's answer. */
export const ANSWER_BOUND_MS = 100;
/** Simulated ms the mail server needs for one email. */
export const EMAIL_MS = 400;
/** How far a sign-up may drift from its slot in the schedule before the check says the visitors were changed. */
const ARRIVAL_SLACK_MS = 10;

const SIGNS_UP = /^visitor (\d+) signs up\b/;
const GOT_ANSWER = /^visitor (\d+) got\b/;
const EMAIL_SENT = /\bsent the welcome email to visitor-(\d+)@/;
const ADDRESS = /\bvisitor-(\d+)@/;

export const asyncProcessingExercise: ExerciseDefinition = {
  id: '06-async-processing',
  lessonSlug: '06-async-processing',
  title: 'Exercise: answer first, email later',
  instructions: [
    'Twelve visitors sign up to the shop\'s newsletter, 50 ms apart. The sign-up handler sends each of them a '
      + 'welcome email before it answers, and the mail server needs 400 ms per email, one at a time. Run the '
      + 'program and read how long each visitor waited: the waits grow with every sign-up.',
    'Change the program so that every visitor gets an answer within 100 ms, and the emails are still sent: the '
      + 'handler puts a job in the queue `ex06.welcome-emails` and answers at once; the two workers (already '
      + 'connected, doing nothing yet) take the jobs and send the emails with their own mailer.',
    'Every visitor must get exactly one welcome email, sent by a worker, and a worker acknowledges a job only '
      + 'after its email went out. Keep the visitors\' part and `createMailer` as they are: the check reads their '
      + 'lines, timed by the simulator. Press **Check** to run your program and judge it.',
  ],
  language: 'js',
  starterCode,
  solutionCode,
  hints: [
    'The visitor waits for whatever `handleSignup` awaits before it returns. What is the least the handler must '
      + 'do so that the email is not forgotten?',
    'In the handler, replace the call to the web server\'s mailer with `channel.sendToQueue(QUEUE, …)`: a small '
      + 'JSON job that names the address. `sendToQueue` does not wait for the broker, so the handler can return '
      + 'right after it.',
    'In `startWorker`, subscribe with `workerChannel.consume(QUEUE, async (msg) => { … })`: read the address from '
      + '`msg.content`, `await send(address)`, then `workerChannel.ack(msg)`. `await workerChannel.prefetch(1)` '
      + 'gives each worker one job at a time.',
  ],
  run: { seed: 1, untilMs: 60_000 },
  check: checkAsyncProcessingRun,
};

/** Visitor number named in a message's body (or preview), if any. */
function visitorOf(message: MessageFact): number | undefined {
  const match = ADDRESS.exec(message.body ?? message.preview);
  return match ? Number(match[1]) : undefined;
}

/** First line per visitor number matching `pattern` (group 1 is the number). */
function firstLines(lines: readonly LineFact[], pattern: RegExp): Map<number, LineFact> {
  const out = new Map<number, LineFact>();
  for (const line of lines) {
    const match = pattern.exec(line.text);
    if (match && !out.has(Number(match[1]))) out.set(Number(match[1]), line);
  }
  return out;
}

/** `visitor 3`, `visitors 3, 4 and 5`. */
const visitorNames = (ids: readonly number[]) => (ids.length === 1 ? `visitor ${ids[0]}` : `visitors ${list(ids.map(String))}`);

/**
 * Judges a run of the exercise program: passes when every visitor was answered within `ANSWER_BOUND_MS` and each
 * welcome email was sent exactly once by a worker holding that visitor's job, acknowledged after the email.
 */
export function checkAsyncProcessingRun(run: unknown): CheckResult {
  const facts = factsOfRun(run, 'the sign-ups');
  if (isVerdict(facts)) return facts;
  const logLines = facts.lines.filter((l) => l.level === 'log' || l.level === 'info');
  const arrivals = firstLines(logLines, SIGNS_UP);
  const answers = firstLines(logLines, GOT_ANSWER);
  const visitors = Array.from({ length: SIGNUPS }, (_, i) => i + 1);

  // The visitors' part must be as given: 12 sign-ups on their schedule.
  const missing = visitors.filter((i) => !arrivals.has(i));
  if (missing.length === SIGNUPS) {
    return fail('No `visitor N signs up` line was printed, so the check cannot tell when anyone signed up.',
      'Keep the visitors\' part of the program as it is (Reset shows the original).');
  }
  if (missing.length > 0) {
    return fail(`${capitalize(visitorNames(missing))} never signed up: the check expects ${SIGNUPS} sign-ups.`,
      'Keep the visitors\' part of the program as it is (Reset shows the original).');
  }
  const first = arrivals.get(1)!.atMs;
  const offSchedule = visitors.find((i) => Math.abs(arrivals.get(i)!.atMs - first - (i - 1) * ARRIVE_EVERY_MS) > ARRIVAL_SLACK_MS);
  if (offSchedule !== undefined) {
    return fail(`Visitor ${offSchedule} signed up ${ms(arrivals.get(offSchedule)!.atMs - first)} after visitor 1; `
      + `on the exercise's schedule (a visitor every ${ms(ARRIVE_EVERY_MS)}) that is `
      + `${ms((offSchedule - 1) * ARRIVE_EVERY_MS)}.`,
      'Keep the visitors\' part of the program as it is: change the handler and the workers, not the visitors.');
  }

  const jobs = [...facts.messages.values()].filter((m) => visitorOf(m) !== undefined);
  const jobsOf = (i: number) => jobs.filter((m) => visitorOf(m) === i);
  const emails = logLines.filter((l) => EMAIL_SENT.test(l.text));
  const emailsOf = (i: number) => emails.filter((l) => Number(EMAIL_SENT.exec(l.text)![1]) === i);

  // 1. Every visitor answered, quickly.
  const unanswered = visitors.filter((i) => !answers.has(i));
  if (unanswered.length > 0) {
    return fail(`${capitalize(visitorNames(unanswered))} never got an answer before the program ended.`,
      'Every call of `handleSignup` must return, and quickly: the visitor is waiting for it.');
  }
  const waits = visitors.map((i) => ({ i, waited: answers.get(i)!.atMs - arrivals.get(i)!.atMs }));
  const slow = waits.filter((w) => w.waited > ANSWER_BOUND_MS);
  if (slow.length > 0) {
    const worst = slow.reduce((a, b) => (b.waited > a.waited ? b : a));
    const who = slow.length === SIGNUPS ? `all ${SIGNUPS} visitors` : `${slow.length} of ${SIGNUPS} visitors`;
    const messages = [`Visitors waited too long for an answer: ${who} waited more than ${ms(ANSWER_BOUND_MS)}, `
      + `visitor ${worst.i} the longest (${ms(worst.waited)}).`];
    const emailedFirst = slow.filter((w) => emailsOf(w.i).some((l) => l.atMs <= answers.get(w.i)!.atMs));
    const queuedFirst = slow.filter((w) => jobsOf(w.i).some((m) => m.publishedAtMs <= answers.get(w.i)!.atMs));
    if (emailedFirst.length > 0) {
      const growing = waits[SIGNUPS - 1].waited > waits[0].waited + ANSWER_BOUND_MS;
      messages.push(`The email to visitor ${emailedFirst[0].i} went out before the answer did: the handler waits for `
        + 'the mail server before it answers'
        + (growing ? ', so each visitor waits for their own email and for every email in line before it. That is '
          + 'why the waits grow with every sign-up.' : '.'));
    } else if (queuedFirst.length > 0) {
      const w = queuedFirst[0];
      const job = jobsOf(w.i).find((m) => m.publishedAtMs <= answers.get(w.i)!.atMs)!;
      messages.push(`The job for visitor ${w.i} was published ${ms(job.publishedAtMs - arrivals.get(w.i)!.atMs)} after `
        + `the sign-up, but the answer came only ${ms(w.waited)} after it: once the job is handed over, what is the `
        + 'handler still waiting for?');
    } else {
      messages.push('Whatever the handler awaits before it returns, the visitor waits for too.');
    }
    return fail(...messages);
  }

  // 2. One job per visitor in a queue.
  if (jobs.length === 0) {
    const sentBy = emails.length > 0 ? ' The emails were sent by the web server itself, after it had answered.' : '';
    return fail('Every visitor got a quick answer, but no job was published: the broker never heard of the emails.'
      + sentBy,
    'An email that only lives in the web server\'s memory is lost if that process dies, and the web server still '
      + 'does all the slow work. Hand each email to the workers as a message in the queue.');
  }
  const noJob = visitors.filter((i) => jobsOf(i).length === 0);
  if (noJob.length > 0) {
    return fail(`No job was published for ${visitorNames(noJob)}: each sign-up must put exactly one job in the queue.`,
      'The check finds a visitor\'s job by the address (`visitor-N@example.com`) in the message body.');
  }
  const twice = visitors.filter((i) => jobsOf(i).length > 1);
  if (twice.length > 0) {
    return fail(`${capitalize(visitorNames(twice))} had more than one job published `
      + `(visitor ${twice[0]}: ${jobsOf(twice[0]).length}); each sign-up must put exactly one job in the queue.`);
  }
  const unrouted = jobs.filter((m) => m.queues.length === 0);
  if (unrouted.length > 0) {
    return fail(`${plural(unrouted.length, 'job')} reached no queue: the broker dropped ${unrouted.length === 1 ? 'it' : 'them'} `
      + `(published to exchange "${unrouted[0].exchange}" with routing key "${unrouted[0].routingKey}").`,
      'With the default exchange (`sendToQueue`), the routing key must be the name of a queue that exists.');
  }

  // 3. Workers consume the jobs, with manual acks, and they are not the web server.
  const jobQueues = new Set(jobs.flatMap((m) => m.queues));
  const consumers = facts.consumers.filter((c) => jobQueues.has(c.queue));
  if (consumers.length === 0) {
    return fail(`All ${SIGNUPS} jobs waited in the queue ${[...jobQueues].map((q) => `\`${q}\``).join(', ')}, `
      + 'but nothing consumed from it, so no worker ever saw them.',
    'The workers must subscribe to the queue the handler publishes to.');
  }
  const webServer = new Set(jobs.map((m) => m.connection));
  const onWebServer = consumers.filter((c) => webServer.has(c.connection));
  if (onWebServer.length > 0) {
    return fail(`The jobs are consumed on the web server's own connection (${label(facts, onWebServer[0].connection)}), `
      + 'so the web server still does the slow work.',
    'Let the workers consume the jobs: each has its own connection (in production, its own process).');
  }
  const autoAck = consumers.filter((c) => c.noAck);
  if (autoAck.length > 0) {
    return fail(`${capitalize(label(facts, autoAck[0].connection))} consumes with \`noAck: true\`: the broker counts a `
      + 'job as done the moment it hands it over.',
    'If that worker died before sending the email, the job would be gone and the visitor would never get it. '
      + 'Consume with manual acknowledgements and acknowledge a job after its email went out.');
  }

  // 4. Exactly one email per visitor, sent by a worker holding the job, acknowledged after the email.
  const noEmail = visitors.filter((i) => emailsOf(i).length === 0);
  if (noEmail.length > 0) {
    const delivered = noEmail.filter((i) => facts.deliveries.some((d) => d.msgId === jobsOf(i)[0].msgId));
    const messages = [`${capitalize(visitorNames(noEmail))} never got a welcome email.`];
    if (delivered.length < noEmail.length) {
      const undelivered = noEmail.filter((i) => !delivered.includes(i));
      messages.push(`The ${undelivered.length === 1 ? 'job' : 'jobs'} of ${visitorNames(undelivered)} never reached a `
        + 'worker: they were still in the queue when the program ended.');
      const stuck = [...new Set(facts.deliveries.filter((d) => d.settled === 'none').map((d) => d.connection))];
      if (stuck.length > 0) {
        messages.push(`${capitalize(list(stuck.map((c) => label(facts, c))))} still held unacknowledged jobs: a worker `
          + 'under a prefetch limit gets its next job only after it acknowledges one it holds.');
      }
    }
    if (delivered.length > 0) {
      messages.push(`${capitalize(visitorNames(delivered))} had ${delivered.length === 1 ? 'a job' : 'jobs'} delivered `
        + 'to a worker, but no `sent the welcome email to …` line followed. Does the worker send the email with its '
        + 'mailer (`send(address)`) for every job?');
    }
    return fail(...messages);
  }
  const twiceEmailed = visitors.filter((i) => emailsOf(i).length > 1);
  if (twiceEmailed.length > 0) {
    const i = twiceEmailed[0];
    return fail(`${capitalize(visitorNames(twiceEmailed))} got more than one welcome email.`,
      `Visitor ${i}: ${emailsOf(i).map((l) => `"${l.text}" at ${at(l.atMs)}`).join(', ')}. Each email must be sent `
        + 'once, by the worker that holds the job.');
  }
  for (const i of visitors) {
    const email = emailsOf(i)[0];
    const deliveries = facts.deliveries.filter((d) => d.msgId === jobsOf(i)[0].msgId);
    if (deliveries.length === 0) {
      return fail(`The welcome email to visitor ${i} was sent at ${at(email.atMs)}, but that visitor's job was never `
        + 'delivered to a worker: the email was not sent by a worker.',
      'The web server should only publish the job; a worker sends the email when it gets the job.');
    }
    const holding = deliveries.find((d) => d.arriveAtMs + EMAIL_MS <= email.atMs + 1);
    if (holding === undefined) {
      return fail(`The welcome email to visitor ${i} was sent at ${at(email.atMs)}, before any worker could have `
        + `sent it: the job reached ${label(facts, deliveries[0].connection)} at ${at(deliveries[0].arriveAtMs)}, `
        + `and an email takes ${ms(EMAIL_MS)}.`,
      'The web server should only publish the job; a worker sends the email when it gets the job.');
    }
    const acked = deliveries.find((d) => d.settled === 'ack');
    if (acked === undefined) {
      return fail(`The job for visitor ${i} was never acknowledged (${settledWords(deliveries)}).`,
        'A worker must acknowledge each job (`channel.ack(msg)` on the channel it came from) once the email went out; '
          + 'until then the broker keeps it as unacknowledged.');
    }
    if ((acked.settledSentAtMs ?? acked.atMs) < email.atMs) {
      return fail(`The job for visitor ${i} was acknowledged at ${at(acked.settledSentAtMs ?? acked.atMs)}, before its `
        + `email went out at ${at(email.atMs)}.`,
      'Had the worker died in between, the broker would already have forgotten the job and the email would never be '
        + 'sent. Acknowledge a job after the work.');
    }
  }

  const slowest = waits.reduce((a, b) => (b.waited > a.waited ? b : a));
  const lastEmail = visitors.map((i) => ({ i, after: emailsOf(i)[0].atMs - arrivals.get(i)!.atMs }))
    .reduce((a, b) => (b.after > a.after ? b : a));
  const workers = new Set(visitors.map((i) => facts.deliveries.find((d) => d.msgId === jobsOf(i)[0].msgId && d.settled === 'ack')!.connection));
  return {
    passed: true,
    messages: [
      `Every visitor got an answer at once (the slowest after ${ms(slowest.waited)}; the goal was at most `
        + `${ms(ANSWER_BOUND_MS)}), and all `
        + `${SIGNUPS} welcome emails were sent by the workers, each once and acknowledged after it went out.`,
      `The price: the result now comes later than the answer. Visitor ${lastEmail.i}'s email went out `
        + `${ms(lastEmail.after)} after the sign-up; ${workers.size === 1 ? 'one worker' : `${workers.size} workers`} `
        + 'shared the jobs.',
    ],
  };
}

/** `worker 1` for a labelled connection, `connection c3` otherwise. */
function label(facts: AmqpFacts, connection: string): string {
  const name = facts.connections.get(connection)?.label;
  return name && name !== connection ? name : `connection ${connection}`;
}

/** How the deliveries of a job ended, in words. */
function settledWords(deliveries: readonly DeliveryFact[]): string {
  const words = deliveries.map((d) => ({
    none: 'delivered, never settled', requeue: 'rejected and requeued', reject: 'rejected', auto: 'auto-acknowledged',
    ack: 'acknowledged',
  })[d.settled]);
  const count = deliveries.length === 1 ? '1 delivery' : `${deliveries.length} deliveries`;
  return `${count}: ${[...new Set(words)].join(', ')}`;
}
