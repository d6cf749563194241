/**
 * Exercise 2 (lesson `02-message-anatomy`): publish what the consumer needs.
 *
 * A shop publishes five orders to the `invoice-requests` queue, then re-sends order 503 (it could not tell whether
 * the first copy got through). The invoicing service in the same program reads, before it touches a body: the
 * content type (only `application/json`), the message id (to skip a copy it has already invoiced), the correlation
 * id (the checkout the invoice answers) and a custom `region` header (which ledger books the order). The starter
 * publishes bare bodies, so the service refuses every message.
 *
 * The check judges the run, not the source text: the properties and headers of each message as the broker
 * recorded them (the `message-properties` trace entries, through `amqpFacts`), and the lines the invoicing service
 * printed. It passes when every message carries `contentType: 'application/json'`, a message id that names its
 * order (the same on both copies of order 503, different between orders), the order's checkout id as correlation
 * id and the order's region as the `region` header, and the service invoiced each order exactly once and skipped
 * the re-sent copy. A failing verdict first says what happened in the run (how many orders were invoiced, what the
 * broker recorded on the messages), naming the first thing the service stumbled on, in the order it checks them.
 *
 * The same program runs unchanged on a real RabbitMQ (`AMQP_URL=amqp://localhost node solution.mjs`) and prints the
 * same lines. Sources: the AMQP 0-9-1 basic properties (https://www.rabbitmq.com/amqp-0-9-1-reference#class.basic)
 * and RabbitMQ's publishers guide, "Message Properties" (https://www.rabbitmq.com/docs/publishers#message-properties).
 */
import starterCode from './02-message-anatomy/starter.mjs?raw';
import solutionCode from './02-message-anatomy/solution.mjs?raw';
import type { MessageFact } from '../../simulator/brokers/amqp/queries.ts';
import { factsOfRun, fail, isVerdict } from './check-kit.ts';
import type { CheckResult, ExerciseDefinition } from './types.ts';

/** The queue the shop publishes to. */
export const INVOICE_QUEUE = 'invoice-requests';

/** The shop's orders: id → the checkout it came from and its region (as in the program). */
export const INVOICE_ORDERS: ReadonlyArray<{ orderId: number; checkoutId: string; region: string }> = [
  { orderId: 501, checkoutId: 'checkout-9f2c', region: 'eu' },
  { orderId: 502, checkoutId: 'checkout-a771', region: 'us' },
  { orderId: 503, checkoutId: 'checkout-b03e', region: 'eu' },
  { orderId: 504, checkoutId: 'checkout-c4d8', region: 'us' },
  { orderId: 505, checkoutId: 'checkout-d912', region: 'eu' },
];

/** The order the shop sends twice. */
export const RESENT_ORDER = 503;

const JSON_TYPE = 'application/json';
const INVOICED_LINE = /\binvoiced order (\d+)\b/;
const SKIPPED_LINE = /\bskipped \S+, already invoiced\b/;
const REFUSED_LINE = /\brefused a message\b/;
const HINT_POINTER = 'Press **Show a hint** if you would like a nudge.';

export const messageAnatomyExercise: ExerciseDefinition = {
  id: '02-message-anatomy',
  lessonSlug: '02-message-anatomy',
  title: 'Exercise: everything the consumer needs',
  instructions: [
    'The program below is a shop and its invoicing service. The shop publishes five orders to the '
      + '`invoice-requests` queue; because its network hiccups, it then sends order 503 a second time. The '
      + 'invoicing service takes the messages from the queue and books an invoice for each order.',
    'Run it and read the console: the invoicing service refuses every message. Before it even opens a body it '
      + 'looks at what the message says about itself, and the shop tells it nothing.',
    'Change the shop\'s `publishOrder` so that every order is invoiced exactly once, in the right ledger and '
      + 'under the right checkout, and the re-sent copy of order 503 is recognised and skipped. Leave the invoicing '
      + 'service, the five orders and the re-send as they are. **Check** judges what the broker recorded on each '
      + 'message and what the invoicing service printed.',
  ],
  language: 'js',
  fileName: 'invoicing.mjs',
  starterCode,
  solutionCode,
  hints: [
    'Read the reasons the invoicing service prints. Everything it asks for travels next to the body, not inside '
      + 'it: in the options object you can pass to `channel.sendToQueue(queue, body, options)`.',
    'Each standard property has its own option in amqplib: `contentType`, `messageId`, `correlationId`, … A value '
      + 'of your own, such as the region, goes inside `headers: { … }`: amqplib silently leaves out options it does '
      + 'not know.',
    'Derive the message id from the order (for example `order-${order.orderId}`), not from the moment of sending: '
      + 'then both copies of order 503 carry the same id. The correlation id is the order\'s `checkoutId`, and the '
      + 'header is `region: order.region`.',
  ],
  run: { seed: 1, untilMs: 60_000 },
  check: checkMessageAnatomyRun,
};

