/**
 * The home page's one-sentence summary of the learner's progress, from the stored progress of the lessons that
 * exist. Pure, so the wording is unit-tested.
 */
import type { Progress } from './progress.ts';

/**
 * "You have read 2 lessons and passed 1 exercise." for the given available lesson ids; '' while nothing is done.
 * A lesson whose exercise is passed counts as read.
 */
export function progressSummary(progress: Progress, lessonIds: readonly string[]): string {
  let read = 0;
  let passed = 0;
  for (const id of lessonIds) {
    const entry = progress.lessons[id];
    if (entry?.read || entry?.exercisePassed) read++;
    if (entry?.exercisePassed) passed++;
  }
  if (read === 0) return '';
  const lessons = `${read} lesson${read === 1 ? '' : 's'}`;
  return passed === 0
    ? `You have read ${lessons}.`
    : `You have read ${lessons} and passed ${passed} exercise${passed === 1 ? '' : 's'}.`;
}
