/**
 * Share links: the state of a lesson page — each simulation's knobs, faults, seed and time, each code runner's files —
 * compressed with lz-string into the URL's hash (`#share=…`), so a learner can send exactly what they see. Opening
 * such a link restores it; a corrupt or oversized link gives a clear message and changes nothing: no stored edit
 * or progress is lost (shared code is shown, not saved, until the learner edits it).
 *
 * Parts of the page that have state register a contributor (`registerShareContributor`); "Share" asks each of
 * them. The hash is used, not the query, so the state never reaches a server log. lz-string itself loads only
 * when a link is made or opened.
 */

import { isRecord } from './is-record.ts';

/** The name in the hash: `#share=<lz-string>`. */
export const SHARE_KEY = 'share';
/** Longest share text accepted (characters of the hash value): a long page state still fits; a huge one is refused. */
export const SHARE_CHARS_MAX = 100_000;
/** Longest decoded JSON accepted (characters). */
export const SHARE_JSON_CHARS_MAX = 400_000;

/** What a simulation puts in a link. */
export interface SharedSim {
  knobs?: Record<string, unknown>;
  faults?: unknown[];
  /** Simulated ms the player was at. */
  atMs?: number;
  /** The run's seed (checked by the knobs panel like a knob). */
  seed?: number;
}

/** What a code runner puts in a link: its files (name → code). */
export interface SharedCode {
  files: Array<{ name: string; code: string }>;
}

/** A page's shared state. */
export interface ShareState {
  v: 1;
  sims?: Record<string, SharedSim>;
  code?: Record<string, SharedCode>;
}

type Contributor = (state: ShareState) => void;
const contributors = new Set<Contributor>();

/** Adds a part of the page to what "Share" collects; returns a function that removes it. */
export function registerShareContributor(contribute: Contributor): () => void {
  contributors.add(contribute);
  return () => contributors.delete(contribute);
}

/** The page's state now, from every contributor. */
export function collectShareState(): ShareState {
  const state: ShareState = { v: 1 };
  for (const contribute of contributors) contribute(state);
  return state;
}

/** `state` as the text after `#share=`. */
export async function encodeShare(state: ShareState): Promise<string> {
  const { compressToEncodedURIComponent } = await import('lz-string');
  return compressToEncodedURIComponent(JSON.stringify(state));
}

/** The page URL with `state` in its hash. */
export async function shareUrl(state: ShareState,
  location: { origin: string; pathname: string; search: string } = globalThis.location): Promise<string> {
  return `${location.origin}${location.pathname}${location.search}#${SHARE_KEY}=${await encodeShare(state)}`;
}

/**
 * The state in a share text, or an Error whose message tells the learner what is wrong (too long, damaged, not a
 * share link of this site). Never throws.
 */
export async function decodeShare(text: string): Promise<ShareState | Error> {
  if (text.length > SHARE_CHARS_MAX) {
    return new Error(`This share link is too long (${text.length.toLocaleString('en')} characters; at most `
      + `${SHARE_CHARS_MAX.toLocaleString('en')} are accepted), so it was not opened.`);
  }
  let json: string | null;
  try {
    const { decompressFromEncodedURIComponent } = await import('lz-string');
    json = decompressFromEncodedURIComponent(text);
  } catch {
    json = null;
  }
  if (json === null || json === '') return new Error('This share link is damaged (it could not be decoded), so it was not opened.');
  if (json.length > SHARE_JSON_CHARS_MAX) return new Error('This share link holds too much, so it was not opened.');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return new Error('This share link is damaged (its contents are not readable), so it was not opened.');
  }
  if (!isRecord(value) || value.v !== 1) return new Error('This is not a share link of MQ Lab (or of a newer version), so it was not opened.');
  const state: ShareState = { v: 1 };
  if (isRecord(value.sims)) {
    state.sims = {};
    for (const [id, sim] of Object.entries(value.sims)) {
      if (!isRecord(sim)) continue;
      const out: SharedSim = {};
      if (isRecord(sim.knobs)) out.knobs = sim.knobs;
      if (Array.isArray(sim.faults)) out.faults = sim.faults.slice(0, 50);
      if (typeof sim.atMs === 'number' && Number.isFinite(sim.atMs) && sim.atMs >= 0) out.atMs = sim.atMs;
      if (typeof sim.seed === 'number' && Number.isFinite(sim.seed)) out.seed = sim.seed;
      state.sims[id] = out;
    }
  }
  if (isRecord(value.code)) {
    state.code = {};
    for (const [id, entry] of Object.entries(value.code)) {
      if (!isRecord(entry) || !Array.isArray(entry.files)) continue;
      const files = entry.files.filter((f): f is { name: string; code: string } =>
        isRecord(f) && typeof f.name === 'string' && typeof f.code === 'string' && f.name.length <= 100).slice(0, 8);
      if (files.length > 0) state.code[id] = { files };
    }
  }
  return state;
}

let fromLocation: Promise<{ state?: ShareState; error?: Error }> | undefined;

/** Whether the page's URL carries a share link (cheap: no decoding). */
export function pageHasShare(): boolean {
  try {
    return (globalThis.location?.hash ?? '').startsWith(`#${SHARE_KEY}=`);
  } catch {
    return false;
  }
}

/**
 * The share state of the page's URL (decoded once per page load): `{ state }`, `{ error }` for a bad link, or `{}`
 * when the URL has none.
 */
export function sharedStateOfPage(): Promise<{ state?: ShareState; error?: Error }> {
  fromLocation ??= (async () => {
    try {
      const hash = globalThis.location?.hash ?? '';
      const match = new RegExp(`^#${SHARE_KEY}=(.*)$`, 's').exec(hash);
      if (match === null) return {};
      const decoded = await decodeShare(match[1]);
      return decoded instanceof Error ? { error: decoded } : { state: decoded };
    } catch {
      return { error: new Error('This share link could not be read, so it was not opened.') };
    }
  })();
  return fromLocation;
}

/**
 * Shows a bad share link's message once at the top of the page's main content (role="alert"), with a way to
 * dismiss it. The page works as if the link had no state.
 */
export function reportShareError(error: Error): void {
  if (typeof document === 'undefined' || document.querySelector('[data-share-error]')) return;
  const box = document.createElement('div');
  box.className = 'share-error';
  box.dataset.shareError = '';
  box.setAttribute('role', 'alert');
  const text = document.createElement('p');
  text.textContent = `${error.message} Your own code and progress in this browser are unchanged.`;
  const close = document.createElement('button');
  close.type = 'button';
  close.textContent = 'Dismiss';
  close.addEventListener('click', () => box.remove());
  box.append(text, close);
  (document.querySelector('main') ?? document.body).prepend(box);
}

/** Copies `text` to the clipboard; resolves false where the browser refuses (the caller then shows the link). */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
