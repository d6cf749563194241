/**
 * Exercise 11 (lesson `11-request-reply`): every parcel gets its own quote.
 *
 * Two processes: the shipping service (`server.mjs`, given: it answers each request on its `replyTo` with the
 * request's `correlationId`, far-away countries later than near ones) and the checkout (`client.mjs`), which asks
 * for the quotes of four parcels at once over direct reply-to. The starter hands each reply to the oldest request
 * still waiting, so when the replies come back in another order, parcels are printed with other parcels' costs.
 * The learner matches replies to requests by correlation id.
 *
 * The check judges the run, never the source:
 * - the checkout published its quote requests (JSON bodies with `to` and `kg`), each with a `replyTo` and a
 *   `correlationId` of its own;
 * - the answer a request got is the reply the service (connection `shipping`) published with the request's
 *   correlation id; the checkout's console line `parcel N to XX: cost` for each destination must print exactly that
 *   answer, once;
 * - the replies came back out of order (else the run cannot show the matching is right).
 * The same files run unchanged on a real RabbitMQ (`node server.mjs`, then `node client.mjs`).
 */
import serverCode from './11-request-reply/server.mjs?raw';
import clientStarter from './11-request-reply/client.starter.mjs?raw';
import clientSolution from './11-request-reply/client.solution.mjs?raw';
import type { DeliveryFact, MessageFact } from '../../simulator/brokers/amqp/queries.ts';
import { factsOfRun, fail, isVerdict, list, plural } from './check-kit.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';

/** Connection name of the shipping service (the server). */
export const SERVICE = 'shipping';

export const requestReplyExercise: ExerciseDefinition = {
  id: '11-request-reply',
  lessonSlug: '11-request-reply',
  title: 'Exercise: every parcel gets its own quote',
  instructions: [
    'The checkout asks the shipping service for the cost of four parcels, all at once, and prints the cost of '
      + 'each. The service works on the requests side by side and quotes far-away countries later. Press **Run** '
      + 'and compare what the service quoted with what the checkout printed.',
    'Some parcels are printed with another parcel\'s cost. Change `client.mjs` so that each parcel gets the answer '
      + 'to its own request, whatever order the replies come back in.',
    'Leave `server.mjs` as it is, and keep the lines the checkout prints (`parcel N to XX: cost`): the check reads '
      + 'them. Press **Check** to run both processes and judge the run.',
  ],
  language: 'js',
  starterCode: clientStarter,
  solutionCode: clientSolution,
  fileName: 'client.mjs',
  files: [
    { name: 'client.mjs', starter: clientStarter, solution: clientSolution },
    { name: 'server.mjs', starter: serverCode, solution: serverCode },
  ],
  runLine: 'server.mjs client.mjs',
  hints: [
    'Look at the order of the service\'s console lines and of the checkout\'s. Which request does the checkout '
      + 'think a reply answers?',
    'Every request already carries a `correlationId`, and the service copies it into its reply. The checkout '
      + 'never looks at it.',
    'Keep the waiting requests in a `Map` from correlation id to `resolve` (`waiting.set(correlationId, resolve)`). '
      + 'In the reply consumer, read `msg.properties.correlationId`, take that entry out of the map and call it; '
      + 'ignore a reply whose id is not in the map.',
  ],
  run: { seed: 1, untilMs: 60_000 },
  check: checkRequestReplyRun,
};

interface Parcel { to: string; kg: number }

/** The parcel a message's body asks about, if it is a quote request. */
function parcelOf(message: MessageFact): Parcel | undefined {
  try {
    const value: unknown = JSON.parse(message.body ?? message.preview);
    if (typeof value === 'object' && value !== null && 'to' in value && 'kg' in value) {
      return { to: String(value.to), kg: Number(value.kg) };
    }
  } catch {
    // not a request
  }
  return undefined;
}

const PRINTED = /^parcel (\d+) to (\S+): (.*)$/;

/**
 * Judges a run of the exercise's two processes: passes when each parcel's printed cost is the service's reply to
 * that parcel's own request, and the replies came back in another order than the requests went out.
 */
