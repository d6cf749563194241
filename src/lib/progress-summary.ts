/**
 * The home page's one-sentence summary of the learner's progress, from the stored progress of the lessons that
 * exist. Pure, so the wording is unit-tested.
 */
import type { Progress } from './progress.ts';

/**
 * "You have read 2 lessons and passed 1 exercise." for the given available lesson ids; '' while nothing is done.
 * A lesson whose exercise is passed counts as read; passes with the solution shown are named as such.
 */
export function progressSummary(progress: Progress, lessonIds: readonly string[]): string {
  let read = 0;
  let passed = 0;
  let withSolution = 0;
  for (const id of lessonIds) {
    const entry = progress.lessons[id];
    if (entry?.read || entry?.exercisePassed) read++;
    if (entry?.exercisePassed) passed++;
    if (entry?.exercisePassed && entry.passedWithSolution) withSolution++;
  }
  if (read === 0) return '';
  const lessons = `${read} lesson${read === 1 ? '' : 's'}`;
  if (passed === 0) return `You have read ${lessons}.`;
  const exercises = `${passed} exercise${passed === 1 ? '' : 's'}`;
  const shown = withSolution === 0 ? ''
    : withSolution === passed ? ' with the solution shown'
    : ` (${withSolution} with the solution shown)`;
  return `You have read ${lessons} and passed ${exercises}${shown}.`;
}
