/**
 * The checks of exercises 2 and 4 on input that is not a usable run: they never throw, and say why they cannot
 * judge it (no trace, an error, an empty trace, junk entries). Real runs are judged in
 * message-anatomy-runs.test.ts and scalability-runs.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { checkMessageAnatomyRun } from '../../../content/exercises/02-message-anatomy.ts';
import { checkScalabilityRun } from '../../../content/exercises/04-scalability.ts';
import { exercises } from '../../../content/exercises/index.ts';

const checks = { '02-message-anatomy': checkMessageAnatomyRun, '04-scalability': checkScalabilityRun };

describe.each(Object.entries(checks))('check of exercise %s on unusable input', (id, check) => {
  it('is registered with its lesson, three hints, a starter and a solution', () => {
    const exercise = exercises[id];
    expect(exercise.check).toBe(check);
    expect(exercise.lessonSlug).toBe(id);
    expect(exercise.hints).toHaveLength(3);
    expect(exercise.starterCode).not.toBe(exercise.solutionCode);
  });

  it.each([undefined, null, 42, 'run', [], {}, { trace: 'x' }])('fails %j without throwing', (input) => {
    const verdict = check(input);
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/no run to check/);
  });

  it('fails a run that stopped with an error, naming it and its line', () => {
    const verdict = check({ status: 'error', endedAtMs: 5, trace: [], console: [],
      error: { name: 'TypeError', message: 'x is not a function', line: 12 } });
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^The program stopped with TypeError: x is not a function \(line 12\)/);
  });

  it('fails an empty run', () => {
    const verdict = check({ status: 'completed', endedAtMs: 0, trace: [], console: [] });
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/never talked to the broker/);
  });

  it('skips junk entries and still judges what is left', () => {
    const trace = [null, 7, { kind: 'published' }, { t: 'soon', kind: 'acked' },
      { t: 0, kind: 'connection-opened', connection: 'c1', label: 'someone' }];
    const verdict = check({ status: 'completed', endedAtMs: 0, trace, console: [] });
    expect(verdict.passed).toBe(false);
    expect(verdict.messages[0]).toMatch(/^No (order reached|photo was queued)/);
  });
});
