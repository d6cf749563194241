/**
 * Exercise 10 (lesson `10-routing`): each team gets exactly its events.
 *
 * Three processes of `team.mjs` (refunds, eu-sales, us-all), each with an exclusive queue of its own bound to the
 * topic exchange `ex10.shop-events` with the binding keys listed for it, and the feed (`events.mjs`), which
 * publishes nine events with routing keys `<region>.<country>.<kind>` (an express order has a fourth word). In the
 * starter the binding keys are plain words that match no key, so every team gets nothing. The learner writes the
 * patterns.
 *
 * The check judges the run, never the source:
 * - the feed (connection `events`) published its events;
 * - each team (the consumers of the connection named after it) handled exactly its events, each once: refunds every
 *   key whose third word is `refund`, eu-sales every key starting `eu.` whose third word is `order`, us-all every key
 *   starting `us.`; the first failure names the team, what it missed or got too, and its binding keys.
 * The same files run unchanged on a real RabbitMQ (`node team.mjs refunds`, … each in its own terminal, then
 * `node events.mjs`).
 */
import teamStarter from './10-routing/team.starter.mjs?raw';
import teamSolution from './10-routing/team.solution.mjs?raw';
import eventsCode from './10-routing/events.mjs?raw';
import { capitalize, factsOfRun, fail, isVerdict, list, plural } from './check-kit.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';

/** Each team, by connection name, and which routing keys it must get. */
export const TEAMS: ReadonlyArray<{ name: string; wants: (words: string[]) => boolean }> = [
  { name: 'refunds', wants: (w) => w[2] === 'refund' },
  { name: 'eu-sales', wants: (w) => w[0] === 'eu' && w[2] === 'order' },
  { name: 'us-all', wants: (w) => w[0] === 'us' },
];

export const routingExercise: ExerciseDefinition = {
  id: '10-routing',
  lessonSlug: '10-routing',
  title: 'Exercise: each team gets exactly its events',
  instructions: [
    'The shop\'s feed publishes nine events to the topic exchange `ex10.shop-events`. Their routing keys read '
      + '`<region>.<country>.<kind>`, such as `eu.fr.order` or `us.ca.refund`; an express order has a fourth word: '
      + '`eu.fr.order.express`.',
    'Three teams each bind a queue of their own: **refunds** wants every refund, wherever it happens; **eu-sales** '
      + 'wants every order placed in Europe, express orders included; **us-all** wants every event from the US. '
      + 'Press **Run**: nobody gets anything.',
    'Change the binding keys in `BINDINGS` (in `team.mjs`) so that each team receives exactly its events, each once, '
      + 'and nothing else. Keep the team names: the check knows each team by its connection name.',
  ],
  language: 'js',
  starterCode: teamStarter,
  solutionCode: teamSolution,
  fileName: 'team.mjs',
  files: [
    { name: 'team.mjs', starter: teamStarter, solution: teamSolution },
    { name: 'events.mjs', starter: eventsCode, solution: eventsCode },
  ],
  runLine: '"team.mjs refunds" "team.mjs eu-sales" "team.mjs us-all" events.mjs',
  hints: [
    'A topic exchange compares the binding key with the routing key word by word. How many words does '
      + '`eu.fr.order` have, and how many does the binding key `eu.order`?',
    '`*` stands for exactly one word, `#` for any number of words, none included. Which word of the key says the '
      + 'kind of event, and which the region?',
    'One pattern per team is enough: refunds `*.*.refund`, us-all `us.#`. For eu-sales, `eu.*.order` misses the '
      + 'express orders: what can follow `order`?',
  ],
  run: { seed: 1, untilMs: 60_000 },
  check: checkRoutingRun,
};

/** `eu.fr.order`, `"eu.fr.order" and "us.ny.order"` for sentences. */
const keyList = (keys: readonly string[]) => list(keys.map((k) => `\`${k}\``), 4);

/**
 * Judges a run of the exercise's four processes: passes when each team handled exactly the events it wants, each
 * once.
 */
