/**
 * Exercise 12 (lesson `12-rabbitmq-setup`): a probe that must not take the job down with it.
 *
 * One program, `nightly.mjs`: it sends three orders to `ex12.billing` and, if the reports service is running (its
 * queue `ex12.reports` exists), a summary to it. In the starter it asks with `checkQueue` on its only channel; the
 * queue is missing, so RabbitMQ closes that channel (404 NOT_FOUND) and the first `sendToQueue` fails with
 * IllegalOperationError "Channel closed". The learner asks on a channel of its own (or another way that leaves the
 * orders' channel open).
 *
 * The check judges the run, never the source:
 * - the program ran to its end (a program error is described in the run's terms: which channel the broker closed,
 *   with which code, for which queue);
 * - the job looked for `ex12.reports` (a 404 for it closed some channel, or the queue was declared);
 * - all `ORDERS` orders reached `ex12.billing`;
 * - the connection `nightly` was never closed with an error.
 * The same file runs unchanged on a real RabbitMQ (`node nightly.mjs`).
 */
import nightlyStarter from './12-rabbitmq-setup/nightly.starter.mjs?raw';
import nightlySolution from './12-rabbitmq-setup/nightly.solution.mjs?raw';
import { isRecord } from '../../src/lib/is-record.ts';
import { at, factsOfRun, fail, isVerdict, plural } from './check-kit.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';

/** Orders the job sends in the checked run. */
export const ORDERS = 3;
export const BILLING = 'ex12.billing';
export const REPORTS = 'ex12.reports';

export const rabbitmqSetupExercise: ExerciseDefinition = {
  id: '12-rabbitmq-setup',
  lessonSlug: '12-rabbitmq-setup',
  title: 'Exercise: a question that closes the channel',
  instructions: [
    'The nightly job sends three orders to billing, and a summary to the reports service if that service is '
      + 'running. It finds out by checking whether the reports queue exists. Tonight the reports service is down. '
      + 'Press **Run** and read the console.',
    'Change `nightly.mjs` so that the three orders reach `ex12.billing` while the reports service is down, and the '
      + 'job still finds out whether it is running (keep asking for `ex12.reports`, without creating it).',
    'Keep the connection name `nightly`. Press **Check** to run the job and judge the run.',
  ],
  language: 'js',
  starterCode: nightlyStarter,
  solutionCode: nightlySolution,
  fileName: 'nightly.mjs',
  hints: [
    'The console says the channel was closed. Which call made the broker close it, and which calls came after it on '
      + 'the same channel?',
    'A channel error closes only the channel it happened on; the connection and its other channels stay open. A '
      + 'question that may fail can be asked on a channel that nothing else needs.',
    'Open a second channel for the check: `const probe = await connection.createChannel(); probe.on(\'error\', '
      + '() => {});` then `await probe.checkQueue(REPORTS)` in the `try`, and keep sending the orders on `channel`.',
  ],
  run: { seed: 1, untilMs: 60_000 },
  check: checkRabbitmqSetupRun,
};

interface ChannelClose { atMs: number; channel: string; code: number; text: string }

/** Channels the broker closed with an error (from the raw trace). */
function channelCloses(trace: readonly unknown[]): ChannelClose[] {
  const out: ChannelClose[] = [];
  for (const e of trace) {
    if (!isRecord(e) || e.kind !== 'channel-closed' || typeof e.t !== 'number' || !isRecord(e.reason)) continue;
    if (typeof e.reason.code !== 'number' || e.reason.code === 200) continue;
    out.push({ atMs: e.t, channel: String(e.channel), code: e.reason.code, text: String(e.reason.text ?? '') });
  }
  return out;
}

/** `channel 1 of nightly` from `c1.ch1`. */
const channelName = (id: string) => `channel ${id.split('.ch')[1] ?? id}`;

/**
 * Judges a run of the nightly job: passes when the three orders reached billing, the job asked for the reports
 * queue without creating it, and no error closed the connection.
 */
export function checkRabbitmqSetupRun(run: unknown): CheckResult {
  if (isRecord(run) && run.status === 'error' && Array.isArray(run.trace)) {
    const closes = channelCloses(run.trace);
    const error = isRecord(run.error) ? run.error : {};
    const line = typeof error.line === 'number' ? ` (line ${error.line})` : '';
    if (closes.length > 0 && /Channel closed|Connection closed/.test(String(error.message))) {
      const first = closes[0];
      return fail(`The job stopped with ${String(error.name)}: ${String(error.message)}${line}. At ${at(first.atMs)} the `
        + `broker had closed ${channelName(first.channel)} with ${first.code} (${first.text}), and every later call on `
        + 'that channel fails.',
      'Find the call that made the broker close the channel, and the calls that still used the channel after it.');
    }
  }
  const facts = factsOfRun(run, 'the orders');
  if (isVerdict(facts)) return facts;
  const trace = (run as { trace: unknown[] }).trace;

  const orders = [...facts.messages.values()].filter((m) => m.routingKey === BILLING && m.queues.includes(BILLING));
  const closes = channelCloses(trace);
  const probed = closes.find((c) => c.code === 404 && c.text.includes(`'${REPORTS}'`));
  if (facts.queues.has(REPORTS)) {
    return fail(`The job declared the queue "${REPORTS}", so the reports service looked as if it were running while it `
      + 'was down, and the summary went to a queue nobody reads.',
    'Ask whether the queue exists (`checkQueue`) without creating it.');
  }
  if (probed === undefined) {
    return fail(`The job never asked whether "${REPORTS}" exists, so it cannot know whether the reports service runs.`,
      'Keep the `checkQueue(REPORTS)` question; change where it is asked.');
  }
  if (orders.length < ORDERS) {
    return fail(`${orders.length === 0 ? 'No order' : `Only ${plural(orders.length, 'order')}`} reached "${BILLING}", `
      + `not ${ORDERS}.`, 'The job must send all three orders whether or not the reports service runs.');
  }
  const nightly = [...facts.connections.values()].filter((c) => c.label === 'nightly');
  if (nightly.length === 0) {
    return fail('No connection named "nightly" took part in the run.',
      'Keep `connection_name: \'nightly\'` in the connect call.');
  }
  const broken = trace.find((e) => isRecord(e) && e.kind === 'connection-closed' && isRecord(e.reason)
    && typeof e.reason.code === 'number' && e.reason.code !== 200 && e.reason.code !== 320);
  if (broken !== undefined && isRecord(broken) && isRecord(broken.reason)) {
    return fail(`The connection was closed with an error: ${String(broken.reason.code)} ${String(broken.reason.text)}.`,
      'A channel error with no \'error\' listener on its channel becomes an error of the whole connection in amqplib.');
  }
  const ordersChannel = orders[0].channel;
  return {
    passed: true,
    messages: [
      `All ${ORDERS} orders reached "${BILLING}" on ${channelName(ordersChannel)}, while the question about `
        + `"${REPORTS}" closed ${channelName(probed.channel)} (404 NOT_FOUND) and nothing else.`,
      'One connection, a channel per job: a failed operation costs one channel, never the connection.',
    ],
  };
}
