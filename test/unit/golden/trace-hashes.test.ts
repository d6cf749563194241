/**
 * Golden traces: the runs of `golden-runs.ts` give exactly the recorded trace bytes (sha256). A refactor must not
 * change them; a deliberate change of behaviour re-records them with `node test/unit/golden/record.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenCases } from './golden-runs.ts';

const recorded = JSON.parse(readFileSync(join(import.meta.dirname, 'trace-hashes.json'), 'utf8')) as Record<string, string>;

describe('golden traces stay byte-identical', () => {
  const cases = goldenCases();
  it('records a hash for every golden run, and the hashes differ', () => {
    expect(cases.map((c) => c.name).filter((name) => recorded[name] === undefined)).toEqual([]);
    expect(new Set(Object.values(recorded)).size).toBeGreaterThan(cases.length * 0.9);
  });
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (name, c) => {
    expect(await c.hash()).toBe(recorded[name]);
  });
});
