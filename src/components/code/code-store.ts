/**
 * The learner's edits of a code runner, kept in localStorage under `mqlab:code:v1:<runner id>` as
 * `{ "code": string, "savedAt": number }` so a reload keeps their work. Reading is defensive: a missing, corrupt or
 * oversized value is ignored (the lesson's code is shown), and a full or unavailable storage is ignored on write
 * (the edit still lives in the page until it is closed).
 */
import { readJson, writeJson } from '../../lib/storage.ts';

/** Prefix of the storage key; bump `v1` if the stored shape changes. */
export const CODE_KEY_PREFIX = 'mqlab:code:v1:';
/** Longest program (in UTF-16 code units) that is stored; longer edits are not saved. */
export const STORED_CODE_CHARS_MAX = 100_000;

export function codeKey(runnerId: string): string {
  return CODE_KEY_PREFIX + runnerId;
}

/** The stored edit of runner `runnerId`, or undefined if there is none or it is unusable. */
export function loadCode(runnerId: string): string | undefined {
  const raw = readJson(codeKey(runnerId));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const code = (raw as { code?: unknown }).code;
  if (typeof code !== 'string' || code.length > STORED_CODE_CHARS_MAX) return undefined;
  return code;
}

/** Stores `code` as the edit of `runnerId`. Returns false if it could not be stored (too long, storage full/off). */
export function saveCode(runnerId: string, code: string): boolean {
  if (code.length > STORED_CODE_CHARS_MAX) return false;
  return writeJson(codeKey(runnerId), { code, savedAt: Date.now() });
}

/** Forgets the edit of `runnerId` (Reset). Never throws. */
export function clearCode(runnerId: string): void {
  try {
    globalThis.localStorage?.removeItem(codeKey(runnerId));
  } catch {
    // Storage unavailable: nothing was stored either.
  }
}

/** The stored edits of a runner with several files: file name → code, and its run line. */
export interface StoredFiles {
  files: Record<string, string>;
  run?: string;
}

/**
 * The stored edits of a runner with several files, or undefined if there are none or they are unusable. Only the
 * names in `names` are taken (a file the lesson no longer has is ignored).
 */
export function loadFiles(runnerId: string, names: readonly string[]): StoredFiles | undefined {
  const raw = readJson(codeKey(runnerId));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const { files, run } = raw as { files?: unknown; run?: unknown };
  if (typeof files !== 'object' || files === null || Array.isArray(files)) return undefined;
  const out: Record<string, string> = {};
  for (const name of names) {
    const code = (files as Record<string, unknown>)[name];
    if (typeof code === 'string' && code.length <= STORED_CODE_CHARS_MAX) out[name] = code;
  }
  return { files: out, ...(typeof run === 'string' && run.length <= 1000 ? { run } : {}) };
}

/** Stores the edits of a runner with several files. Returns false if they could not be stored. */
export function saveFiles(runnerId: string, stored: StoredFiles): boolean {
  const total = Object.values(stored.files).reduce((n, code) => n + code.length, 0);
  if (total > STORED_CODE_CHARS_MAX) return false;
  return writeJson(codeKey(runnerId), { ...stored, savedAt: Date.now() });
}
