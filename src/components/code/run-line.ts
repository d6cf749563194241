/**
 * The "Run starts" line of a code runner with several files (and an exercise's `runLine`), read like a command line
 * of `npm run sim` (`simulator/runner/cli-args.ts`): `worker.mjs worker.mjs "new_task.mjs 6"`,
 * `"shop.mjs 5" --at 3s worker.mjs`. Pure (no DOM), so the page and the tests start the same processes.
 */
import { parseDurationMs, splitProgram } from '../../../simulator/runner/cli-args.ts';
import type { ProgramSpec, RunLanguage } from '../../workers/protocol.ts';

/** Most processes one line may start (the runner's PROCESSES_MAX). */
export const RUN_LINE_PROCESSES_MAX = 16;

/**
 * The processes a run line starts, in order. A quoted entry is one process (a file and its arguments); an unquoted
 * file name starts a process and the words after it, up to the next file name, are its arguments; `--at TIME`
 * (`--at 3s`, `--at=500ms`, a plain number is ms) before a process starts it at that simulated time, as on the CLI;
 * without it a process starts once the ones before it have settled or ended.
 * @param files the runner's files (name and current code)
 * @throws RangeError naming a word that is not a file, a bad `--at` (no time, a malformed one, or no process after
 *   it), or an empty or too long line.
 */
export function parseRunLine(line: string, files: ReadonlyArray<{ name: string; code: string }>,
  language?: RunLanguage): ProgramSpec[] {
  const entries = line.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  const specs: ProgramSpec[] = [];
  const names = files.map((f) => f.name);
  let startAtMs: number | undefined;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry === '--at' || entry.startsWith('--at=')) {
      const time = entry === '--at' ? entries[++i] : entry.slice('--at='.length);
      if (time === undefined || startAtMs !== undefined) {
        throw new RangeError('"Run starts": --at needs a time and then a file, e.g. --at 3s worker.mjs');
      }
      try {
        startAtMs = parseDurationMs(time, '--at');
      } catch (error) {
        throw new RangeError(`"Run starts": ${error instanceof Error ? error.message : String(error)}`);
      }
      continue;
    }
    const parts = splitProgram(entry.replace(/^["']|["']$/g, ''));
    const [name, ...args] = parts;
    const file = files.find((f) => f.name === name);
    if (file === undefined) {
      const last = specs[specs.length - 1];
      // An unquoted word after a file (and no --at in between) is one of its arguments.
      if (last !== undefined && startAtMs === undefined && !/^["']/.test(entry)) {
        last.args = [...(last.args ?? []), ...parts];
        continue;
      }
      throw new RangeError(`"Run starts" names ${JSON.stringify(name)}, which is not a file of this runner `
        + `(files: ${names.join(', ')}). Example: ${names.join(' ')}`);
    }
    specs.push({ source: file.code, filename: file.name, args, ...(language === undefined ? {} : { language }),
      ...(startAtMs === undefined ? {} : { startAtMs }) });
    startAtMs = undefined;
  }
  if (startAtMs !== undefined) throw new RangeError('"Run starts": --at must be followed by a file, e.g. --at 3s worker.mjs');
  if (specs.length === 0) throw new RangeError(`"Run starts" is empty: name the files to start, e.g. ${names.join(' ')}`);
  if (specs.length > RUN_LINE_PROCESSES_MAX) {
    throw new RangeError(`"Run starts" names ${specs.length} processes; at most ${RUN_LINE_PROCESSES_MAX} can run together`);
  }
  return specs;
}
