/**
 * Plain explanations of the errors a learner's program most often stops with, for the exercise verdict. The
 * runner reports the error's name, message and line ("IllegalOperationError: Channel closed (line 39)"); these
 * say what it means and the usual cause, without guessing at the learner's code. Pure; no DOM.
 */
import type { CheckResult, CheckableRun } from '../../../content/exercises/types.ts';

type RunError = NonNullable<CheckableRun['error']>;

/** One or two sentences on what `error` means, or undefined for errors without an explanation here. */
export function explainRunError(error: RunError): string | undefined {
  if (error.name !== 'IllegalOperationError') return undefined;
  const where = typeof error.line === 'number' ? `the call on line ${error.line}` : 'a call';
  const what = /^Channel/i.test(error.message) ? 'channel' : /^Connection/i.test(error.message) ? 'connection' : undefined;
  if (what === undefined) {
    return `An \`IllegalOperationError\` means ${where} is not allowed in the state the channel or connection is in.`;
  }
  const closing = /closing/i.test(error.message);
  return `\`IllegalOperationError: ${error.message}\` means ${where} used a ${what} that was already `
    + `${closing ? 'closing' : 'closed'}. A ${what} closes when your program calls \`close()\` on it`
    + `${what === 'channel' ? ' or on its connection' : ''} (or when the broker closes it after an error), and `
    + 'every later call on it fails. The usual cause is a `close()` that runs too early: for example before the '
    + 'consumers have finished the messages they were given. Close only once the work is done.';
}

/**
 * `verdict` with the explanation of the run's error (if it stopped with one that `explainRunError` knows) added
 * right after the headline.
 */
export function withErrorHelp(verdict: CheckResult, run: Pick<CheckableRun, 'status' | 'error'>): CheckResult {
  const help = run.status === 'error' && run.error ? explainRunError(run.error) : undefined;
  if (help === undefined) return verdict;
  const [headline = '', ...rest] = verdict.messages;
  return { ...verdict, messages: [headline, help, ...rest] };
}
