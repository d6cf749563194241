/** The runner worker's message protocol lives with the runner (simulator/runner/worker-protocol.ts). */
export * from '../../simulator/runner/worker-protocol.ts';
