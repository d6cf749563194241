/**
 * AMQP conformance: `npm run test:conformance [-- --record] [-- NN ...]`.
 *
 * For each program in `amqp/`, runs it with the real amqplib against a real RabbitMQ (`AMQP_URL`, default
 * amqp://guest:guest@127.0.0.1:5672) as a child process, runs it on the simulator through `runProgram`, and
 * compares their stdout line by line (a diff is printed for each failure). Ends with `N passed, M failed`; exit
 * code 1 if any failed or the broker is unreachable.
 *
 * `--record` also writes each real output to `amqp/NN-name.expected.txt` (what `recorded.test.ts` compares the
 * simulator with, without a broker). Arguments that are not flags select programs by prefix (`05`, `05-prefetch`).
 *
 * A program may ask for broker control with `// conformance:` lines (a vhost that exists while it runs, a broker
 * restart when it prints a marker line): see broker-control.ts. The runner does it with `rabbitmqctl` and leaves
 * RabbitMQ as it found it.
 *
 * A program whose real output differs from the simulator's is run on the broker once more (not when recording):
 * RabbitMQ runs queues and channels as separate Erlang processes, so a rare ordering race inside the broker can
 * change one run (seen once in about a dozen full runs, on a loaded machine). The program passes if the second real run
 * matches, and the first difference is printed; it fails if RabbitMQ differs twice.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import amqp from 'amqplib';
import {
  brokerSetup, prepareRealBroker, RESTART_MARKER, restartRealBroker, restoreRealBroker,
} from './broker-control.ts';
import { describeDifference, listPrograms, simulatorStdout, type ConformanceProgram } from './programs.ts';

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
/** Wall-clock limit of one real-broker program run. */
const REAL_RUN_TIMEOUT_MS = 30_000;
/** Wall-clock limit of the reachability check. */
const CONNECT_TIMEOUT_MS = 5_000;

interface RealRun {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs `program` with the real amqplib, with the broker control its `// conformance:` lines ask for. */
async function runOnRealBroker(program: ConformanceProgram): Promise<RealRun> {
  const setup = brokerSetup(readFileSync(program.path, 'utf8'));
  await prepareRealBroker(setup);
  let restart: Promise<void> | undefined;
  try {
    const run = await spawnProgram(program, (line) => {
      if (setup.restart && line === RESTART_MARKER && restart === undefined) restart = restartRealBroker();
    });
    if (restart !== undefined) await restart.catch((error: unknown) => {
      run.stderr += `\n${error instanceof Error ? error.message : String(error)}`;
    });
    return run;
  } finally {
    for (const problem of await restoreRealBroker(setup)) console.error(problem);
  }
}

/** `node program.mjs` against the real broker; `onLine` gets each stdout line as it is printed. */
function spawnProgram(program: ConformanceProgram, onLine: (line: string) => void): Promise<RealRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [program.path], {
      env: { ...process.env, AMQP_URL },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let seen = 0;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      for (let end = stdout.indexOf('\n', seen); end >= 0; end = stdout.indexOf('\n', seen)) {
        onLine(stdout.slice(seen, end));
        seen = end + 1;
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, REAL_RUN_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

async function brokerReachable(): Promise<string | undefined> {
  try {
    // `timeout` is a socket option amqplib passes to net.connect (not in @types/amqplib's narrower type).
    const socketOptions = { timeout: CONNECT_TIMEOUT_MS } as unknown as Parameters<typeof amqp.connect>[1];
    const conn = await amqp.connect(AMQP_URL, socketOptions);
    await conn.close();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const record = args.includes('--record');
  const filters = args.filter((a) => !a.startsWith('--'));
  const programs = listPrograms().filter((p) => filters.length === 0 || filters.some((f) => p.name.startsWith(f)));
  if (programs.length === 0) {
    console.error(`No conformance program matches ${filters.join(' ')}`);
    return 1;
  }

  const unreachable = await brokerReachable();
  if (unreachable !== undefined) {
    console.error(`RabbitMQ is not reachable at ${AMQP_URL}: ${unreachable}`);
    console.error('Start it (or set AMQP_URL) and run again. 0 passed, 0 failed: nothing was compared.');
    return 1;
  }

  let passed = 0;
  let failed = 0;
  for (const program of programs) {
    const real = await runOnRealBroker(program);
    if (real.timedOut || real.code !== 0) {
      failed++;
      const why = real.timedOut ? `timed out after ${REAL_RUN_TIMEOUT_MS} ms` : `exited with code ${real.code}`;
      console.log(`FAIL ${program.name}: the real-broker run ${why}\n${real.stderr.trimEnd()}`);
      continue;
    }
    if (record) writeFileSync(program.expectedPath, real.stdout);
    const simulated = await simulatorStdout(program);
    let difference = describeDifference(real.stdout, simulated);
    if (difference !== '' && !record) {
      const again = await runOnRealBroker(program);
      if (!again.timedOut && again.code === 0 && describeDifference(again.stdout, simulated) === '') {
        passed++;
        console.log(`ok   ${program.name} (on the second run; RabbitMQ's first run differed:)\n${difference}`);
        continue;
      }
      difference = `${difference}\n(and RabbitMQ's second run differed too)`;
    }
    if (difference === '') {
      passed++;
      console.log(`ok   ${program.name}${record ? ' (recorded)' : ''}`);
    } else {
      failed++;
      console.log(`FAIL ${program.name}${record ? ' (recorded)' : ''}: simulator output differs from RabbitMQ`);
      console.log(difference);
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