interface OrderMessage {
  orderId: number;
  message: MessageFact;
}

/** Judges a run of the exercise program (see the module doc). Never throws. */
export function checkMessageAnatomyRun(run: unknown): CheckResult {
  const facts = factsOfRun(run, 'the orders');
  if (isVerdict(facts)) return facts;

  // The orders: messages that reached the queue, known by the orderId in their body.
  const sent: OrderMessage[] = [];
  for (const message of facts.messages.values()) {
    if (!message.queues.includes(INVOICE_QUEUE)) continue;
    const match = /"orderId"\s*:\s*(\d+)/.exec(message.body ?? message.preview);
    if (match) sent.push({ orderId: Number(match[1]), message });
  }
  if (sent.length === 0) {
    return fail(`No order reached the \`${INVOICE_QUEUE}\` queue, so the invoicing service had nothing to invoice.`,
      'Keep publishing the orders to that queue, with their JSON bodies as they are (Reset restores them).');
  }
  const expected = [...INVOICE_ORDERS.map((o) => o.orderId), RESENT_ORDER].sort((a, b) => a - b);
  const got = sent.map((s) => s.orderId).sort((a, b) => a - b);
  if (got.join() !== expected.join()) {
    return fail(`The shop should publish ${expected.length} messages: orders 501 to 505, then order ${RESENT_ORDER} `
      + `a second time. This run published ${plural(sent.length, 'order message')} to \`${INVOICE_QUEUE}\`: `
      + `${got.join(', ')}.`,
      'Leave the orders, the loop that publishes them and the re-send as they are; change only what each message '
        + 'carries.');
  }

  // What the invoicing service printed.
  const lines = facts.lines.map((l) => l.text);
  const invoicedLines = lines.map((l) => INVOICED_LINE.exec(l)).filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]));
  const invoicedOnce = new Set(invoicedLines);
  const refused = lines.filter((l) => REFUSED_LINE.test(l)).length;
  const skipped = lines.filter((l) => SKIPPED_LINE.test(l)).length;
  const outcome = `The invoicing service invoiced ${invoicedOnce.size} of the ${INVOICE_ORDERS.length} orders`
    + (refused > 0 ? ` and refused ${refused} of the ${sent.length} messages.` : '.');

  const problem = firstProblem(sent);
  if (problem !== undefined) return fail(outcome, ...problem);

  // The messages carry everything: the service's own lines must show it used them.
  const twice = [...invoicedOnce].filter((id) => invoicedLines.filter((x) => x === id).length > 1);
  const missing = INVOICE_ORDERS.map((o) => o.orderId).filter((id) => !invoicedOnce.has(id));
  if (missing.length > 0 || twice.length > 0 || skipped !== 1) {
    const what = missing.length > 0 ? `it printed no \`invoiced order …\` line for ${listIds(missing)}`
      : twice.length > 0 ? `it printed \`invoiced order …\` more than once for ${listIds(twice)}`
        : `it printed ${skipped === 0 ? 'no' : String(skipped)} \`skipped …, already invoiced\` line${skipped === 1 ? '' : 's'} instead of one`;
    return fail(`Every message carried what the invoicing service needs, but ${what}.`,
      'The check reads the invoicing service\'s lines: leave that part of the program as it is (Reset shows the '
        + 'original).');
  }

  return {
    passed: true,
    messages: [
      `All ${INVOICE_ORDERS.length} orders were invoiced exactly once, each in its region's ledger and under its checkout.`,
      `Every message said what its body is (\`${JSON_TYPE}\`) and which order it is; the re-sent copy of order `
        + `${RESENT_ORDER} carried the same message id as the first (\`${idOf(sent, RESENT_ORDER)}\`), so the `
        + 'invoicing service recognised it and skipped it.',
    ],
  };
}

/**
 * The first requirement the messages miss, in the order the invoicing service checks them (content type, message
 * id, correlation id, region header), as sentences about the run; undefined when every message has everything.
 */
