import { describe, expect, it } from 'vitest';
import { progressSummary } from '../../../src/lib/progress-summary.ts';

const ids = ['01-a', '02-b', '03-c'];

describe('progressSummary: the home page sentence about the learner\'s progress', () => {
  it('is empty while nothing is done', () => {
    expect(progressSummary({ lessons: {} }, ids)).toBe('');
  });

  it('counts a lesson with a passed exercise as read, and never says "0 more lessons"', () => {
    expect(progressSummary({ lessons: { '01-a': { exercisePassed: true } } }, ids))
      .toBe('You have read 1 lesson and passed 1 exercise.');
    expect(progressSummary({ lessons: { '01-a': { read: true, exercisePassed: true }, '02-b': { read: true } } }, ids))
      .toBe('You have read 2 lessons and passed 1 exercise.');
  });

  it('leaves out exercises while none is passed', () => {
    expect(progressSummary({ lessons: { '02-b': { read: true } } }, ids)).toBe('You have read 1 lesson.');
  });

  it('ignores progress of lessons that are not on the site (any more)', () => {
    expect(progressSummary({ lessons: { 'gone': { read: true, exercisePassed: true } } }, ids)).toBe('');
  });

  it('says which passes were made with the solution shown', () => {
    expect(progressSummary({ lessons: { '01-a': { exercisePassed: true, passedWithSolution: true } } }, ids))
      .toBe('You have read 1 lesson and passed 1 exercise with the solution shown.');
    expect(progressSummary({ lessons: { '01-a': { exercisePassed: true, passedWithSolution: true }, '02-b': { exercisePassed: true } } }, ids))
      .toBe('You have read 2 lessons and passed 2 exercises (1 with the solution shown).');
  });
});
