/**
 * The one check every reader of untrusted data starts with (stored progress, imported files, messages from the
 * sandbox frame, a run handed to an exercise check): is this an object with string keys, not null and not an array?
 */

/** True for an object that is neither null nor an array (its properties still need checking one by one). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