function firstProblem(sent: OrderMessage[]): string[] | undefined {
  const n = sent.length;
  const orderOf = new Map(INVOICE_ORDERS.map((o) => [o.orderId, o]));

  // 1. Content type.
  const untyped = sent.filter((s) => s.message.properties.contentType === undefined);
  const mistyped = sent.filter((s) => s.message.properties.contentType !== undefined
    && s.message.properties.contentType !== JSON_TYPE);
  if (untyped.length === n) {
    return ['The broker recorded no content type on any of the messages, so the invoicing service could not tell '
      + 'how to read their bodies and opened none of them.', HINT_POINTER];
  }
  if (untyped.length > 0 || mistyped.length > 0) {
    const types = [...new Set(mistyped.map((s) => s.message.properties.contentType))].map((t) => `\`${t}\``);
    return [[
      untyped.length > 0 ? `${untyped.length} of the ${n} messages carried no content type.` : '',
      mistyped.length > 0 ? `${mistyped.length} carried the content type ${types.join(', ')}; the invoicing `
        + `service reads only \`${JSON_TYPE}\` bodies, which is what the shop sends.` : '',
    ].filter(Boolean).join(' ')];
  }

  // 2. Message id: present, the same on both copies of the re-sent order, different between orders.
  const noId = sent.filter((s) => !s.message.properties.messageId);
  if (noId.length > 0) {
    return [`${noId.length === n ? 'None' : `${n - noId.length}`} of the ${n} messages carried a message id`
      + `${noId.length === n ? '' : ` (orders without one: ${listIds(unique(noId.map((s) => s.orderId)))})`}, so the `
      + `invoicing service cannot tell a re-sent copy from a new order.`,
    ...(noId.length === n ? [HINT_POINTER] : [])];
  }
  const byId = new Map<string, number[]>();
  for (const s of sent) {
    const id = s.message.properties.messageId;
    byId.set(id, unique([...(byId.get(id) ?? []), s.orderId]));
  }
  const shared = [...byId].find(([, ids]) => ids.length > 1);
  if (shared !== undefined) {
    return [`Orders ${listIds(shared[1])} ${shared[1].length === 2 ? 'both' : 'all'} carried the message id `
      + `\`${shared[0]}\`: once one of them is invoiced, the invoicing service takes the others for copies of it `
      + 'and skips them.',
    'Each order needs a message id of its own.'];
  }

  const copies = sent.filter((s) => s.orderId === RESENT_ORDER).map((s) => s.message.properties.messageId);
  if (new Set(copies).size > 1) {
    return [`Order ${RESENT_ORDER} was sent twice with two different message ids `
      + `(${copies.map((id) => `\`${id}\``).join(' and ')}), so the invoicing service takes the second copy for a `
      + 'new order and invoices the order twice.',
    'A message id should name the message, so that a copy sent again carries the same one.'];
  }

  // 3. Correlation id: the checkout each order came from.
  const noCorrelation = sent.filter((s) => !s.message.properties.correlationId);
  if (noCorrelation.length > 0) {
    return [`${noCorrelation.length === n ? 'No message' : `${plural(noCorrelation.length, 'message')} (orders `
      + `${listIds(unique(noCorrelation.map((s) => s.orderId)))})`} carried a correlation id, so the invoicing `
      + 'service cannot say which checkout an invoice is for.'];
  }
  const wrongCorrelation = sent.find((s) => s.message.properties.correlationId !== orderOf.get(s.orderId)?.checkoutId);
  if (wrongCorrelation !== undefined) {
    return [`Order ${wrongCorrelation.orderId} carried the correlation id \`${wrongCorrelation.message.properties.correlationId}\`, `
      + `but it came from checkout \`${orderOf.get(wrongCorrelation.orderId)?.checkoutId}\`: its invoice would be `
      + 'filed under a checkout that never asked for it.'];
  }

  // 4. The region header.
  const noRegion = sent.filter((s) => s.message.headers.region === undefined);
  if (noRegion.length > 0) {
    const recorded = unique(sent.flatMap((s) => Object.keys(s.message.headers)));
    return [`${noRegion.length === n ? 'No message' : `${plural(noRegion.length, 'message')} (orders `
      + `${listIds(unique(noRegion.map((s) => s.orderId)))})`} carried a \`region\` header, so the invoicing service `
      + 'could not choose a ledger. '
      + (recorded.length === 0 ? 'The broker recorded no headers at all on the messages.'
        : `The headers the broker recorded: ${recorded.map((h) => `\`${h}\``).join(', ')}.`)];
  }
  const wrongRegion = sent.find((s) => s.message.headers.region !== orderOf.get(s.orderId)?.region);
  if (wrongRegion !== undefined) {
    return [`Order ${wrongRegion.orderId} carried the region header \`${wrongRegion.message.headers.region}\`, but it `
      + `is an order of region \`${orderOf.get(wrongRegion.orderId)?.region}\`: it would be booked in the wrong `
      + 'ledger, or in none.'];
  }
  return undefined;
}

function idOf(sent: OrderMessage[], orderId: number): string {
  return sent.find((s) => s.orderId === orderId)?.message.properties.messageId ?? '';
}


function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `501, 502 and 503`. */
function listIds(ids: number[]): string {
  const sorted = [...ids].sort((a, b) => a - b).map(String);
  return sorted.length <= 1 ? sorted.join('') : `${sorted.slice(0, -1).join(', ')} and ${sorted[sorted.length - 1]}`;
}
