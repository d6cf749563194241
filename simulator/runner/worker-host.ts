/// <reference lib="webworker" />
/**
 * The body of the code runner's Web Worker: `startRunWorker(plugins)` runs one request (one program, or several
 * as processes) on the simulator with the broker runtimes it was built with, and reports back with the messages
 * of `worker-protocol.ts`. Each simulated broker has a worker entry `simulator/brokers/<id>/worker.ts` that calls
 * it with that broker's runtime (`simulator/brokers/worker-all.ts` has every broker), so the page downloads only
 * the brokers a lesson's programs use.
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
import type { BrokerRuntimePlugin } from '../brokers/plugin.ts';
import { runProgramsWith } from './run-with-plugins.ts';
import type { ProgramSpec } from './run-types.ts';
import {
  CONSOLE_BATCH_LINES,
  CONSOLE_BATCH_MS,
  type ConsoleLine,
  type RunRequest,
  type WorkerMessage,
} from './worker-protocol.ts';

/** Least real time (ms) between two progress reports. */
const PROGRESS_INTERVAL_MS = 100;

/** Starts listening for the run request (call once, at the top of a worker entry). */
export function startRunWorker(plugins: readonly BrokerRuntimePlugin[]): void {
  const scope = self as unknown as DedicatedWorkerGlobalScope;
  // Captured before any learner code runs (it could replace the globals).
  const now = performance.now.bind(performance);
  const hostSetTimeout = setTimeout.bind(scope);
  const hostClearTimeout = clearTimeout.bind(scope);
  let handled = false;

  /** Runs `request` once, reporting through `port` (sandbox) or the worker's own global (dev). */
  function handleRequest(request: RunRequest | undefined, port: MessagePort | undefined): void {
    const programs = programsOf(request);
    if (handled || request === undefined || programs === undefined) return;
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
        let lastProgressAt = 0;
        const onProgress = (atMs: number) => {
          const wall = now();
          if (wall - lastProgressAt < PROGRESS_INTERVAL_MS) return;
          lastProgressAt = wall;
          post({ type: 'progress', atMs });
        };
        const result = await runProgramsWith(plugins, programs, { ...request.options, onConsole, onProgress, captureHostConsole: true });
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
}

/** The programs of a run request (its `programs`, or its single `source`), or undefined for a malformed one. */
function programsOf(request: RunRequest | undefined): ProgramSpec[] | undefined {
  if (request?.type !== 'run') return undefined;
  if (Array.isArray(request.programs)) {
    return request.programs.every((p) => typeof p?.source === 'string') ? request.programs : undefined;
  }
  if (typeof request.source !== 'string') return undefined;
  const spec: ProgramSpec = { source: request.source };
  if (request.options?.filename !== undefined) spec.filename = request.options.filename;
  if (request.options?.language !== undefined) spec.language = request.options.language;
  return [spec];
}
