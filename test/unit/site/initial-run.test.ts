/**
 * The default run a lesson page embeds (src/components/sim/initial-run.ts) is exactly the run the browser would
 * compute with the default knobs, and a damaged or stale embed is refused (the island then runs the scenario).
 */
import { describe, expect, it } from 'vitest';
import { INITIAL_RUN_JSON_MAX, prerenderInitialRun, readInitialRun } from '../../../src/components/sim/initial-run.ts';
import { resolveSimulation, type SimulationDeclaration } from '../../../content/simulations/types.ts';
import type { Scenario } from '../../../simulator/scenario.ts';

const declarations = import.meta.glob<{ default: SimulationDeclaration }>('../../../content/simulations/*.ts');

async function defaultsOf(id: string): Promise<{ scenario: Scenario; knobs: Record<string, number | string>; options: { seed: number; untilMs: number; latencyMs: number } }> {
  const declaration = (await declarations[`../../../content/simulations/${id}.ts`]()).default;
  const scenario = await declaration.scenario();
  const resolved = resolveSimulation(id, declaration, scenario);
  const knobs = { ...resolved.fixed, ...Object.fromEntries(resolved.knobs.map((k) => [k.name, k.default])) };
  return { scenario, knobs, options: { seed: declaration.seed ?? 1, untilMs: declaration.untilMs ?? 3_600_000, latencyMs: declaration.latencyMs ?? 100 } };
}

/** A stand-in for the island's root: only `querySelector('script[data-initial-run]')?.textContent` is read. */
function rootWith(text: string | undefined): HTMLElement {
  return { querySelector: () => (text === undefined ? null : { textContent: text }) } as unknown as HTMLElement;
}

const ids = Object.keys(declarations).map((k) => k.split('/').pop()!.replace(/\.ts$/, '')).filter((k) => k !== 'types');

describe('embedded default runs', () => {
  it.each(ids)('%s: the embed, when there is one, equals a fresh run with the default knobs', async (id) => {
    const { scenario, knobs, options } = await defaultsOf(id);
    const json = prerenderInitialRun(scenario, knobs, options);
    const fresh = scenario.run(knobs, { ...options, faults: [] });
    if (json === undefined) {
      // Too long to embed: the page computes it.
      expect(JSON.stringify(fresh.trace).length).toBeGreaterThan(INITIAL_RUN_JSON_MAX - 200);
      return;
    }
    expect(json).not.toContain('<');
    const read = readInitialRun(rootWith(json), knobs);
    expect(read).toBeDefined();
    expect(read!.broker).toBe(scenario.broker);
    expect(read!.endedAtMs).toBe(fresh.endedAtMs);
    expect(JSON.stringify(read!.trace)).toBe(JSON.stringify(fresh.trace));
  });

  it('lesson 1 embeds its run (a short one)', async () => {
    const { scenario, knobs, options } = await defaultsOf('01-work-queue');
    expect(prerenderInitialRun(scenario, knobs, options)).toBeDefined();
  });

  it('refuses a missing, damaged, stale or foreign embed', async () => {
    const { scenario, knobs, options } = await defaultsOf('01-work-queue');
    const json = prerenderInitialRun(scenario, knobs, options)!;
    expect(readInitialRun(rootWith(undefined), knobs)).toBeUndefined();
    expect(readInitialRun(rootWith(json.slice(0, -10)), knobs)).toBeUndefined();
    expect(readInitialRun(rootWith('null'), knobs)).toBeUndefined();
    expect(readInitialRun(rootWith(JSON.stringify({ v: 2 })), knobs)).toBeUndefined();
    // Built with other defaults than the page now has.
    const other = { ...knobs, consumerCount: Number(knobs.consumerCount) + 1 };
    expect(readInitialRun(rootWith(json), other)).toBeUndefined();
    // An entry without a kind.
    const broken = JSON.parse(json.replace(/\\u003c/g, '<'));
    broken.trace[3] = { t: 1 };
    expect(readInitialRun(rootWith(JSON.stringify(broken)), knobs)).toBeUndefined();
  });

  it('leaves out a run that fails or is too long', () => {
    const failing = { id: 'x', broker: 'amqp', knobs: [], faults: [], run: () => { throw new RangeError('no'); } } as Scenario;
    expect(prerenderInitialRun(failing, {}, { seed: 1, untilMs: 1000, latencyMs: 1 })).toBeUndefined();
    const trace = Array.from({ length: 5000 }, (_, i) => ({ t: i, kind: 'published', msgId: `m${i}` }));
    const long = { id: 'y', broker: 'amqp', knobs: [], faults: [], run: () => ({ trace, endedAtMs: 5000 }) } as unknown as Scenario;
    expect(prerenderInitialRun(long, {}, { seed: 1, untilMs: 1000, latencyMs: 1 })).toBeUndefined();
  });
});
