/**
 * Multi-process conformance scenarios (`test/conformance/processes/<name>/`): several programs started one after
 * another, as a person starts them in terminals, against the real RabbitMQ and against the simulator. Each
 * process's own output (without the simulator's `name | ` prefix) must be the same line for line.
 *
 * A scenario folder holds its programs, `scenario.json` ({ description, processes: ["file args…", …], queues:
 * [names to delete before a real run] }) and `expected.json` (process name → the lines it printed on RabbitMQ,
 * recorded by `run.ts --record`).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { processNames } from '../../../simulator/runner/process-names.ts';
import { splitProgram } from '../../../simulator/runner/cli-args.ts';
import { isStdoutLevel } from '../../../simulator/runner/program-console.ts';
import { runPrograms } from '../../../simulator/runner/run-program.ts';

export const SCENARIOS_DIR = import.meta.dirname;

export interface Scenario {
  name: string;
  dir: string;
  description: string;
  /** Each process: file and arguments. */
  processes: Array<{ file: string; args: string[] }>;
  /** Process names (`worker.mjs#1`, …), parallel to `processes`. */
  names: string[];
  queues: string[];
}

/** Every scenario folder, in name order. */
export function listScenarios(): Scenario[] {
  return readdirSync(SCENARIOS_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(SCENARIOS_DIR, entry.name, 'scenario.json')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const dir = join(SCENARIOS_DIR, name);
      const spec = JSON.parse(readFileSync(join(dir, 'scenario.json'), 'utf8')) as {
        description: string; processes: string[]; queues?: string[];
      };
      const processes = spec.processes.map((text) => {
        const [file, ...args] = splitProgram(text);
        return { file, args };
      });
      return {
        name, dir, description: spec.description, processes, queues: spec.queues ?? [],
        names: processNames(processes.map((p) => p.file)),
      };
    });
}

/** Process name → stdout lines, as recorded from RabbitMQ; undefined when not recorded yet. */
export function readExpectedOutputs(scenario: Scenario): Record<string, string[]> | undefined {
  const path = join(scenario.dir, 'expected.json');
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as Record<string, string[]> : undefined;
}

/** Process name → stdout lines, on the simulator (plus a `[simulator: …]` line for a process that failed). */
export async function simulatorOutputs(scenario: Scenario): Promise<Record<string, string[]>> {
  const result = await runPrograms(scenario.processes.map((p) => ({
    source: readFileSync(join(scenario.dir, p.file), 'utf8'), filename: p.file, args: p.args,
  })));
  const outputs: Record<string, string[]> = Object.fromEntries(scenario.names.map((name) => [name, []]));
  for (const line of result.console) {
    if (line.process !== undefined && isStdoutLevel(line.level)) outputs[line.process]?.push(line.text);
  }
  for (const proc of result.processes ?? []) {
    if (proc.error !== undefined) outputs[proc.name]?.push(`[simulator: ${proc.error.name}: ${proc.error.message}]`);
  }
  return outputs;
}
