/**
 * Live multi-process conformance: runs each scenario's programs as real Node processes against the real RabbitMQ
 * (started one after another, each once the one before has settled: no new output for `QUIET_MS`, or exited), then
 * on the simulator, and compares every process's stdout line by line. `--record` writes the real outputs to
 * `expected.json` (what `recorded.test.ts` checks in `npm test`).
 *
 *   node test/conformance/processes/run.ts [--record] [scenario-name]
 *
 * Needs RabbitMQ at AMQP_URL (default amqp://guest:guest@127.0.0.1:5672). Exit code 1 when a scenario differs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import amqp from 'amqplib';
import { listScenarios, readExpectedOutputs, simulatorOutputs, type Scenario } from './scenarios.ts';

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
/** Real ms without new output after which a process counts as settled (waiting) and the next one starts. */
const QUIET_MS = 700;
/** Real ms of silence from every process after which the scenario is over (the longest task is 3 s). */
const END_QUIET_MS = 4_500;
const SCENARIO_MS_MAX = 60_000;

interface Live {
  child: ChildProcess;
  lines: string[];
  lastOutputAt: number;
  exited: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function deleteQueues(names: readonly string[]): Promise<void> {
  const connection = await amqp.connect(AMQP_URL);
  const channel = await connection.createChannel();
  for (const name of names) await channel.deleteQueue(name);
  await connection.close();
}

function startProcess(scenario: Scenario, i: number): Live {
  const { file, args } = scenario.processes[i];
  const child = spawn(process.execPath, [join(scenario.dir, file), ...args], {
    cwd: scenario.dir, env: { ...process.env, AMQP_URL }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const live: Live = { child, lines: [], lastOutputAt: Date.now(), exited: false };
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const parts = partial.split('\n');
    partial = parts.pop() ?? '';
    live.lines.push(...parts);
    live.lastOutputAt = Date.now();
  });
  child.on('exit', () => {
    if (partial !== '') live.lines.push(partial);
    live.exited = true;
  });
  return live;
}

async function realOutputs(scenario: Scenario): Promise<Record<string, string[]>> {
  await deleteQueues(scenario.queues);
  const started: Live[] = [];
  const deadline = Date.now() + SCENARIO_MS_MAX;
  for (let i = 0; i < scenario.processes.length; i++) {
    const live = startProcess(scenario, i);
    started.push(live);
    while (!live.exited && Date.now() - live.lastOutputAt < QUIET_MS && Date.now() < deadline) await sleep(50);
  }
  while (Date.now() < deadline && started.some((l) => !l.exited && Date.now() - l.lastOutputAt < END_QUIET_MS)) {
    await sleep(100);
  }
  for (const live of started) if (!live.exited) live.child.kill('SIGINT');
  while (started.some((l) => !l.exited)) await sleep(50);
  await deleteQueues(scenario.queues);
  return Object.fromEntries(scenario.names.map((name, i) => [name, started[i].lines]));
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const record = args.includes('--record');
  const only = args.find((a) => !a.startsWith('--'));
  let failed = 0;
  for (const scenario of listScenarios().filter((s) => only === undefined || s.name === only)) {
    const real = await realOutputs(scenario);
    const simulated = await simulatorOutputs(scenario);
    if (record) writeFileSync(join(scenario.dir, 'expected.json'), `${JSON.stringify(real, null, 2)}\n`);
    const expected = record ? real : readExpectedOutputs(scenario);
    const same = JSON.stringify(real) === JSON.stringify(simulated);
    const recordedSame = JSON.stringify(expected) === JSON.stringify(real);
    console.log(`${same && recordedSame ? 'ok  ' : 'DIFF'} ${scenario.name}${recordedSame ? '' : ' (the recording differs from this real run)'}`);
    if (!same) {
      failed++;
      for (const name of scenario.names) {
        if (JSON.stringify(real[name]) === JSON.stringify(simulated[name])) continue;
        console.log(`  ${name}\n    real:      ${JSON.stringify(real[name])}\n    simulator: ${JSON.stringify(simulated[name])}`);
      }
    }
  }
  console.log(failed === 0 ? 'every scenario matches' : `${failed} scenario(s) differ`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main();
