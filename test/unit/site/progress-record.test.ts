/**
 * Passing an exercise with the solution shown is recorded differently from solving it (issue 11): the progress
 * entry says `passedWithSolution`, and a pass without the solution is never downgraded by a later one with it.
 */
import { describe, expect, it } from 'vitest';
import { afterExercisePass, normalizeProgress } from '../../../src/lib/progress.ts';
import { parseProgressFile, serializeProgressFile } from '../../../src/lib/progress-file.ts';

describe('afterExercisePass', () => {
  it('records a pass without the solution as a plain pass', () => {
    expect(afterExercisePass(undefined)).toEqual({ exercisePassed: true });
    expect(afterExercisePass({ read: true })).toEqual({ read: true, exercisePassed: true });
  });

  it('records a pass after the solution was revealed (stored, or on this page) as passed with the solution', () => {
    expect(afterExercisePass({ read: true, solutionShown: true }))
      .toEqual({ read: true, solutionShown: true, exercisePassed: true, passedWithSolution: true });
    expect(afterExercisePass({ read: true }, true))
      .toEqual({ read: true, solutionShown: true, exercisePassed: true, passedWithSolution: true });
  });

  it('keeps an earlier pass without the solution when the learner later reveals it and passes again', () => {
    expect(afterExercisePass({ exercisePassed: true, solutionShown: true }, true))
      .toEqual({ exercisePassed: true, solutionShown: true });
  });
});

describe('the new flags are stored, exported and imported', () => {
  const progress = { lessons: { '01-work-queue': { read: true, exercisePassed: true, solutionShown: true, passedWithSolution: true } } };

  it('normalizeProgress keeps them (and still drops anything else)', () => {
    expect(normalizeProgress({ lessons: { '01-work-queue': { ...progress.lessons['01-work-queue'], score: 3, read: 'yes' } } }))
      .toEqual({ lessons: { '01-work-queue': { exercisePassed: true, solutionShown: true, passedWithSolution: true } } });
  });

  it('a progress file round-trips them', () => {
    expect(parseProgressFile(serializeProgressFile(progress, '2026-01-01T00:00:00.000Z'))).toEqual({ ok: true, progress });
  });
});
