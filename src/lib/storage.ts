/**
 * localStorage that never throws. Storage can be missing (private modes, file:// in some browsers), full
 * (QuotaExceededError) or hold corrupted JSON written by an older version; none of that may break a page.
 */

/** Parsed JSON under `key`, or `undefined` if absent, unreadable or not valid JSON. */
export function readJson(key: string): unknown {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    if (raw == null) return undefined;
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** Stores `value` as JSON under `key`. Returns false (and changes nothing) if storage is unavailable or full. */
export function writeJson(key: string, value: unknown): boolean {
  try {
    if (!globalThis.localStorage) return false;
    globalThis.localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}
