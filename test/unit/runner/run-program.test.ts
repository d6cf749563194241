import { describe, expect, it } from 'vitest';
import { runProgram } from '../../../simulator/runner/run-program.ts';

const texts = (result: { console: { text: string }[] }) => result.console.map((line) => line.text);

describe('runProgram: virtual time', () => {
  it('runs timers in simulated time: a one-hour setTimeout ends the run at 3,600,000 ms without waiting an hour', async () => {
    // Behaviour, not speed: with real timers this run would take an hour; the bound only rules that out.
    const started = performance.now();
    const result = await runProgram(`
      console.log('start');
      await new Promise((resolve) => setTimeout(resolve, 2000));
      console.log('after 2 s');
      await new Promise((resolve) => setTimeout(resolve, 3_598_000));
      console.log('after an hour');
    `, { untilMs: 4_000_000 });
    const wallMs = performance.now() - started;
    expect(result.status).toBe('completed');
    expect(result.endedAtMs).toBe(3_600_000);
    expect(result.console).toEqual([
      { t: 0, level: 'log', text: 'start' },
      { t: 2000, level: 'log', text: 'after 2 s' },
      { t: 3_600_000, level: 'log', text: 'after an hour' },
    ]);
    expect(wallMs).toBeLessThan(60_000);
  });

  it('fires setInterval every period until clearInterval', async () => {
    const result = await runProgram(`
      let n = 0;
      const timer = setInterval(() => {
        n += 1;
        console.log('tick', n);
        if (n === 3) clearInterval(timer);
      }, 250);
    `);
    expect(result.status).toBe('completed');
    expect(result.console.map((l) => [l.t, l.text])).toEqual([
      [250, 'tick 1'],
      [500, 'tick 2'],
      [750, 'tick 3'],
    ]);
  });

  it('passes extra arguments, treats a 0 ms delay as 1 ms like Node, and runs setImmediate first', async () => {
    const result = await runProgram(`
      setTimeout((a, b) => console.log('timeout', a, b, Date.now() - start), 0, 'x', 2);
      setImmediate(() => console.log('immediate', Date.now() - start));
      const start = Date.now();
    `);
    expect(texts(result)).toEqual(['immediate 0', 'timeout x 2 1']);
  });

  it('supports clearTimeout with the numeric id and timers/promises', async () => {
    const result = await runProgram(`
      import { setTimeout as sleep } from 'node:timers/promises';
      const t = setTimeout(() => console.log('never'), 100);
      clearTimeout(+t);
      const value = await sleep(1500, 'slept');
      console.log(value, performance.now());
    `);
    expect(texts(result)).toEqual(['slept 1500']);
  });

  it('stops at untilMs with status time-limit when events are still pending', async () => {
    const result = await runProgram(`setInterval(() => console.log('tick'), 1000);`, { untilMs: 3500 });
    expect(result.status).toBe('time-limit');
    expect(result.endedAtMs).toBe(3500);
    expect(texts(result)).toEqual(['tick', 'tick', 'tick']);
  });

  it('gives Date and Math.random values from the simulated clock and the seed', async () => {
    const source = `
      await new Promise((r) => setTimeout(r, 1234));
      console.log(new Date().toISOString(), Date.now(), typeof Date());
      console.log(Math.random(), crypto.randomUUID());
    `;
    const a = await runProgram(source, { seed: 7 });
    const b = await runProgram(source, { seed: 7 });
    const c = await runProgram(source, { seed: 8 });
    expect(texts(a)[0]).toBe(`2025-01-01T00:00:01.234Z ${Date.UTC(2025, 0, 1) + 1234} string`);
    expect(texts(a)).toEqual(texts(b));
    expect(texts(a)[1]).not.toBe(texts(c)[1]);
  });
});

