import { readJson, writeJson } from './storage.ts';

/** localStorage key of the learner's progress. Bump the version suffix if the shape ever changes. */
export const PROGRESS_KEY = 'mqlab:progress:v1';

/** Progress of one lesson, keyed by the lesson's collection id (e.g. `01-work-queue`). */
export interface LessonProgress {
  read?: boolean;
  exercisePassed?: boolean;
}

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
    if (value.read === true) entry.read = true;
    if (value.exercisePassed === true) entry.exercisePassed = true;
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
