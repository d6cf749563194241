/** A run of several programs, each its own simulated process (simulator/runner/execute-program.ts). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPrograms } from '../../../simulator/runner/run-program.ts';
import type { TraceEvent } from '../../../simulator/trace.ts';

const dir = join(import.meta.dirname, '../../conformance/processes/work-queue');
const file = (name: string) => readFileSync(join(dir, name), 'utf8');
const worker = { source: file('worker.mjs'), filename: 'worker.mjs' };
const newTask = (n: number) => ({ source: file('new_task.mjs'), filename: 'new_task.mjs', args: [String(n)] });
const linesOf = (result: { console: Array<{ process?: string; text: string }> }, name: string) =>
  result.console.filter((line) => line.process === name).map((line) => line.text);

describe('runPrograms: programs as processes', () => {
  it('two workers and a producer: each task handled by exactly one worker, both get work, lines carry the process', async () => {
    const result = await runPrograms([worker, worker, newTask(6)]);
    expect(result.status).toBe('quiescent');
    const received = (name: string) => linesOf(result, name).filter((l) => l.startsWith('received')).map((l) => l.slice(9));
    const one = received('worker.mjs#1');
    const two = received('worker.mjs#2');
    expect(one.length).toBeGreaterThan(0);
    expect(two.length).toBeGreaterThan(0);
    expect([...one, ...two].sort()).toEqual(linesOf(result, 'new_task.mjs').map((l) => l.slice(5)).sort());
    expect(result.console.every((line) => line.process !== undefined || line.level === 'warn')).toBe(true);
    expect(result.processes?.map((p) => [p.name, p.state])).toEqual([
      ['worker.mjs#1', 'running'], ['worker.mjs#2', 'running'], ['new_task.mjs', 'exited'],
    ]);
    expect(result.console.at(-1)?.text).toMatch(/^Still waiting: worker\.mjs#1 \(a consumer on 'mqlab_task_queue'\) and worker\.mjs#2/);
  });

  it('starts each process once the ones before it have settled: the producer starts after both workers consume', async () => {
    const result = await runPrograms([worker, worker, newTask(2)]);
    const trace = result.trace as TraceEvent[];
    const started = trace.filter((e) => e.kind === 'process-started').map((e) => e.t);
    const consumers = trace.filter((e) => e.kind === 'consumer-added').map((e) => e.t);
    expect(started).toHaveLength(3);
    expect(started[1]).toBeGreaterThanOrEqual(consumers[0]);
    expect(started[2]).toBeGreaterThanOrEqual(consumers[1]);
  });

  it('starts a process at its startAtMs, and gives each its own process.argv', async () => {
    const result = await runPrograms([
      { source: 'console.log(process.argv.slice(2).join(","), Date.now() % 100000)', filename: 'a.js', args: ['x', 'y'] },
      { source: 'console.log(process.argv.length, performance.now())', filename: 'b.js', startAtMs: 2500 },
    ]);
    expect(result.status).toBe('completed');
    expect(linesOf(result, 'a.js')).toEqual(['x,y 0']);
    expect(linesOf(result, 'b.js')).toEqual(['2 2500']);
  });

  it('a process that fails ends alone: the others go on, and the run reports the error with the process name', async () => {
    const result = await runPrograms([
      { source: 'setTimeout(() => { throw new TypeError("bad") }, 100)', filename: 'crash.js' },
      { source: 'setTimeout(() => console.log("still here"), 500)', filename: 'ok.js', startAtMs: 0 },
    ]);
    expect(result.status).toBe('error');
    expect(result.error).toMatchObject({ name: 'TypeError', message: 'bad', process: 'crash.js', line: 1 });
    expect(linesOf(result, 'ok.js')).toEqual(['still here']);
    expect(result.processes?.map((p) => p.state)).toEqual(['failed', 'exited']);
  });

  it('a worker that exits while holding a task: the broker sees its connection drop and the other worker gets the task', async () => {
    const quitter = {
      filename: 'quitter.mjs',
      source: file('worker.mjs').replace("console.log(`received \"${text}\"`);",
        "console.log(`received \"${text}\"`); setTimeout(() => process.exit(0), 100);"),
    };
    const result = await runPrograms([quitter, worker, newTask(2)]);
    const done = linesOf(result, 'worker.mjs').filter((l) => l.startsWith('done'));
    expect(linesOf(result, 'quitter.mjs')).toEqual(['waiting for tasks', 'received "task 1 ."']);
    expect(done).toEqual(['done with "task 2 ..." after 3 s', 'done with "task 1 ." after 1 s']);
    const redelivered = (result.trace as TraceEvent[]).filter((e) => e.kind === 'delivered' && e.redelivered);
    expect(redelivered).toHaveLength(1);
  });

  it('is deterministic: the same programs and seed give a byte-identical trace', async () => {
    const a = await runPrograms([worker, worker, newTask(5)], { seed: 9 });
    const b = await runPrograms([worker, worker, newTask(5)], { seed: 9 });
    expect(JSON.stringify(b.trace)).toBe(JSON.stringify(a.trace));
  });

  it('a module of a broker that is not simulated yet says so by name', async () => {
    const result = await runPrograms([{ source: "const { Queue } = require('bullmq');", filename: 'b.js' }]);
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/^bullmq \(Redis job queues\) is not simulated yet; simulated: amqplib, amqplib\/callback_api, amqplib\/callback_api\.js, kafkajs$/);
  });

  it('kills a process at a simulated time (its unacked task goes to the other worker) and restarts it later', async () => {
    const result = await runPrograms([worker, worker, newTask(4)], {
      faults: [{ id: 'kill-process', target: 'worker.mjs#1', atMs: 500 }, { id: 'restart-process', target: 'worker.mjs#1', atMs: 9000 }],
    });
    const one = linesOf(result, 'worker.mjs#1');
    expect(one[0]).toBe('waiting for tasks');
    expect(one).toContain('received "task 1 ."');
    expect(one.filter((l) => l === 'waiting for tasks')).toHaveLength(2);
    const trace = result.trace as TraceEvent[];
    const exits = trace.flatMap((e) => (e.kind === 'process-exited' ? [[e.process, e.how, e.code]] : []));
    expect(exits).toEqual([['worker.mjs#1', 'killed', 137], ['new_task.mjs', 'exited', 0]]);
    const done = [...linesOf(result, 'worker.mjs#2'), ...one].filter((l) => l.startsWith('done')).map((l) => l.slice(11, 17)).sort();
    expect(done).toEqual(['task 1', 'task 2', 'task 3', 'task 4']);
  });

  it('starts a process in its turn once the ones before it settled, whatever faults are still to come', async () => {
    const result = await runPrograms([worker, newTask(1)], {
      faults: [{ id: 'kill-process', target: 'worker.mjs', atMs: 5000 }],
    });
    const started = result.processes!.map((p) => [p.name, p.startedAtMs]);
    expect(started[1][1]).toBeLessThan(1000);
    // The run went on until the fault: the worker was killed at 5 s.
    expect(result.processes![0]).toMatchObject({ state: 'killed', endedAtMs: 5000 });
  });

  it('refuses a fault with an unknown id or process', async () => {
    await expect(runPrograms([worker], { faults: [{ id: 'kill-process', target: 'nope.mjs', atMs: 1 }] }))
      .rejects.toThrow(/names no process of the run: nope\.mjs/);
    await expect(runPrograms([worker], { faults: [{ id: 'flood', atMs: 1 }] })).rejects.toThrow(/'flood' is not a fault of this run/);
  });
});

describe('runner: the host console during a run', () => {
  it('routes console.log of code built with new Function to the program\'s console when asked', async () => {
    const source = "new Function('console.log(\"from a built function\")')(); console.log('direct');";
    const captured = await runPrograms([{ source, filename: 'f.js' }], { captureHostConsole: true });
    expect(captured.console.map((l) => l.text)).toEqual(['from a built function', 'direct']);
  });
});

describe('runner: broker faults in a program run', () => {
  const CONSUMER = `
    const amqp = require('amqplib');
    const conn = await amqp.connect('amqp://localhost');
    conn.on('close', (e) => console.log('connection closed:', e?.message));
    const ch = await conn.createChannel();
    await ch.assertQueue('kept', { durable: true });
    ch.sendToQueue('kept', Buffer.from('p'), { persistent: true });
    ch.sendToQueue('kept', Buffer.from('t'));
  `;
  it('restart-broker closes the connections with 320 and keeps only persistent messages of durable queues', async () => {
    const result = await runPrograms([{ source: CONSUMER, filename: 'c.js' }], { faults: [{ id: 'restart-broker', atMs: 500, valueMs: 2000 }] });
    expect(result.console.map((l) => l.text)).toEqual([
      "connection closed: Connection closed: 320 (CONNECTION-FORCED) with message \"CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'\"",
    ]);
    const kinds = (result.trace as TraceEvent[]).map((e) => e.kind);
    expect(kinds).toContain('broker-stopped');
    expect(kinds).toContain('broker-started');
    const dropped = (result.trace as TraceEvent[]).filter((e) => e.kind === 'dropped');
    expect(dropped.map((e) => e.kind === 'dropped' && e.reason)).toEqual(['transient']);
  });

  it('slow-network makes later frames take longer, and refuses to speed the network up', async () => {
    const PING = `
      const amqp = require('amqplib');
      const conn = await amqp.connect('amqp://localhost');
      const ch = await conn.createChannel();
      const a = Date.now(); await ch.assertQueue('x'); const fast = Date.now() - a;
      await new Promise((r) => setTimeout(r, 1000));
      const b = Date.now(); await ch.assertQueue('x'); console.log(fast, Date.now() - b);
      await conn.close();
    `;
    const result = await runPrograms([{ source: PING, filename: 'p.js' }],
      { latencyMs: 10, faults: [{ id: 'slow-network', atMs: 500, valueMs: 200 }] });
    expect(result.console.map((l) => l.text)).toEqual(['20 400']);
    const faster = await runPrograms([{ source: 'setTimeout(() => {}, 10); require("amqplib");', filename: 'q.js' }],
      { latencyMs: 100, faults: [{ id: 'slow-network', atMs: 1, valueMs: 5 }] });
    expect(faster.status).toBe('error');
    expect(faster.error?.message).toMatch(/the network can only get slower/);
  });
});
