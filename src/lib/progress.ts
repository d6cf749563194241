import { readJson, writeJson } from './storage.ts';
import { isRecord } from './is-record.ts';

/** localStorage key of the learner's progress. Bump the version suffix if the shape ever changes. */
export const PROGRESS_KEY = 'mqlab:progress:v1';

/** Progress of one lesson, keyed by the lesson's collection id (e.g. `01-work-queue`). */
export interface LessonProgress {
  read?: boolean;
  exercisePassed?: boolean;
  /** The learner revealed the exercise's solution (before or after passing it). */
  solutionShown?: boolean;
  /** The exercise was passed only after its solution had been revealed, never without it. */
  passedWithSolution?: boolean;
}

/** Every flag of `LessonProgress` (each stored only when true). */
export const LESSON_FLAGS = ['read', 'exercisePassed', 'solutionShown', 'passedWithSolution'] as const;

/** Stored shape under `PROGRESS_KEY`. */
export interface Progress {
  lessons: Record<string, LessonProgress>;
}

/**
 * The stored progress, cleaned: anything that is not the documented shape (corrupted JSON, wrong types, arrays)
 * is ignored field by field, so a bad entry costs at most that entry.
 */
export function readProgress(): Progress {
  return normalizeProgress(readJson(PROGRESS_KEY));
}

/** Keeps only well-formed lesson entries of `raw`; never throws. */
export function normalizeProgress(raw: unknown): Progress {
  const entries: [string, LessonProgress][] = [];
  const source = isRecord(raw) && isRecord(raw.lessons) ? raw.lessons : {};
  for (const [slug, value] of Object.entries(source)) {
    if (!isRecord(value)) continue;
    const entry: LessonProgress = {};
    for (const flag of LESSON_FLAGS) if (value[flag] === true) entry[flag] = true;
    entries.push([slug, entry]);
  }
  // fromEntries defines own properties: a stored "__proto__" slug stays a plain key instead of replacing the
  // prototype of `lessons` (which plain assignment would do).
  return { lessons: Object.fromEntries(entries) };
}

/** Merges `patch` into the stored progress of lesson `slug`. Returns false if storage is unavailable. */
export function updateLessonProgress(slug: string, patch: LessonProgress): boolean {
  const progress = readProgress();
  progress.lessons[slug] = { ...progress.lessons[slug], ...patch };
  return writeJson(PROGRESS_KEY, progress);
}

/**
 * A lesson's progress after its exercise is passed: passed on the learner's own while the solution was never
 * shown (`solutionShown` stored, or `solutionShownNow` on this page), else passed with the solution shown — unless
 * it was already passed without it, which a later pass does not take away.
 */
export function afterExercisePass(entry: LessonProgress | undefined, solutionShownNow = false): LessonProgress {
  const next: LessonProgress = { ...entry, exercisePassed: true };
  if (solutionShownNow) next.solutionShown = true;
  if (!next.solutionShown) delete next.passedWithSolution;
  else if (!entry?.exercisePassed || entry.passedWithSolution) next.passedWithSolution = true;
  return next;
}

/** Stores that the exercise of lesson `slug` was passed (see `afterExercisePass`); returns the lesson's new progress. */
export function recordExercisePass(slug: string, solutionShownNow = false): LessonProgress {
  const progress = readProgress();
  const next = afterExercisePass(progress.lessons[slug], solutionShownNow);
  progress.lessons[slug] = next;
  writeJson(PROGRESS_KEY, progress);
  return next;
}
