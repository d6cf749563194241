/// <reference lib="webworker" />
/**
 * Web Worker that runs one learner program on the simulator (`simulator/runner/run-program.ts`) and reports back
 * with the messages of `protocol.ts`.
 *
 * In the site it is started inside the sandbox frame (`sandbox-frame.js`: opaque origin, CSP without network) from
 * a blob: URL; its first message (`{ type: 'connect' }`) transfers a `MessagePort` whose other end is the page's:
 * the run request arrives and every report leaves through it, never through the frame. Without a port (a plain `new Worker(...)`, e.g. `astro dev`) it reports with
 * `postMessage` on its own global. It runs one program once; the page tears it down (with the frame) when the run
 * is over or when the wall-clock watchdog fires (a `while (true) {}` never returns control to the simulator, so only
 * terminating the worker can stop it).
 *
 * Console lines are batched (`CONSOLE_BATCH_MS` / `CONSOLE_BATCH_LINES`): a program that prints in a loop costs
 * the page one message per batch, not one per line.
 */
import { runProgram } from '../../simulator/runner/run-program.ts';
import {
  CONSOLE_BATCH_LINES,
  CONSOLE_BATCH_MS,
  type ConsoleLine,
  type RunRequest,
  type WorkerMessage,
} from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// Captured before any learner code runs (it could replace the globals).
const now = performance.now.bind(performance);
const hostSetTimeout = setTimeout.bind(scope);
const hostClearTimeout = clearTimeout.bind(scope);

let handled = false;

/** Runs `request` once, reporting through `port` (sandbox) or the worker's own global (dev). */
function handleRequest(request: RunRequest | undefined, port: MessagePort | undefined): void {
  if (handled || request?.type !== 'run' || typeof request.source !== 'string') return;
  handled = true;
  const post = (message: WorkerMessage): void => {
    if (port) port.postMessage(message);
    else scope.postMessage(message);
  };

  let batch: ConsoleLine[] = [];
  let batchStartedAt = 0;
  let batchTimer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    if (batchTimer !== undefined) hostClearTimeout(batchTimer);
    batchTimer = undefined;
    if (batch.length === 0) return;
    const lines = batch;
    batch = [];
    post({ type: 'console', lines });
  };
  const onConsole = (line: ConsoleLine) => {
    if (batch.length === 0) {
      batchStartedAt = now();
      batchTimer = hostSetTimeout(flush, CONSOLE_BATCH_MS);
    }
    batch.push(line);
    // A program printing in a synchronous loop never lets the timer run: flush by size and by elapsed time too.
    if (batch.length >= CONSOLE_BATCH_LINES || now() - batchStartedAt >= CONSOLE_BATCH_MS) flush();
  };

  post({ type: 'started' });
  void (async () => {
    try {
      const result = await runProgram(request.source, { ...request.options, onConsole });
      flush();
      post({ type: 'done', result });
    } catch (error) {
      flush();
      const e = error instanceof Error ? error : new Error(String(error));
      post({ type: 'failed', error: { name: e.name, message: e.message } });
    }
  })();
}

scope.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data as { type?: unknown } | null;
  const port = event.ports[0];
  if (data?.type === 'connect' && port) {
    // Sandbox: the page's end of this port sends the run request and receives every report.
    port.onmessage = (message: MessageEvent<RunRequest>) => handleRequest(message.data, port);
    // Loaded and listening: a run request sent from now on starts the program at once (a warm sandbox).
    port.postMessage({ type: 'ready' } satisfies WorkerMessage);
    return;
  }
  handleRequest(event.data as RunRequest, undefined);
});
