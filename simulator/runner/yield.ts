/**
 * `createHostYield()`: a way for the runner to hand control back to the host for one macrotask, so every microtask
 * queued so far (the learner's `await` continuations, `.then` callbacks) runs before the next engine step.
 *
 * Why this does not affect determinism: the host decides only WHEN the yield returns, never what happens in the
 * simulation. A macrotask starts only after the microtask queue is empty, so when the returned promise resolves,
 * every continuation queued by the previous engine step (and every continuation those queued, transitively) has
 * run. Whatever the learner's code did in them was done at the same simulated time and in the same order on every
 * run; the engine's next step is the same. No real timer is read or used.
 *
 * `turns` (default 1): how many macrotasks one call waits, one after the other. The runner passes
 * `hostTurnsToHearRejections()` (`unhandled-rejections.ts`) so the host has reported an unhandled rejection when the
 * yield returns.
 *
 * Uses `MessageChannel` (Node ≥ 15 and every Web Worker), not `setTimeout(0)`, which browsers clamp to ≥ 4 ms
 * after nesting. Call `close()` when the run is over: an open port keeps a Node process alive.
 */
export interface HostYield {
  /** Resolves after `turns` fresh host macrotasks. */
  (): Promise<void>;
  /** Releases the channel; further calls reject. */
  close(): void;
}

export function createHostYield(turns = 1): HostYield {
  if (!Number.isInteger(turns) || turns < 1) throw new RangeError(`turns must be an integer ≥ 1, got ${String(turns)}`);
  if (typeof MessageChannel !== 'function') {
    throw new Error('The program runner needs MessageChannel (Node 15+ or a Web Worker).');
  }
  const channel = new MessageChannel();
  const waiting: Array<() => void> = [];
  let closed = false;
  channel.port1.onmessage = () => {
    waiting.shift()?.();
  };
  const oneTurn = () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(null);
    });
  const yieldToHost = (async () => {
    if (closed) throw new Error('host yield used after close()');
    for (let turn = 0; turn < turns; turn++) await oneTurn();
  }) as HostYield;
  yieldToHost.close = () => {
    closed = true;
    channel.port1.onmessage = null;
    channel.port1.close();
    channel.port2.close();
  };
  return yieldToHost;
}
