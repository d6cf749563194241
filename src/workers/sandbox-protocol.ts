/**
 * Messages between the page, the sandbox frame (`sandbox-frame.js`, served as `<base>/sandbox/runner.html`) and the
 * runner worker, and the guards the page applies to everything it receives. Learner code runs in the worker and can
 * post anything through the worker's real global (`Function('return this')().postMessage(...)`), so the page trusts
 * no shape: a message that fails its guard ends the run as "failed", never throws in the page.
 *
 * page → frame (window.postMessage, target '*': the frame's origin is opaque):
 *   `{ type: 'mqlab-sandbox:run', script }` + transfer `[port]` — start the worker from `script` (the runner's
 *   bundled source) and hand it the port (`{ type: 'connect' }`); once per frame.
 *   `{ type: 'mqlab-sandbox:ping', n }` — liveness probe while a run is going; `{ type: 'mqlab-sandbox:stop' }`.
 * frame → page (window.postMessage, `event.origin === 'null'`, `event.source === iframe.contentWindow`):
 *   `{ type: 'mqlab-sandbox:ready' }`, `{ type: 'mqlab-sandbox:pong', n }`, `{ type: 'mqlab-sandbox:error', message }`.
 * page ↔ worker (the transferred MessagePort): the page's `RunRequest`, then the worker's `WorkerMessage`s
 * (`protocol.ts`). A frame can be started ahead of a run ("warm"): the request then only crosses the port.
 */
import type { ConsoleLine, RunResult, WorkerMessage } from './protocol.ts';
import { isRecord } from '../lib/is-record.ts';

export const FRAME_READY = 'mqlab-sandbox:ready';
export const FRAME_PONG = 'mqlab-sandbox:pong';
export const FRAME_ERROR = 'mqlab-sandbox:error';
export const FRAME_RUN = 'mqlab-sandbox:run';
export const FRAME_PING = 'mqlab-sandbox:ping';
export const FRAME_STOP = 'mqlab-sandbox:stop';

/** What the frame may tell the page. */
export type FrameMessage =
  | { type: typeof FRAME_READY }
  | { type: typeof FRAME_PONG; n: number }
  | { type: typeof FRAME_ERROR; message: string };

/** Longest text (chars) accepted in a frame error message; longer ones are cut. */
const FRAME_TEXT_MAX = 2_000;

/** The frame's message if `data` has one of the expected shapes, else undefined. */
export function parseFrameMessage(data: unknown): FrameMessage | undefined {
  if (!isRecord(data)) return undefined;
  switch (data.type) {
    case FRAME_READY:
      return { type: FRAME_READY };
    case FRAME_PONG:
      return typeof data.n === 'number' && Number.isFinite(data.n) ? { type: FRAME_PONG, n: data.n } : undefined;
    case FRAME_ERROR:
      return typeof data.message === 'string'
        ? { type: FRAME_ERROR, message: data.message.slice(0, FRAME_TEXT_MAX) }
        : undefined;
    default:
      return undefined;
  }
}

const LEVELS = new Set(['log', 'info', 'debug', 'warn', 'error']);
const STATUSES = new Set(['completed', 'quiescent', 'time-limit', 'error']);

/** A console line if `value` is `{ t: finite number, level: known level, text: string }`. */
export function isConsoleLine(value: unknown): value is ConsoleLine {
  return isRecord(value) && typeof value.t === 'number' && Number.isFinite(value.t)
    && typeof value.level === 'string' && LEVELS.has(value.level) && typeof value.text === 'string'
    && (value.process === undefined || typeof value.process === 'string');
}

function isRunError(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if (typeof value.name !== 'string' || typeof value.message !== 'string') return false;
  for (const key of ['line', 'column'] as const) {
    if (value[key] !== undefined && !(typeof value[key] === 'number' && Number.isInteger(value[key]))) return false;
  }
  return true;
}

/**
 * Checks a run result's envelope: status, `endedAtMs` (finite, ≥ 0), `trace` (array of objects with a finite `t`
 * and a string `kind`), `console` (console lines), optional `error`. Trace entries are checked for this envelope
 * only; the view reads their fields defensively.
 */
export function isRunResult(value: unknown): value is RunResult {
  if (!isRecord(value)) return false;
  if (typeof value.status !== 'string' || !STATUSES.has(value.status)) return false;
  if (typeof value.endedAtMs !== 'number' || !Number.isFinite(value.endedAtMs) || value.endedAtMs < 0) return false;
  if (!Array.isArray(value.trace) || !Array.isArray(value.console)) return false;
  for (const entry of value.trace) {
    if (!isRecord(entry) || typeof entry.t !== 'number' || !Number.isFinite(entry.t) || typeof entry.kind !== 'string') {
      return false;
    }
  }
  if (!value.console.every(isConsoleLine)) return false;
  if (value.error !== undefined && !isRunError(value.error)) return false;
  return true;
}

/** The worker's message if `data` has one of the shapes of `WorkerMessage`, else undefined. */
export function parseWorkerMessage(data: unknown): WorkerMessage | undefined {
  if (!isRecord(data)) return undefined;
  switch (data.type) {
    case 'ready':
      return { type: 'ready' };
    case 'started':
      return { type: 'started' };
    case 'console':
      if (isConsoleLine(data.line)) return { type: 'console', lines: [data.line] };
      return Array.isArray(data.lines) && data.lines.every(isConsoleLine)
        ? { type: 'console', lines: data.lines as ConsoleLine[] }
        : undefined;
    case 'progress':
      return typeof data.atMs === 'number' && Number.isFinite(data.atMs) && data.atMs >= 0
        ? { type: 'progress', atMs: data.atMs } : undefined;
    case 'done':
      return isRunResult(data.result) ? { type: 'done', result: data.result } : undefined;
    case 'failed':
      return isRecord(data.error) && typeof data.error.name === 'string' && typeof data.error.message === 'string'
        ? { type: 'failed', error: { name: data.error.name, message: data.error.message } }
        : undefined;
    default:
      return undefined;
  }
}
