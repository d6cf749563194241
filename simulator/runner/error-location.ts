/**
 * Where in the learner's source an error happened, read from its stack trace (frames of `PROGRAM_SOURCE_URL`), and
 * a learner-facing stack that keeps only those frames, renamed to the learner's file name and shifted to the
 * learner's line numbers. Works with V8 (`at f (program.js:3:7)`) and SpiderMonkey/JSC (`f@program.js:3:7`).
 */
import { PROGRAM_SOURCE_URL } from './transform.ts';

/** 1-based line and column in the learner's source. */
export interface SourceLocation {
  line: number;
  column: number;
}

const FRAME = new RegExp(`${PROGRAM_SOURCE_URL.replace('.', '\\.')}:(\\d+):(\\d+)`);
const FRAME_GLOBAL = new RegExp(FRAME.source, 'g');

function stackOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  try {
    const stack = (error as { stack?: unknown }).stack;
    return typeof stack === 'string' ? stack : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The innermost learner frame of `error`'s stack, or undefined (no stack, no learner frame, offset unknown).
 * `lineCount` is the number of lines of the learner's source: frames outside 1..lineCount are the runner's wrapper.
 */
export function locateInProgram(error: unknown, lineOffset: number | null, lineCount: number): SourceLocation | undefined {
  if (lineOffset === null) return undefined;
  const stack = stackOf(error);
  if (stack === undefined) return undefined;
  for (const match of stack.matchAll(FRAME_GLOBAL)) {
    const line = Number(match[1]) - lineOffset;
    if (line >= 1 && line <= lineCount) return { line, column: Number(match[2]) };
  }
  return undefined;
}

/**
 * `error.stack` with only the learner's frames, as `filename:line:column`; the message lines (everything before
 * the first frame) are kept. Undefined when the stack has no frame lines at all (the caller then prints the
 * error's own stack).
 */
export function learnerStack(
  error: Error,
  lineOffset: number | null,
  filename: string,
  lineCount: number,
): string | undefined {
  const stack = stackOf(error);
  if (stack === undefined) return undefined;
  const lines = stack.split('\n');
  const firstFrame = lines.findIndex((line) => /^\s+at /.test(line) || /@.*:\d+:\d+$/.test(line));
  if (firstFrame === -1) return undefined;
  // Frames outside the learner's lines are the runner's wrapper: drop them with the host's frames.
  const kept = lines.slice(firstFrame).filter((line) => {
    const match = FRAME.exec(line);
    if (match === null || lineOffset === null) return false;
    const learnerLine = Number(match[1]) - lineOffset;
    return learnerLine >= 1 && learnerLine <= lineCount;
  });
  const rewritten = kept.map((line) =>
    line
      .replace(FRAME_GLOBAL, (_m, l: string, c: string) => `${filename}:${Number(l) - (lineOffset ?? 0)}:${c}`)
      // The module body is an anonymous wrapper V8 calls `eval`: print its frames the way Node prints a module's
      // top level (`at file:line:col`).
      .replace(/^(\s+at (?:async )?)eval \((.*)\)$/, '$1$2'),
  );
  return [...lines.slice(0, firstFrame), ...rewritten].join('\n');
}
