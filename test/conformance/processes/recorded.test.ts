import { describe, expect, it } from 'vitest';
import { listScenarios, readExpectedOutputs, simulatorOutputs } from './scenarios.ts';

describe('multi-process conformance on the simulator (vs. outputs recorded from real processes on RabbitMQ)', () => {
  const scenarios = listScenarios();
  it('has scenarios, each with a recording', () => {
    expect(scenarios.length).toBeGreaterThan(0);
    expect(scenarios.filter((s) => readExpectedOutputs(s) === undefined).map((s) => s.name)).toEqual([]);
  });
  it.each(scenarios.map((s) => [s.name, s] as const))('%s: every process prints what it printed on RabbitMQ', async (_name, scenario) => {
    expect(await simulatorOutputs(scenario)).toEqual(readExpectedOutputs(scenario));
  });
});