describe('runProgram: console', () => {
  it('formats values like Node console.log and records console trace events', async () => {
    const result = await runProgram(`
      console.log({ queue: 'q', messageCount: 3, consumerCount: 0 });
      console.log('%s has %d items', 'list', 2, [1, 2]);
      console.info(Buffer.from('m1'));
      console.warn(new Map([['a', 1]]), new Set([1]));
      console.error(null, undefined, true);
      console.debug({ nested: { deeper: { deepest: { x: 1 } } } });
    `);
    expect(result.console.map((l) => [l.level, l.text])).toEqual([
      ['log', "{ queue: 'q', messageCount: 3, consumerCount: 0 }"],
      ['log', 'list has 2 items [ 1, 2 ]'],
      ['info', '<Buffer 6d 31>'],
      ['warn', "Map(1) { 'a' => 1 } Set(1) { 1 }"],
      ['error', 'null undefined true'],
      ['debug', '{ nested: { deeper: { deepest: [Object] } } }'],
    ]);
    const consoleEvents = result.trace.filter((e) => e.kind === 'console');
    expect(consoleEvents.map((e) => (e.kind === 'console' ? e.text : ''))).toEqual(texts(result));
  });

  it('streams lines to onConsole as they are printed', async () => {
    const streamed: string[] = [];
    await runProgram(`console.log('a'); setTimeout(() => console.log('b'), 10);`, {
      onConsole: (line) => streamed.push(`${line.t}:${line.text}`),
    });
    expect(streamed).toEqual(['0:a', '10:b']);
  });

  it('keeps the first consoleLinesMax lines and the last 50, with a notice of how many were left out between', async () => {
    const result = await runProgram(`for (let i = 0; i < 100; i++) console.log(i);`, { consoleLinesMax: 10 });
    expect(result.console).toHaveLength(61);
    expect(result.console[9].text).toBe('9');
    expect(result.console[10].level).toBe('warn');
    expect(result.console[10].text).toMatch(/40 lines left out here .*first 10 lines and the last 50/);
    expect(result.console[11].text).toBe('50');
    expect(result.console[60].text).toBe('99');
  });

  it('prints an error with its message and the learner frame, not simulator internals', async () => {
    const result = await runProgram(
      ['try {', "  null.x;", '} catch (err) {', '  console.log(err);', '}'].join('\n'),
      { filename: 'demo.js' },
    );
    const text = texts(result)[0];
    expect(text.split('\n')[0]).toMatch(/^TypeError: Cannot read properties of null/);
    expect(text).toContain('demo.js:2:');
    expect(text.split('\n').slice(1)).toEqual([expect.stringMatching(/^ {4}at demo\.js:2:\d+$/)]);
    expect(text).not.toMatch(/simulator|node_modules|node:internal/);
  });

  it('joins process.stdout.write chunks into lines', async () => {
    const result = await runProgram(`process.stdout.write('a'); process.stdout.write('b\\nc'); console.log('!');`);
    expect(texts(result)).toEqual(['ab', 'c!']);
  });
});

