/**
 * The check of exercise 1 on hand-built traces: it must pass only a run where all 20 orders are acknowledged and
 * worker 2's crash was survived, and fail every other run (garbage, errors, noAck, lost orders, no crash) with a
 * message that says why.
 */
import { describe, expect, it } from 'vitest';
import { checkWorkQueueRun, ORDER_COUNT } from '../../../content/exercises/01-work-queue.ts';
import type { TraceEvent, TraceEventInput } from '../../../simulator/trace.ts';

interface Scenario {
  noAck?: boolean;
  orders?: number;
  /** Worker 2's connection closes at this time with whatever it has not acked. */
  crashAtMs?: number | null;
  /** Worker 2 acks each order as soon as it arrives (before the work). */
  ackOnArrival?: boolean;
  /** Orders (1-based) nobody acks. */
  neverAcked?: number[];
}

/**
 * A compact run of the exercise: 3 workers (c1..c3, channel cN.ch1) and the shop (c4); orders are delivered
 * round-robin at t=10; each worker ships one order per 200 ms and acks it (unless noAck).
 */
function buildRun({ noAck = false, orders = ORDER_COUNT, crashAtMs = 500, ackOnArrival = false, neverAcked = [] }:
  Scenario = {}) {
  const trace: TraceEvent[] = [];
  const at = (t: number, e: TraceEventInput) => trace.push({ t, ...e } as TraceEvent);
  for (const n of [1, 2, 3]) {
    at(0, { kind: 'connection-opened', connection: `c${n}`, label: `worker ${n}` });
    at(1, { kind: 'channel-opened', channel: `c${n}.ch1`, connection: `c${n}` });
    at(2, { kind: 'consumer-added', queue: 'orders', consumerTag: `ctag-${n}`, channel: `c${n}.ch1`, noAck, prefetch: 0 });
  }
  at(3, { kind: 'connection-opened', connection: 'c4', label: 'shop' });
  at(3, { kind: 'channel-opened', channel: 'c4.ch1', connection: 'c4' });
  const events: { t: number; e: TraceEventInput }[] = [];
  const queues: number[][] = [[], [], []];
  for (let i = 1; i <= orders; i++) {
    at(5, { kind: 'published', msgId: `m${i}`, channel: 'c4.ch1', exchange: '', routingKey: 'orders',
      preview: `{"id":${i}}`, arriveAtMs: 6 });
    at(6, { kind: 'enqueued', msgId: `m${i}`, queue: 'orders', depth: i });
    queues[(i - 1) % 3].push(i);
  }
  const tags = [0, 0, 0];
  const requeued: number[] = [];
  queues.forEach((ids, w) => {
    ids.forEach((id, k) => {
      const channel = `c${w + 1}.ch1`;
      const tag = ++tags[w];
      events.push({ t: 10, e: { kind: 'delivered', msgId: `m${id}`, queue: 'orders', channel, consumerTag: `ctag-${w + 1}`,
        deliveryTag: tag, redelivered: false, arriveAtMs: 11 } });
      const workDoneAt = 10 + 200 * (k + 1);
      const doneAt = ackOnArrival && w === 1 ? 12 : workDoneAt;
      const crashed = w === 1 && crashAtMs !== null && doneAt > crashAtMs;
      const diedMidWork = w === 1 && crashAtMs !== null && workDoneAt > crashAtMs;
      if (!diedMidWork) {
        events.push({ t: workDoneAt - 1, e: { kind: 'console', level: 'log', text: `worker ${w + 1} shipped order #${id}` } });
      }
      if (crashed) requeued.push(id);
      else if (!noAck && !neverAcked.includes(id)) {
        events.push({ t: doneAt, e: { kind: 'acked', msgId: `m${id}`, queue: 'orders', channel, deliveryTag: tag,
          sentAtMs: doneAt - 1 } });
      }
    });
  });
  if (crashAtMs !== null) {
    events.push({ t: crashAtMs, e: { kind: 'connection-closed', connection: 'c2' } });
    if (!noAck) {
      requeued.forEach((id, k) => {
        const w = k % 2 === 0 ? 0 : 2;
        const channel = `c${w + 1}.ch1`;
        const tag = ++tags[w];
        const t = 1500 + 200 * k;
        events.push({ t: crashAtMs + 1, e: { kind: 'requeued', msgId: `m${id}`, queue: 'orders', depth: k + 1 } });
        events.push({ t, e: { kind: 'delivered', msgId: `m${id}`, queue: 'orders', channel, consumerTag: `ctag-${w + 1}`,
          deliveryTag: tag, redelivered: true, arriveAtMs: t + 1 } });
        events.push({ t: t + 199, e: { kind: 'console', level: 'log', text: `worker ${w + 1} shipped order #${id}` } });
        events.push({ t: t + 200, e: { kind: 'acked', msgId: `m${id}`, queue: 'orders', channel, deliveryTag: tag,
          sentAtMs: t + 199 } });
      });
    }
  }
  events.push({ t: 4100, e: { kind: 'connection-closed', connection: 'c1' } });
  if (crashAtMs === null) events.push({ t: 4101, e: { kind: 'connection-closed', connection: 'c2' } });
  events.push({ t: 4102, e: { kind: 'connection-closed', connection: 'c3' } });
  events.push({ t: 4103, e: { kind: 'connection-closed', connection: 'c4' } });
  events.sort((a, b) => a.t - b.t).forEach(({ t, e }) => at(t, e));
  return { status: 'completed' as const, endedAtMs: 4103, trace, console: [] };
}

