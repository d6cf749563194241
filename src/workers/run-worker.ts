/// <reference lib="webworker" />
/**
 * Web Worker that runs one learner program on the simulator (`simulator/runner/run-program.ts`) and reports back
 * with the messages of `protocol.ts`. It is started fresh for every run by `src/components/code/run-in-worker.ts`,
 * which terminates it when the run is over or when the wall-clock watchdog fires (a `while (true) {}` never returns
 * control to the simulator, so only terminating the worker can stop it).
 */
import { runProgram } from '../../simulator/runner/run-program.ts';
import type { RunRequest, WorkerMessage } from './protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(message: WorkerMessage): void {
  scope.postMessage(message);
}

let handled = false;

scope.addEventListener('message', (event: MessageEvent<RunRequest>) => {
  const request = event.data;
  if (handled || request?.type !== 'run' || typeof request.source !== 'string') return;
  handled = true;
  post({ type: 'started' });
  void (async () => {
    try {
      const result = await runProgram(request.source, {
        ...request.options,
        onConsole: (line) => post({ type: 'console', line }),
      });
      post({ type: 'done', result });
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      post({ type: 'failed', error: { name: e.name, message: e.message } });
    }
  })();
});
