/**
 * The conformance programs (`amqp/NN-name.mjs`) and how to run one on the simulator. Shared by `run.ts` (real
 * RabbitMQ vs simulator) and `recorded.test.ts` (simulator vs the recorded real output).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AmqpBroker } from '../../simulator/brokers/amqp/model/broker.ts';
import { amqpModules } from '../../simulator/brokers/amqp/runtime.ts';
import { executeProgram } from '../../simulator/runner/execute-program.ts';
import { isStdoutLevel } from '../../simulator/runner/program-console.ts';
import { runProgram, type RunResult } from '../../simulator/runner/run-program.ts';
import { brokerSetup, needsBrokerControl, simulatedControl } from './broker-control.ts';

export const PROGRAMS_DIR = join(import.meta.dirname, 'amqp');

export interface ConformanceProgram {
  /** `NN-name` */
  name: string;
  /** Absolute path of the `.mjs` program. */
  path: string;
  /** Absolute path of its recorded real-broker stdout. */
  expectedPath: string;
}

/** Every `amqp/NN-name.mjs`, in name order. */
export function listPrograms(): ConformanceProgram[] {
  return readdirSync(PROGRAMS_DIR)
    .filter((file) => /^\d\d-[\w-]+\.mjs$/.test(file))
    .sort()
    .map((file) => {
      const name = basename(file, '.mjs');
      return { name, path: join(PROGRAMS_DIR, file), expectedPath: join(PROGRAMS_DIR, `${name}.expected.txt`) };
    });
}

/** The recorded real-broker stdout, or undefined when none was recorded yet. */
export function readExpected(program: ConformanceProgram): string | undefined {
  return existsSync(program.expectedPath) ? readFileSync(program.expectedPath, 'utf8') : undefined;
}

/**
 * Runs a program on the simulator: with `runProgram`, as the site and the CLI do, unless its `// conformance:`
 * lines ask for broker control (broker-control.ts): then with the same runner loop and modules on a broker the
 * harness holds, prepared as asked (vhosts) and restarted when the program prints the marker line.
 */
export function runOnSimulator(program: ConformanceProgram): Promise<RunResult> {
  const source = readFileSync(program.path, 'utf8');
  const filename = basename(program.path);
  const setup = brokerSetup(source);
  if (!needsBrokerControl(setup)) return runProgram(source, { filename });
  let onLine: (line: string) => void = () => {};
  return executeProgram(source, { filename, onConsole: (line) => onLine(line.text) }, (engine, _opts, observe, replies) => {
    const broker = new AmqpBroker(engine);
    onLine = simulatedControl(broker, setup);
    return amqpModules(observe(broker), replies);
  });
}

/**
 * What `node program.mjs` would print on stdout if the simulator were the broker: the run's stdout console lines,
 * each ended by a newline. A run that does not complete adds a last line `[simulator: <status>: <error>]`, so a
 * comparison shows it.
 */
export async function simulatorStdout(program: ConformanceProgram): Promise<string> {
  const result = await runOnSimulator(program);
  let out = result.console
    .filter((line) => isStdoutLevel(line.level))
    .map((line) => `${line.text}\n`)
    .join('');
  if (result.status !== 'completed' && result.status !== 'quiescent') {
    const error = result.error === undefined ? '' : `: ${result.error.name}: ${result.error.message}` +
      (result.error.line === undefined ? '' : ` (line ${result.error.line})`);
    out += `[simulator: ${result.status}${error}]\n`;
  }
  return out;
}

/** Line-by-line comparison: '' when equal, else a listing of differing lines (`-` expected, `+` simulator). */
export function describeDifference(expected: string, actual: string): string {
  if (expected === actual) return '';
  const a = expected.split('\n');
  const b = actual.split('\n');
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) {
      out.push(`    ${a[i]}`);
      continue;
    }
    if (a[i] !== undefined) out.push(`  - ${a[i]}`);
    if (b[i] !== undefined) out.push(`  + ${b[i]}`);
  }
  return out.join('\n');
}