describe('runProgram: errors', () => {
  it('reports a syntax error with the learner line number', async () => {
    const result = await runProgram(['const a = 1;', 'const b = ;', 'console.log(a);'].join('\n'));
    expect(result.status).toBe('error');
    expect(result.error).toEqual({ name: 'SyntaxError', message: "Unexpected token ';'", line: 2, column: 11 });
    expect(result.console).toEqual([]);
    expect(result.trace.at(-1)).toMatchObject({ kind: 'program-error', line: 2 });
  });

  it('reports a runtime error thrown at top level with its line and column', async () => {
    const result = await runProgram(['console.log("before");', '', 'throw new RangeError("bad value");'].join('\n'));
    expect(result.status).toBe('error');
    expect(result.error).toEqual({ name: 'RangeError', message: 'bad value', line: 3, column: 7 });
    expect(texts(result)).toEqual(['before']);
  });

  it('reports a runtime error in TypeScript on the TypeScript line', async () => {
    const source = ['interface Job { id: number }', 'const job: Job = { id: 1 };', 'const x: any = undefined;', 'x.go();'].join('\n');
    const result = await runProgram(source, { filename: 'worker.ts' });
    expect(result.error).toMatchObject({ name: 'TypeError', line: 4 });
  });

  it('reports an error thrown inside a timer callback and stops the run', async () => {
    const result = await runProgram(
      ['setTimeout(() => {', '  throw new Error("in timer");', '}, 500);', "setTimeout(() => console.log('later'), 900);"].join('\n'),
    );
    expect(result.status).toBe('error');
    expect(result.endedAtMs).toBe(500);
    expect(result.error).toMatchObject({ message: 'in timer', line: 2 });
    expect(texts(result)).toEqual([]);
  });

  it('reports an unhandled rejection like Node (which exits on one)', async () => {
    const result = await runProgram(
      ['async function fail() {', '  throw new Error("nobody catches me");', '}', 'fail();', "setTimeout(() => console.log('later'), 100);"].join('\n'),
    );
    expect(result.status).toBe('error');
    expect(result.error).toMatchObject({ name: 'Error', message: 'nobody catches me', line: 2 });
    expect(texts(result)).toEqual([]);
  });

  it.each([
    ['a consume callback that throws', '(msg) => {\n  throw new Error("bad message");\n}'],
    ['an async consume callback that rejects', 'async (msg) => {\n  throw new Error("bad message");\n}'],
  ])('reports %s at the learner line', async (_what, callback) => {
    const source = [
      "const amqp = require('amqplib');",
      "const conn = await amqp.connect('amqp://localhost');",
      'const ch = await conn.createChannel();',
      "await ch.assertQueue('jobs');",
      "ch.sendToQueue('jobs', Buffer.from('x'));",
      `await ch.consume('jobs', ${callback});`,
    ].join('\n');
    const result = await runProgram(source);
    expect(result.status).toBe('error');
    expect(result.error).toMatchObject({ name: 'Error', message: 'bad message', line: 7 });
  });

  it('reports a rejection with a non-Error reason', async () => {
    const result = await runProgram(`Promise.reject('just a string');`);
    expect(result.error?.name).toBe('UnhandledPromiseRejection');
    expect(result.error?.message).toContain("'just a string'");
  });

  it('reports an unknown module like Node, on the import line', async () => {
    const result = await runProgram(['// a comment', "import express from 'express';"].join('\n'));
    expect(result.status).toBe('error');
    expect(result.error).toMatchObject({ name: 'Error', line: 2 });
    expect(result.error?.message).toMatch(/^Cannot find module 'express'/);
  });

  it('ends the run on process.exit: 0 completes, other codes are errors', async () => {
    const ok = await runProgram(`console.log('a'); process.exit(0); console.log('b');`);
    expect(ok.status).toBe('completed');
    expect(texts(ok)).toEqual(['a']);
    const bad = await runProgram(`setTimeout(() => process.exit(3), 50); setTimeout(() => console.log('no'), 60);`);
    expect(bad.status).toBe('error');
    expect(bad.endedAtMs).toBe(50);
    expect(bad.error).toEqual({ name: 'ProcessExit', message: 'process.exit(3) was called' });
  });

  it('ends with an error when the program set a non-zero process.exitCode, like Node', async () => {
    const result = await runProgram(`console.log('done'); process.exitCode = 2;`);
    expect(result.status).toBe('error');
    expect(result.error).toEqual({ name: 'ProcessExit', message: 'the program set process.exitCode = 2' });
  });

  it('turns a simulation limit into an error result', async () => {
    const result = await runProgram(`setInterval(() => {}, 1);`, { limits: { eventsMax: 100 } });
    expect(result.status).toBe('error');
    expect(result.error?.name).toBe('SimulationLimitError');
    expect(result.error?.message).toContain('eventsMax');
  });

  it('rejects invalid options with a clear error', async () => {
    await expect(runProgram('', { untilMs: -1 })).rejects.toThrow(/untilMs/);
    await expect(runProgram('', { consoleLinesMax: 1.5 })).rejects.toThrow(/consoleLinesMax/);
  });
});

