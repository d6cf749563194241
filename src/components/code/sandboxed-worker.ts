/**
 * `SandboxedWorker`: looks like a `Worker` to `run-in-worker.ts` (`postMessage`, `terminate`, `message` / `error` /
 * `messageerror` events), but the runner worker lives inside a sandboxed iframe, out of the page's reach.
 *
 * How (and why this way):
 * - A fresh `<iframe sandbox="allow-scripts" src="<base>/sandbox/runner.html">` per run. No `allow-same-origin`, so
 *   the frame's origin is opaque: code in it (and in its worker) cannot touch the page's DOM, cookies, localStorage
 *   or IndexedDB (storage APIs throw SecurityError in an opaque origin). The frame's own CSP (`sandboxFrameCsp` in
 *   src/lib/csp.ts) has `connect-src 'none'` and a `script-src` without URLs; a blob: worker inherits its creator's
 *   CSP, so fetch, XHR, WebSocket, importScripts and import() fail in the worker too.
 * - The worker is started from a blob: URL made in the frame from the runner script's TEXT, which the page fetches
 *   once from its own origin (`?worker&url`, a single self-contained file). A worker URL on the site's origin would
 *   be cross-origin to the opaque frame (`new Worker` throws SecurityError), and a module worker loaded from it
 *   would need CORS headers a plain static host does not send. Fetching from the page works under any base path and
 *   offline (the file is on the same host as the page).
 * - The page creates a `MessageChannel` and transfers one port through the frame to the worker: the run request and
 *   the results (a trace can be large) go page ↔ worker directly instead of being copied twice through the frame.
 *   A `SandboxedWorker` can be created before its run (`run-in-worker.ts` keeps one warm), so the frame, the script
 *   and the worker are ready when Run is pressed.
 * - Every message is checked (`sandbox-protocol.ts`): frame messages must come from this iframe's window with origin
 *   'null'; worker messages must have the protocol's shapes (learner code can post on the worker's global).
 * - Tearing down = removing the iframe, which ends its document and its worker, whatever the worker is doing (a CPU
 *   loop or a memory blow-up). In Chromium the opaque-origin frame runs in its own renderer process, so even a
 *   worker that reaches V8's heap limit (which kills its whole process) only takes the frame down: the page notices
 *   that the frame stopped answering its pings (`FRAME_SILENCE_LIMIT_MS`) and reports it.
 */
import type { RunRequest } from '../../workers/protocol.ts';
import {
  FRAME_ERROR,
  FRAME_PING,
  FRAME_PONG,
  FRAME_READY,
  FRAME_RUN,
  FRAME_STOP,
  parseFrameMessage,
} from '../../workers/sandbox-protocol.ts';
import { withBase } from '../../lib/url.ts';
import { runnerScriptUrl } from './runner-script.ts';

/** Path of the sandbox frame's document under the site's base. */
export const SANDBOX_FRAME_PATH = 'sandbox/runner.html';
/** Real ms between liveness pings to the frame while a run is going. */
export const FRAME_PING_INTERVAL_MS = 250;
/**
 * Real ms without a pong after which the frame counts as gone (its process died, e.g. out of memory). Generous: an
 * idle frame process on an overloaded machine may answer late, and a false alarm would end a healthy run.
 */
export const FRAME_SILENCE_LIMIT_MS = 1_500;

/** Message of the `error` event when the frame stopped answering. */
export const FRAME_GONE_MESSAGE = 'the sandbox stopped answering — the program most likely used too much memory '
  + '(an array or string that grows without end?), and the browser stopped it';

/** Runner worker source texts by runner key (fetched once per page; a failed fetch is retried on the next run). */
const scriptTexts = new Map<string, Promise<string>>();

/** The runner worker's source text for `key` (see runner-script.ts). */
function loadRunnerScript(key: string): Promise<string> {
  let text = scriptTexts.get(key);
  if (text === undefined) {
    text = runnerScriptUrl(key)
      .then((url) => fetch(url, { credentials: 'same-origin' }))
      .then(async (response) => {
        if (!response.ok) throw new Error(`the runner script answered HTTP ${response.status}`);
        return response.text();
      })
      .catch((error: unknown) => {
        scriptTexts.delete(key);
        throw error;
      });
    scriptTexts.set(key, text);
  }
  return text;
}

export class SandboxedWorker extends EventTarget {
  /** The frame element (exposed for tests and diagnostics). */
  readonly iframe: HTMLIFrameElement;
  private readonly channel = new MessageChannel();
  private requested = false;
  private frameReady = false;
  private script: string | undefined;
  private sent = false;
  private terminated = false;
  private workerReady = false;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private pingCount = 0;
  private lastPongAt = 0;
  private readonly onWindowMessage = (event: MessageEvent) => this.handleFrameMessage(event);

  /** Which runner worker it holds (see runner-script.ts: a broker id, or 'all'). */
  readonly key: string;

  constructor(key = 'all', host: HTMLElement = document.body) {
    super();
    this.key = key;
    this.channel.port1.onmessage = (event) => this.handleWorkerMessage(event.data);
    this.channel.port1.onmessageerror = () => this.dispatchEvent(new Event('messageerror'));
    addEventListener('message', this.onWindowMessage);

    const iframe = document.createElement('iframe');
    iframe.setAttribute('sandbox', 'allow-scripts');
    iframe.title = 'Code runner sandbox';
    iframe.hidden = true;
    iframe.tabIndex = -1;
    iframe.setAttribute('aria-hidden', 'true');
    iframe.dataset.mqlabSandbox = '';
    iframe.src = withBase(SANDBOX_FRAME_PATH);
    this.iframe = iframe;
    host.append(iframe);

    loadRunnerScript(key).then(
      (text) => {
        this.script = text;
        this.maybeSend();
      },
      (error: unknown) => this.fail(`the runner script could not load (${error instanceof Error ? error.message : String(error)})`),
    );
  }