export function checkRoutingRun(run: unknown): CheckResult {
  const facts = factsOfRun(run, 'the teams\' events');
  if (isVerdict(facts)) return facts;

  const feed = new Set([...facts.connections.values()].filter((c) => c.label === 'events').map((c) => c.id));
  const events = [...facts.messages.values()].filter((m) => feed.has(m.connection));
  if (events.length === 0) {
    return fail('The feed published no event in this run.',
      'Leave `events.mjs` as it is: it publishes nine events, and the check knows it by its connection name `events`.');
  }

  const verdicts: CheckResult[] = [];
  for (const team of TEAMS) {
    const connections = new Set([...facts.connections.values()].filter((c) => c.label === team.name).map((c) => c.id));
    if (connections.size === 0) {
      return fail(`No connection named "${team.name}" took part in the run, so the check cannot tell what it received.`,
        'Keep `connection_name: team` in team.mjs: the run line starts it as refunds, eu-sales and us-all.');
    }
    const queues = [...new Set(facts.consumers.filter((c) => connections.has(c.connection)).map((c) => c.queue))];
    if (queues.length === 0) return fail(`${capitalize(team.name)} never consumed from any queue.`);
    const keys = [...new Set(facts.bindings.filter((b) => queues.includes(b.queue)).map((b) => b.routingKey))];
    const bound = keys.length === 0 ? 'its queue is not bound to any exchange'
      : `its queue is bound with ${keys.length === 1 ? 'the key' : 'the keys'} ${keyList(keys)}`;
    const handledCount = (msgId: string) => facts.deliveries.filter((d) => d.msgId === msgId
      && connections.has(d.connection) && (d.settled === 'ack' || d.settled === 'auto')).length;
    const wanted = events.filter((m) => team.wants(m.routingKey.split('.')));
    const missed = wanted.filter((m) => handledCount(m.msgId) === 0).map((m) => m.routingKey);
    const extra = events.filter((m) => !team.wants(m.routingKey.split('.')) && handledCount(m.msgId) > 0).map((m) => m.routingKey);
    const twice = events.filter((m) => handledCount(m.msgId) > 1).map((m) => m.routingKey);
    if (missed.length === wanted.length && wanted.length > 0) {
      verdicts.push(fail(`${capitalize(team.name)} received none of its ${plural(wanted.length, 'event')} `
        + `(${keyList(missed)}): ${bound}, which ${keys.length === 1 ? 'matches' : 'match'} none of them.`));
    } else if (missed.length > 0) {
      verdicts.push(fail(`${capitalize(team.name)} missed ${keyList(missed)}: ${bound}, which `
        + `${keys.length === 1 ? 'does' : 'do'} not match ${missed.length === 1 ? 'it' : 'them'}.`));
    } else if (extra.length > 0) {
      verdicts.push(fail(`${capitalize(team.name)} also received ${keyList(extra)}, which it does not want: ${bound}, `
        + `which ${keys.length === 1 ? 'matches' : 'match'} ${extra.length === 1 ? 'it' : 'them'} too.`));
    } else if (twice.length > 0) {
      verdicts.push(fail(`${capitalize(team.name)} received ${keyList(twice)} more than once: each event should `
        + 'reach a team once.', 'A queue gets one copy of a message however many of its bindings match; two '
        + 'queues get two.'));
    }
  }
  if (verdicts.length > 0) {
    const [first, ...others] = verdicts;
    const more = others.length === 0 ? [] : [`${capitalize(plural(others.length, 'more team'))} did not get exactly `
      + `${others.length === 1 ? 'its' : 'their'} events either.`];
    return { passed: false, messages: [...first.messages, ...more] };
  }
  const nobody = events.filter((m) => !TEAMS.some((t) => t.wants(m.routingKey.split('.')))).map((m) => m.routingKey);
  return {
    passed: true,
    messages: [
      'Each team received exactly its events, each once: refunds every refund, eu-sales every European order '
        + '(express ones too), us-all every US event.',
      nobody.length === 0 ? 'Every event reached at least one team.'
        : `${capitalize(keyList(nobody))} matched no binding and was dropped: no team asked for it.`,
    ],
  };
}