describe('runProgram: modules and globals', () => {
  const amqpProgram = (importLine: string, connectExpr: string) =>
    [
      importLine,
      `const conn = await ${connectExpr}(process.env.AMQP_URL ?? 'amqp://localhost');`,
      'const ch = await conn.createChannel();',
      "const q = await ch.assertQueue('', { exclusive: true });",
      "console.log(q.queue.startsWith('amq.gen-'), q.messageCount);",
      'await conn.close();',
    ].join('\n');

  it.each([
    ["import amqp from 'amqplib';", 'amqp.connect'],
    ["import * as amqp from 'amqplib';", 'amqp.connect'],
    ["import { connect } from 'amqplib';", 'connect'],
    ["const amqp = require('amqplib');", 'amqp.connect'],
    ["const { connect } = require('amqplib');", 'connect'],
    ["const amqp = await import('amqplib');", 'amqp.connect'],
  ])('loads amqplib with %s', async (importLine, connectExpr) => {
    const result = await runProgram(amqpProgram(importLine, connectExpr));
    expect(result.error).toBeUndefined();
    expect(texts(result)).toEqual(['true 0']);
  });

  it('provides Buffer from buffer and node:buffer, and module.exports', async () => {
    const result = await runProgram(`
      const { Buffer: B1 } = require('buffer');
      import { Buffer as B2 } from 'node:buffer';
      console.log(B1 === Buffer, B2 === Buffer, Buffer.from('hi').toString('hex'));
      module.exports = { answer: 42 };
      exports.other = 1;
      console.log(typeof module.exports.answer);
    `);
    expect(texts(result)).toEqual(['true true 6869', 'number']);
  });

  it('lets the program declare names the runner provides as globals', async () => {
    const result = await runProgram(`
      const { Buffer } = require('buffer');
      const process = { env: { AMQP_URL: 'amqp://elsewhere' } };
      let crypto = 'mine';
      class URL {}
      function setTimeout() { return 'own'; }
      console.log(Buffer.from('ok').toString(), process.env.AMQP_URL, crypto, typeof URL, setTimeout());
    `);
    expect(result.error).toBeUndefined();
    expect(texts(result)).toEqual(['ok amqp://elsewhere mine function own']);
  });

  it('runs the top level with this undefined, as an ES module', async () => {
    const result = await runProgram(`console.log(this === undefined);`);
    expect(texts(result)).toEqual(['true']);
  });

  it('runs TypeScript with types, enums and type-only imports', async () => {
    const result = await runProgram(
      `
      import type { Channel } from 'amqplib';
      enum Color { Red, Green }
      const greet = (name: string): string => \`hi \${name}\`;
      const c: Color = Color.Green;
      console.log(greet('ts'), c, Color[c]);
    `,
      { language: 'ts' },
    );
    expect(texts(result)).toEqual(['hi ts 1 Green']);
  });

  it('hides host globals and gives the program its own globalThis', async () => {
    const result = await runProgram(`
      console.log(typeof self, typeof window, typeof fetch, typeof postMessage, typeof importScripts);
      console.log(typeof process.env, Object.keys(process.env).length, process.env.AMQP_URL ?? 'amqp://localhost');
      console.log(typeof structuredClone, typeof TextEncoder, typeof queueMicrotask, globalThis.setTimeout === setTimeout);
    `);
    expect(texts(result)).toEqual([
      'undefined undefined undefined undefined undefined',
      'object 0 amqp://localhost',
      'function function function true',
    ]);
  });

  it('ends a program whose consumer waits forever as quiescent, with a notice, once nothing else can happen', async () => {
    const result = await runProgram(`
      const amqp = require('amqplib');
      const conn = await amqp.connect('amqp://localhost');
      const ch = await conn.createChannel();
      await ch.assertQueue('idle');
      await ch.consume('idle', () => {});
      console.log('waiting for messages');
    `);
    expect(result.status).toBe('quiescent');
    expect(texts(result)[0]).toBe('waiting for messages');
    expect(result.console.at(-1)).toMatchObject({ level: 'warn' });
    expect(result.console.at(-1)!.text).toMatch(/still waiting \(a consumer on 'idle'\): a real process would keep waiting/);
  });

  it('gives the same trace for the same seed and program', async () => {
    const source = `
      const amqp = require('amqplib');
      const conn = await amqp.connect('amqp://localhost');
      const ch = await conn.createChannel();
      await ch.assertQueue('det');
      for (let i = 0; i < 5; i++) ch.sendToQueue('det', Buffer.from('m' + Math.floor(Math.random() * 100)));
      await ch.consume('det', (msg) => { console.log(msg.content.toString()); ch.ack(msg); });
      await new Promise((r) => setTimeout(r, 300));
      await conn.close();
    `;
    const a = await runProgram(source, { seed: 42 });
    const b = await runProgram(source, { seed: 42 });
    expect(a.status).toBe('completed');
    expect(a.console).toHaveLength(5);
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
  });
});
