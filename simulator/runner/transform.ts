/**
 * Turns a learner's source (JavaScript or TypeScript, ES modules or CommonJS, top-level `await`) into a function
 * the runner can call with the program's globals.
 *
 * 1. `sucrase` rewrites `import`/`export` into `require`/`exports` (and strips types for TypeScript). Sucrase keeps
 *    every statement on its original line, so a line number in the output is the learner's line number. Modern
 *    syntax (`??`, `?.`, class fields) is left as is (`disableESTransforms`).
 * 2. The module body becomes the body of an `async function` (so top-level `await` and top-level `return` work),
 *    nested in a function whose parameters are the program's globals and, set to `undefined`, every host-only
 *    global (`self`, `fetch`, `postMessage`, Node's `process`, …) so the program sees only what the runner gives it.
 * 3. The wrapper carries `//# sourceURL=program.js`; `PROGRAM_SOURCE_URL` frames in a stack trace are the learner's
 *    code, at line `line - lineOffset` (the offset is measured once by throwing from a probe with the same layout,
 *    so it does not depend on how the JS engine lays out `new Function` source).
 *
 * Errors: `ProgramSyntaxError` (name 'SyntaxError') with the learner's 1-based `line` / `column` when sucrase
 * finds the error; a SyntaxError only the JS engine finds (e.g. a `let` declared twice) comes without a location.
 *
 * Sources: sucrase options (https://github.com/alangpierce/sucrase#transforms), V8 `sourceURL`
 * (https://v8.dev/docs/stack-trace-api).
 */
import { transform } from 'sucrase';

/** The `sourceURL` of every compiled program; stack frames naming it are the learner's code. */
export const PROGRAM_SOURCE_URL = 'program.js';

export type ProgramLanguage = 'js' | 'ts';

/** A syntax error in the learner's source, located on the learner's line (1-based) and column (1-based). */
export class ProgramSyntaxError extends SyntaxError {
  readonly line?: number;
  readonly column?: number;
  constructor(message: string, line?: number, column?: number) {
    super(message);
    this.name = 'SyntaxError';
    this.line = line;
    this.column = column;
  }
}

/** Language from a file name: `.ts`/`.mts`/`.cts` ⇒ 'ts', anything else ⇒ 'js'. */
export function languageFromFilename(filename: string | undefined): ProgramLanguage {
  return filename !== undefined && /\.[mc]?tsx?$/i.test(filename) ? 'ts' : 'js';
}

/** Sucrase's output for `source`; throws `ProgramSyntaxError` with the learner's line and column. */
export function transformSource(source: string, language: ProgramLanguage): string {
  try {
    return transform(source, {
      transforms: language === 'ts' ? ['typescript', 'imports'] : ['imports'],
      disableESTransforms: true,
      filePath: language === 'ts' ? 'program.ts' : 'program.js',
    }).code;
  } catch (error) {
    const err = error as Error & { loc?: { line: number; column: number } };
    let message = err.message.replace(/^Error transforming [^:]*: /, '').replace(/\s*\(\d+:\d+\)$/, '');
    const line = err.loc?.line;
    const column = err.loc?.column; // sucrase's column is 1-based
    if (message === 'Unexpected token' && line !== undefined && column !== undefined) {
      // Name the token, as V8 does ("Unexpected token ';'").
      const token = source.split('\n')[line - 1]?.slice(column - 1).match(/^(\w+|\S)/)?.[0];
      if (token !== undefined) message = `Unexpected token '${token}'`;
    }
    throw new ProgramSyntaxError(message, line, column);
  }
}

/**
 * The globals are parameters of an outer function and the module body is an inner function, so the learner can
 * still declare `const { Buffer } = require('buffer')` or `let process` (a `let`/`const` of a parameter's name in
 * the same function would be a SyntaxError). The inner function is strict (sucrase's "use strict") and called with
 * `this` undefined, as an ES module's top level.
 */
function wrapperSource(body: string, params: readonly string[], isAsync = true, sourceUrl = PROGRAM_SOURCE_URL): string {
  const inner = isAsync ? 'async function' : 'function';
  return (
    `return function (${params.join(', ')}) { return (${inner} () {\n${body}\n}).call(undefined); };\n` +
    `//# sourceURL=${sourceUrl}`
  );
}

let measuredLineOffset: number | null | undefined;

/**
 * Lines the wrapper adds above the learner's first line in stack traces (null if this JS engine puts no usable
 * `program.js:LINE` in stacks).
 */
export function wrapperLineOffset(): number | null {
  if (measuredLineOffset !== undefined) return measuredLineOffset;
  measuredLineOffset = null;
  try {
    const probe = new Function(wrapperSource('throw new Error("probe");', [], false))() as () => void;
    probe();
  } catch (error) {
    const match = new RegExp(`${PROGRAM_SOURCE_URL.replace('.', '\\.')}:(\\d+):\\d+`).exec(String((error as Error).stack));
    if (match) measuredLineOffset = Number(match[1]) - 1;
  }
  return measuredLineOffset;
}

/** The compiled program: call it with one argument per parameter name, in order. */
export type ProgramFunction = (...globals: unknown[]) => Promise<unknown>;

/**
 * Compiles transformed code into an async function of `params`; its stack frames name `sourceUrl` (default
 * `PROGRAM_SOURCE_URL`; a run of several processes gives each its own, `program-<pid>.js`). Throws `ProgramSyntaxError` (without a location)
 * when the JS engine rejects the code.
 */
export function compileProgram(code: string, params: readonly string[],
  sourceUrl: string = PROGRAM_SOURCE_URL): ProgramFunction {
  try {
    return new Function(wrapperSource(code, params, true, sourceUrl))() as ProgramFunction;
  } catch (error) {
    if (error instanceof SyntaxError) throw new ProgramSyntaxError(error.message);
    throw error;
  }
}
