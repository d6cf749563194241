/**
 * Named limits ("put a limit on everything", TigerBeetle's TIGER_STYLE). Crossing one throws `SimulationLimitError`
 * with a message a learner can act on, instead of hanging the page.
 */
export interface SimulationLimits {
  /** Most engine events one run may process. */
  eventsMax: number;
  /** Most messages that may exist in the broker at once (ready + unacked + on the wire). */
  messagesInFlightMax: number;
  /** Most trace entries one run may record. */
  traceEntriesMax: number;
}

export const DEFAULT_LIMITS: SimulationLimits = {
  eventsMax: 2_000_000,
  messagesInFlightMax: 100_000,
  traceEntriesMax: 1_000_000,
};

/** Thrown when a run crosses one of `SimulationLimits`. `limit` names the field that was crossed. */
export class SimulationLimitError extends Error {
  readonly limit: keyof SimulationLimits;
  constructor(limit: keyof SimulationLimits, value: number, hint: string) {
    super(`Simulation limit reached: ${limit} = ${value}. ${hint}`);
    this.name = 'SimulationLimitError';
    this.limit = limit;
  }
}
