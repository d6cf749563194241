/**
 * Progress export and import: a small JSON file the learner can keep or move to another browser.
 *
 * File shape (`PROGRESS_FILE_FORMAT`, version 1):
 *   { "format": "mq-lab-progress", "version": 1, "exportedAt": "<ISO date>", "lessons": { "<lesson id>": { "read": true, "exercisePassed": true } } }
 * A lesson's flags are those of `LessonProgress` (`LESSON_FLAGS`: also `solutionShown`, `passedWithSolution`).
 * Import is strict: anything else is rejected with a message that says what is wrong, and nothing is stored.
 */
import { LESSON_FLAGS, PROGRESS_KEY, readProgress, type LessonProgress, type Progress } from './progress.ts';
import { writeJson } from './storage.ts';
import { isRecord } from './is-record.ts';

export const PROGRESS_FILE_FORMAT = 'mq-lab-progress';
export const PROGRESS_FILE_VERSION = 1;
/** Largest file accepted by import, in bytes (a real export is well under 10 kB). */
export const PROGRESS_FILE_MAX_BYTES = 256 * 1024;
/** Most lesson entries accepted by import. */
export const PROGRESS_FILE_MAX_LESSONS = 1000;
const LESSON_ID = /^[a-z0-9][a-z0-9-]{0,99}$/;

/** The export file's text for `progress`; `exportedAt` is an ISO timestamp supplied by the caller. */
export function serializeProgressFile(progress: Progress, exportedAt: string): string {
  return `${JSON.stringify({ format: PROGRESS_FILE_FORMAT, version: PROGRESS_FILE_VERSION, exportedAt, lessons: progress.lessons }, null, 2)}\n`;
}

export type ParseResult = { ok: true; progress: Progress } | { ok: false; error: string };

/** Validates an export file's text. Never throws; on failure `error` is one sentence for the learner. */
export function parseProgressFile(text: string): ParseResult {
  if (text.length > PROGRESS_FILE_MAX_BYTES) {
    return { ok: false, error: `This file is too large to be an MQ Lab progress file (over ${PROGRESS_FILE_MAX_BYTES / 1024} kB).` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'This file is not an MQ Lab progress file: it is not valid JSON.' };
  }
  if (!isRecord(raw) || raw.format !== PROGRESS_FILE_FORMAT) {
    return { ok: false, error: `This file is not an MQ Lab progress file: "format" must be "${PROGRESS_FILE_FORMAT}".` };
  }
  if (raw.version !== PROGRESS_FILE_VERSION) {
    return { ok: false, error: `This progress file has version ${JSON.stringify(raw.version)}; this site reads version ${PROGRESS_FILE_VERSION}.` };
  }
  if (!isRecord(raw.lessons)) return { ok: false, error: 'This progress file has no "lessons" object.' };
  const entries = Object.entries(raw.lessons);
  if (entries.length > PROGRESS_FILE_MAX_LESSONS) {
    return { ok: false, error: `This progress file lists ${entries.length} lessons; at most ${PROGRESS_FILE_MAX_LESSONS} are accepted.` };
  }
  const lessons: Record<string, LessonProgress> = {};
  for (const [id, value] of entries) {
    if (!LESSON_ID.test(id)) return { ok: false, error: `This progress file has an invalid lesson id ${JSON.stringify(id)}.` };
    if (!isRecord(value)) return { ok: false, error: `Lesson "${id}" in this progress file is not an object.` };
    const entry: LessonProgress = {};
    for (const [field, flag] of Object.entries(value)) {
      if (!(LESSON_FLAGS as readonly string[]).includes(field)) {
        return { ok: false, error: `Lesson "${id}" in this progress file has an unknown field "${field}".` };
      }
      if (typeof flag !== 'boolean') return { ok: false, error: `Lesson "${id}": "${field}" must be true or false.` };
      if (flag) entry[field as (typeof LESSON_FLAGS)[number]] = true;
    }
    lessons[id] = entry;
  }
  return { ok: true, progress: { lessons } };
}

/** The stored progress as an export file's text. */
export function exportStoredProgress(now: Date = new Date()): string {
  return serializeProgressFile(readProgress(), now.toISOString());
}

/**
 * Replaces the stored progress with the file's content. Returns the parse error (and stores nothing) for a bad file,
 * or an error when storage is unavailable.
 */
export function importProgressFile(text: string): ParseResult {
  const parsed = parseProgressFile(text);
  if (!parsed.ok) return parsed;
  if (!writeJson(PROGRESS_KEY, parsed.progress)) {
    return { ok: false, error: 'Your browser refused to store the progress (storage is full or disabled).' };
  }
  return parsed;
}

/** Forgets all progress. Returns false if storage is unavailable. */
export function resetProgress(): boolean {
  return writeJson(PROGRESS_KEY, { lessons: {} });
}