export function checkRequestReplyRun(run: unknown): CheckResult {
  const facts = factsOfRun(run, 'the quotes');
  if (isVerdict(facts)) return facts;

  const requests = [...facts.messages.values()]
    .map((m) => ({ m, parcel: parcelOf(m) }))
    .filter((r): r is { m: MessageFact; parcel: Parcel } => r.parcel !== undefined);
  if (requests.length === 0) {
    return fail('The checkout sent no quote request: no message in the run asked about a parcel.',
      'Keep the checkout\'s `quote` function sending one JSON parcel (`{ to, kg }`) per request.');
  }
  const noReplyTo = requests.filter((r) => (r.m.properties.replyTo ?? '') === '');
  if (noReplyTo.length > 0) {
    return fail(`${plural(noReplyTo.length, 'request')} carried no \`replyTo\`, so the service had no address to `
      + 'send its answer to.', 'A request names where its reply must go in its `replyTo` property.');
  }
  const ids = requests.map((r) => r.m.properties.correlationId);
  if (ids.some((id) => id === undefined || id === '')) {
    return fail('Some requests carried no `correlationId`, so their replies carry none either: nothing in a reply '
      + 'says which request it answers.');
  }
  const shared = ids.find((id, i) => ids.indexOf(id) !== i);
  if (shared !== undefined) {
    return fail(`Several requests carried the same correlation id, "${shared}": their replies cannot be told apart.`,
      'Each request needs an id of its own.');
  }

  const serviceConnections = new Set([...facts.connections.values()].filter((c) => c.label === SERVICE).map((c) => c.id));
  const replies = [...facts.messages.values()].filter((m) => serviceConnections.has(m.connection));
  if (replies.length === 0) {
    return fail('The shipping service sent no reply in this run.',
      'Leave `server.mjs` as it is and keep its connection name `shipping`: the check knows the service by it.');
  }
  const answerOf = (id: string | undefined) => replies.find((m) => m.properties.correlationId === id);
  const text = (m: MessageFact | undefined) => (m === undefined ? undefined : m.body ?? m.preview);

  // What the checkout printed for each destination.
  const printed = new Map<string, string[]>();
  for (const line of facts.lines) {
    const match = PRINTED.exec(line.text.trim());
    if (match) printed.set(match[2], [...(printed.get(match[2]) ?? []), match[3].trim()]);
  }
  const name = (r: { parcel: Parcel }, i: number) => `parcel ${i + 1} to ${r.parcel.to}`;
  const missing = requests.filter((r) => (printed.get(r.parcel.to) ?? []).length === 0);
  const wrong = requests
    .map((r, i) => ({ r, i, got: printed.get(r.parcel.to)?.[0], own: text(answerOf(r.m.properties.correlationId)) }))
    .filter((x) => x.got !== undefined && x.got !== x.own);
  if (wrong.length > 0) {
    const { r, i, got, own } = wrong[0];
    const whose = replies.filter((m) => text(m) === got)
      .map((m) => requests.findIndex((q) => q.m.properties.correlationId === m.properties.correlationId))
      .filter((j) => j >= 0 && j !== i)
      .map((j) => name(requests[j], j));
    return fail(`${wrong.length} of ${plural(requests.length, 'parcel')} ${wrong.length === 1 ? 'was' : 'were'} printed `
      + `with the answer to another request: ${name(r, i)} got ${got}${whose.length > 0 ? `, the answer to ${list(whose)}` : ''}; `
      + `the answer to its own request was ${own ?? 'never sent'}.`, ...orderSentences(facts.deliveries, requests, replies));
  }
  if (missing.length > 0) {
    const who = missing.map((r) => name(r, requests.indexOf(r)));
    return fail(`The checkout printed no cost for ${list(who)}: ${missing.length === 1 ? 'its request was' : 'their requests were'} `
      + 'never matched with a reply.', ...orderSentences(facts.deliveries, requests, replies));
  }
  const twice = requests.filter((r) => (printed.get(r.parcel.to) ?? []).length > 1);
  if (twice.length > 0) {
    return fail(`The checkout printed ${list(twice.map((r) => name(r, requests.indexOf(r))))} more than once: each `
      + 'parcel should get one answer.');
  }
  const order = arrivalOrder(facts.deliveries, requests, replies);
  if (order.every((j, k) => j === k)) {
    return fail('Every parcel got its own quote, but the replies came back in the order the requests went out, so '
      + 'this run cannot show that the checkout tells them apart.',
    'Leave `server.mjs` as it is: it quotes far-away countries later, so its replies come back in another order.');
  }
  const dests = (idx: number[]) => idx.map((j) => requests[j].parcel.to).join(', ');
  return {
    passed: true,
    messages: [
      `Each of the ${plural(requests.length, 'parcel')} got the answer to its own request, although the replies came `
        + `back in the order ${dests(order)} and the requests went out as ${dests(requests.map((_, i) => i))}.`,
      'The correlation id in each reply said which request it answers; arrival order said nothing.',
    ],
  };
}

/** Indexes (into `requests`) of the requests whose replies reached a client, in the order they arrived. */
function arrivalOrder(deliveries: readonly DeliveryFact[],
  requests: ReadonlyArray<{ m: MessageFact }>, replies: readonly MessageFact[]): number[] {
  const replyIds = new Set(replies.map((m) => m.msgId));
  return deliveries.filter((d) => replyIds.has(d.msgId))
    .sort((a, b) => a.arriveAtMs - b.arriveAtMs)
    .map((d) => replies.find((m) => m.msgId === d.msgId)!.properties.correlationId)
    .map((id) => requests.findIndex((r) => r.m.properties.correlationId === id))
    .filter((j) => j >= 0);
}

/** The sentence that says in which order the requests went out and the replies came back. */
function orderSentences(deliveries: readonly DeliveryFact[], requests: ReadonlyArray<{ m: MessageFact; parcel: Parcel }>,
  replies: readonly MessageFact[]): string[] {
  const order = arrivalOrder(deliveries, requests, replies);
  if (order.length === 0) return [];
  return [`The requests went out as ${requests.map((r) => r.parcel.to).join(', ')}; the replies came back as `
    + `${order.map((j) => requests[j].parcel.to).join(', ')}.`];
}
