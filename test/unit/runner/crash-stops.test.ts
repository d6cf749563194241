import { describe, expect, it } from 'vitest';
import { executeProgram } from '../../../simulator/runner/execute-program.ts';
import { runProgram } from '../../../simulator/runner/run-program.ts';

const texts = (result: { console: { text: string }[] }) => result.console.map((line) => line.text);

/** The QA repro: the 3rd of 5 messages is not JSON; the async consumer throws before its 50 ms await. */
const POISON_MESSAGE = `
const amqp = require('amqplib');
const conn = await amqp.connect('amqp://localhost');
const ch = await conn.createChannel();
await ch.assertQueue('jobs');
for (const body of ['{"n":1}', '{"n":2}', 'oops', '{"n":4}', '{"n":5}']) ch.sendToQueue('jobs', Buffer.from(body));
await ch.consume('jobs', async (msg) => {
  const job = JSON.parse(msg.content.toString());
  await new Promise((resolve) => setTimeout(resolve, 50));
  console.log('done', job.n);
  ch.ack(msg);
});
`;

describe('runner: a crash ends the program where Node would', () => {
  it('stops at the first unhandled rejection of an async consumer: no "done" line printed after it', async () => {
    const result = await runProgram(POISON_MESSAGE);
    expect(result.status).toBe('error');
    expect(result.error?.name).toBe('SyntaxError');
    expect(texts(result).filter((text) => text.startsWith('done'))).toEqual([]);
  });

  it('stops on Promise.reject before a 100 ms timer fires', async () => {
    const result = await runProgram(`Promise.reject(new Error('boom')); setTimeout(() => console.log('later'), 100);`);
    expect(result.status).toBe('error');
    expect(result.error?.message).toBe('boom');
    expect(texts(result)).toEqual([]);
    expect(result.endedAtMs).toBe(0);
  });

  it('runs no learner catch after an engine step threw (the step\'s crash is the end of the program)', async () => {
    const result = await executeProgram(`
      const lib = require('crashy');
      try { await lib.crashSoon(); } catch (error) { console.log('caught', error.message); }
    `, {}, (engine, _options, observe) => {
      const api = observe({
        engine,
        later(action: () => void) { engine.schedule(10, action); },
      });
      return {
        crashy: {
          crashSoon: () => new Promise((_resolve, reject) => {
            api.later(() => {
              reject(new Error('call failed'));
              throw new Error('Unhandled error event: connection lost');
            });
          }),
        },
      };
    });
    expect(result.status).toBe('error');
    expect(result.error?.message).toBe('Unhandled error event: connection lost');
    expect(texts(result)).toEqual([]);
  });

  it('leaves the result as it was at the crash: a learner catch that runs afterwards adds no trace event', async () => {
    let recordAfterCrash: (() => void) | undefined;
    const result = await executeProgram(`
      const lib = require('crashy');
      try { await lib.crashSoon(); } catch (error) { lib.record(); }
    `, {}, (engine, _options, observe) => {
      const api = observe({ engine, later(action: () => void) { engine.schedule(10, action); } });
      recordAfterCrash = () => engine.record({ kind: 'console', level: 'log', text: 'after the crash' });
      return {
        crashy: {
          record: () => recordAfterCrash?.(),
          crashSoon: () => new Promise((_resolve, reject) => {
            api.later(() => {
              reject(new Error('call failed'));
              throw new Error('connection lost');
            });
          }),
        },
      };
    });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(result.status).toBe('error');
    expect(result.trace.some((e) => e.kind === 'console' && e.text === 'after the crash')).toBe(false);
  });
});
