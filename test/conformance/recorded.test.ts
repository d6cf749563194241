import { describe, expect, it } from 'vitest';
import { describeDifference, listPrograms, readExpected, simulatorStdout } from './programs.ts';

describe('AMQP conformance on the simulator (vs. output recorded from a real RabbitMQ)', () => {
  const programs = listPrograms();

  it('has at least 12 programs, each with a recording', () => {
    expect(programs.length).toBeGreaterThanOrEqual(12);
    expect(programs.filter((p) => readExpected(p) === undefined).map((p) => p.name)).toEqual([]);
  });

  it.each(programs.map((p) => [p.name, p] as const))('%s prints what RabbitMQ printed', async (_name, program) => {
    const expected = readExpected(program);
    expect(expected, `no recording: run npm run test:conformance -- --record ${program.name}`).toBeDefined();
    const actual = await simulatorStdout(program);
    const difference = describeDifference(expected ?? '', actual);
    expect(difference, `simulator output differs (- RabbitMQ, + simulator):\n${difference}`).toBe('');
  });
});
