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

/** Where a compiled program sits in stack traces (see transform.ts). */
export interface ProgramFrames {
  /** Lines the wrapper adds above the learner's first line (null: stacks carry no usable line). */
  lineOffset: number | null;
  /** Lines of the learner's source: frames outside 1..lineCount are the runner's wrapper. */
  lineCount: number;
  /** The `sourceURL` of the compiled program (default `PROGRAM_SOURCE_URL`). */
  sourceUrl?: string;
  /**
   * Characters the transform put in front of the learner's line 1 (sucrase's `"use strict";`): a column on line 1
   * past them is moved back by this much, so it points into the learner's line.
   */
  line1Shift?: number;
}

function frameRegExp(sourceUrl: string, flags = ''): RegExp {
  return new RegExp(`${sourceUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):(\\d+)`, flags);
}

/** The learner's column of a frame at learner line `line`, column `column` of the compiled code. */
function learnerColumn(frames: ProgramFrames, line: number, column: number): number {
  const shift = frames.line1Shift ?? 0;
  return line === 1 && column > shift ? column - shift : column;
}

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
export function locateInProgram(error: unknown, frames: ProgramFrames): SourceLocation | undefined {
  const { lineOffset, lineCount } = frames;
  if (lineOffset === null) return undefined;
  const stack = stackOf(error);
  if (stack === undefined) return undefined;
  for (const match of stack.matchAll(frameRegExp(frames.sourceUrl ?? PROGRAM_SOURCE_URL, 'g'))) {
    const line = Number(match[1]) - lineOffset;
    if (line >= 1 && line <= lineCount) return { line, column: learnerColumn(frames, line, Number(match[2])) };
  }
  return undefined;
}

/**
 * `error.stack` with only the learner's frames, as `filename:line:column`; the message lines (everything before
 * the first frame) are kept. Undefined when the stack has no frame lines at all (the caller then prints the
 * error's own stack).
 */
export function learnerStack(error: Error, frames: ProgramFrames, filename: string): string | undefined {
  const { lineOffset, lineCount } = frames;
  const frame = frameRegExp(frames.sourceUrl ?? PROGRAM_SOURCE_URL);
  const frameGlobal = frameRegExp(frames.sourceUrl ?? PROGRAM_SOURCE_URL, 'g');
  const stack = stackOf(error);
  if (stack === undefined) return undefined;
  const lines = stack.split('\n');
  const firstFrame = lines.findIndex((line) => /^\s+at /.test(line) || /@.*:\d+:\d+$/.test(line));
  if (firstFrame === -1) return undefined;
  // Frames outside the learner's lines are the runner's wrapper: drop them with the host's frames.
  const kept = lines.slice(firstFrame).filter((line) => {
    const match = frame.exec(line);
    if (match === null || lineOffset === null) return false;
    const learnerLine = Number(match[1]) - lineOffset;
    return learnerLine >= 1 && learnerLine <= lineCount;
  });
  const rewritten = kept.map((line) =>
    line
      .replace(frameGlobal, (_m, l: string, c: string) => {
        const learnerLine = Number(l) - (lineOffset ?? 0);
        return `${filename}:${learnerLine}:${learnerColumn(frames, learnerLine, Number(c))}`;
      })
      // The module body is an anonymous wrapper V8 calls `eval`: print its frames the way Node prints a module's
      // top level (`at file:line:col`).
      .replace(/^(\s+at (?:async )?)eval \((.*)\)$/, '$1$2'),
  );
  return [...lines.slice(0, firstFrame), ...rewritten].join('\n');
}