describe('exercise 1 check on hand-built traces', () => {
  it('passes when every order is acked and worker 2 crashed holding orders that were redelivered', () => {
    const verdict = checkWorkQueueRun(buildRun());
    expect(verdict.messages.join(' ')).toMatch(/All 20 orders/);
    expect(verdict.passed).toBe(true);
    expect(verdict.messages[1]).toMatch(/^Worker 2 crashed holding \d+ unacknowledged orders? \(#\d+/);
  });

  it('fails a noAck run naming the orders that were never shipped and those worker 2 died holding', () => {
    const verdict = checkWorkQueueRun(buildRun({ noAck: true }));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('5 of the 20 orders were never shipped: #8, #11, #14, #17, #20.');
    expect(verdict.messages[1]).toMatch(/^Worker 2 crashed\. It had received 7 orders \(#2, #5, #8, #11, #14, #17, #20\) and had not shipped these yet: #8, #11, #14, #17, #20\./);
    expect(verdict.messages[2]).toMatch(/Show a hint/);
  });

  it('fails a noAck run without a crash: everything was shipped but nothing acknowledged', () => {
    const verdict = checkWorkQueueRun(buildRun({ noAck: true, crashAtMs: null }));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^Every order was shipped in this run, but .*no order was acknowledged/);
  });

  it('fails when an order is never acknowledged and names it', () => {
    const verdict = checkWorkQueueRun(buildRun({ neverAcked: [4] }));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('1 order was never acknowledged: #4. As far as the broker knows, it was never shipped.');
  });

  it('fails when the crash was removed (all connections close only at the end)', () => {
    const verdict = checkWorkQueueRun(buildRun({ crashAtMs: null }));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages.join(' ')).toMatch(/No worker crashed/);
  });

  it('fails when worker 2 acks orders on arrival: the orders it had not finished were never shipped', () => {
    const verdict = checkWorkQueueRun(buildRun({ ackOnArrival: true }));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('5 orders were acknowledged but never shipped: #8, #11, #14, #17, #20.');
    expect(verdict.messages[1]).toMatch(/after the order is shipped, not when it arrives/);
  });

  it('fails when every order was shipped but some were acknowledged before the work was done', () => {
    const run = buildRun();
    // Move the ack of order #1 before its shipped line (acked on arrival, shipped later, no crash in between).
    const ack = run.trace.find((e) => e.kind === 'acked' && e.msgId === 'm1');
    if (ack?.kind !== 'acked') throw new Error('fixture has no ack of m1');
    ack.sentAtMs = 11;
    const verdict = checkWorkQueueRun(run);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('Every order was shipped, but 1 order (#1) was acknowledged before it was shipped.');
  });

  it('fails a run that acks everything but never prints a shipped line', () => {
    const run = buildRun();
    run.trace = run.trace.filter((e) => e.kind !== 'console');
    const verdict = checkWorkQueueRun(run);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/no `shipped order #…` line was printed/);
  });

  it('fails when the shop publishes another number of orders', () => {
    const verdict = checkWorkQueueRun(buildRun({ orders: 12 }));
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The shop should publish 20 orders, but 12 reached the queue.');
  });

  it('fails a run that stopped with a program error and names the line', () => {
    const run = { ...buildRun(), status: 'error', error: { name: 'TypeError', message: 'x is not a function', line: 7 } };
    const verdict = checkWorkQueueRun(run);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toBe('The program stopped with TypeError: x is not a function (line 7) before the '
      + 'orders could be judged.');
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'not a run'],
    ['an object without trace', { status: 'completed' }],
    ['a trace that is not an array', { status: 'completed', trace: 'x' }],
  ])('fails %s with a message asking for a run', (_label, input) => {
    const verdict = checkWorkQueueRun(input);
    expect(verdict).toEqual({ passed: false, messages: [expect.stringMatching(/no run to check/)] });
  });

  it('fails an empty trace saying the program never talked to the broker', () => {
    const verdict = checkWorkQueueRun({ status: 'completed', endedAtMs: 0, trace: [], console: [] });
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/recorded nothing/);
  });

  it('ignores garbage entries inside the trace instead of throwing', () => {
    const verdict = checkWorkQueueRun({ status: 'completed', trace: [null, 42, { kind: 7 }, { t: 'x' }], console: [] });
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/recorded nothing/);
  });
});
