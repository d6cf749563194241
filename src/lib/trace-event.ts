/**
 * The hand-off of a code run to the lesson's simulation view: a code runner dispatches `mqlab:trace` on `document`
 * when a run ends (src/components/code/code-runner.ts); the simulation island listens and plays the trace
 * (src/components/sim/sim-island.ts), which checks the detail before using it (it may come from any script).
 */

/** Name of the event (a `CustomEvent<TraceEventDetail>` dispatched on `document`). */
export const TRACE_EVENT = 'mqlab:trace';

/** Detail of `mqlab:trace`. */
export interface TraceEventDetail {
  /** The run's trace entries (`TraceEvent[]`, checked by the receiver). */
  trace: unknown[];
  /** Simulated ms at which the run ended. */
  endedAtMs: number;
  source: 'code';
  /** Shown by the view ("Showing <label>'s run"): the runner's title. */
  label?: string;
  /** The code runner's id (which runner's run is shown). */
  runnerId?: string;
}