  /**
   * Sends the run request through the page's end of the port (the port queues it until the worker is up, so a
   * warm frame starts the program at once). Only the first request counts: one frame runs one program.
   */
  postMessage(message: RunRequest): void {
    if (this.requested || this.terminated) return;
    this.requested = true;
    this.channel.port1.postMessage(message);
  }

  /** Stops the worker and removes the frame (idempotent). */
  terminate(): void {
    if (this.terminated) return;
    this.terminated = true;
    if (this.pingTimer !== undefined) clearInterval(this.pingTimer);
    removeEventListener('message', this.onWindowMessage);
    this.channel.port1.onmessage = null;
    this.channel.port1.close();
    try {
      this.iframe.contentWindow?.postMessage({ type: FRAME_STOP }, '*');
    } catch {
      // The frame is already gone.
    }
    this.iframe.remove();
  }

  private maybeSend(): void {
    if (this.sent || this.terminated || !this.frameReady || this.script === undefined) return;
    const target = this.iframe.contentWindow;
    if (!target) {
      this.fail('the sandbox frame has no window');
      return;
    }
    this.sent = true;
    // '*': an opaque origin cannot be named as a target; nothing secret is sent (the learner's own code).
    target.postMessage({ type: FRAME_RUN, script: this.script }, '*', [this.channel.port2]);
  }

  private handleFrameMessage(event: MessageEvent): void {
    if (this.terminated || event.source !== this.iframe.contentWindow || event.origin !== 'null') return;
    const message = parseFrameMessage(event.data);
    if (message === undefined) return;
    switch (message.type) {
      case FRAME_READY:
        if (!this.frameReady) {
          this.frameReady = true;
          this.maybeSend();
        }
        break;
      case FRAME_PONG:
        this.lastPongAt = performance.now();
        break;
      case FRAME_ERROR:
        this.fail(message.message);
        break;
    }
  }

  /**
   * True once the runner worker in the frame is loaded and listening (its `ready` message): a run request sent
   * now starts the program within milliseconds, so `run-in-worker.ts` counts the wall-clock limit from the request.
   */
  get ready(): boolean {
    return this.workerReady && !this.terminated && this.failure === undefined;
  }

  /** Forwards a worker message as is: `run-in-worker.ts` checks its shape (`parseWorkerMessage`). */
  private handleWorkerMessage(data: unknown): void {
    if (this.terminated) return;
    if ((data as { type?: unknown } | null)?.type === 'ready') {
      this.workerReady = true;
      return;
    }
    if ((data as { type?: unknown } | null)?.type === 'started') this.startPinging();
    this.dispatchEvent(new MessageEvent('message', { data }));
  }

  /** Pings the frame while the program runs; a frame that stops answering is reported as an error. */
  private startPinging(): void {
    if (this.pingTimer !== undefined) return;
    this.lastPongAt = performance.now();
    this.pingTimer = setInterval(() => {
      if (this.terminated) return;
      if (performance.now() - this.lastPongAt > FRAME_SILENCE_LIMIT_MS) {
        this.fail(FRAME_GONE_MESSAGE);
        return;
      }
      this.iframe.contentWindow?.postMessage({ type: FRAME_PING, n: ++this.pingCount }, '*');
    }, FRAME_PING_INTERVAL_MS);
  }

  /** Set when the sandbox reported a failure (a warm sandbox that failed is discarded, not used). */
  failure: string | undefined;

  private fail(message: string): void {
    if (this.terminated) return;
    this.failure ??= message;
    this.dispatchEvent(new ErrorEvent('error', { message, cancelable: true }));
  }
}

/**
 * `astro dev` only: the dev server serves the runner as an ES module with imports (not one file), which a blob:
 * worker in an opaque frame cannot load, so in dev the runner runs in a plain module worker of the page (NOT
 * sandboxed). Same `Worker`-like surface as `SandboxedWorker`.
 */
export class DevModuleWorker extends EventTarget {
  private worker: Worker | undefined;
  private queued: RunRequest | undefined;
  private terminated = false;

  constructor(key = 'all') {
    super();
    console.info('MQ Lab (dev): the code runner is not sandboxed under `astro dev`; build the site to test the sandbox.');
    runnerScriptUrl(key).then((url) => {
      if (this.terminated) return;
      const worker = new Worker(url, { type: 'module', name: 'mqlab-run' });
      for (const type of ['message', 'messageerror'] as const) {
        worker.addEventListener(type, (event) => this.dispatchEvent(new MessageEvent(type, { data: event.data })));
      }
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        this.dispatchEvent(new ErrorEvent('error', { message: event.message, cancelable: true }));
      });
      this.worker = worker;
      if (this.queued) worker.postMessage(this.queued);
    }, (error: unknown) => this.dispatchEvent(new ErrorEvent('error', { message: String(error), cancelable: true })));
  }

  postMessage(message: RunRequest): void {
    if (this.worker) this.worker.postMessage(message);
    else this.queued = message;
  }

  terminate(): void {
    this.terminated = true;
    this.worker?.terminate();
  }
}
