/**
 * Lesson 16's scenario as a generic `Scenario` (`log-vs-queue-scenario.ts`): deterministic (same seed and knobs ⇒
 * the same trace, byte for byte), knobs checked with the shared wording, "Replay group starts at" 0 meaning no
 * replay, each `start-replay` fault adding a group that reads the log from its start, and lesson 16's declaration
 * resolving against it. The numbers are the ones the lesson's Try callouts promise.
 */
import { describe, expect, it } from 'vitest';
import { logVsQueueScenario, LOG_VS_QUEUE_KNOB_SPECS } from '../../../simulator/brokers/kafka/scenarios/log-vs-queue-scenario.ts';
import { processedBy, recordsPerPartition } from '../../../simulator/brokers/kafka/queries.ts';
import declaration from '../../../content/simulations/16-kafka-log.ts';
import { resolveSimulation } from '../../../content/simulations/types.ts';
import type { Fault, KnobValues } from '../../../simulator/scenario.ts';

const resolved = resolveSimulation('16-kafka-log', declaration, logVsQueueScenario);
/** The lesson's default knobs (shown and fixed). */
const LESSON = { ...resolved.fixed, ...Object.fromEntries(resolved.knobs.map((k) => [k.name, k.default])) };

function run(knobs: KnobValues = {}, faults: Fault[] = []) {
  return logVsQueueScenario.run({ ...LESSON, ...knobs }, { seed: 1, untilMs: 60_000, latencyMs: 100, faults });
}

/** Offsets each consumer handled, by consumer label. */
function offsets(trace: ReturnType<typeof run>['trace']): Record<string, number[]> {
  return Object.fromEntries([...processedBy(trace)].map(([who, list]) => [who, list.map((h) => h.offset)]));
}

const upTo = (n: number, from = 0) => Array.from({ length: n - from }, (_, i) => from + i);

describe('lesson 16 scenario (kafka/log-vs-queue)', () => {
  it('is deterministic: the same seed and knobs give the same trace', () => {
    const a = JSON.stringify([...run({ partitions: 2 }, [{ id: 'start-replay', target: 'group', atMs: 31_000 }]).trace]);
    const b = JSON.stringify([...run({ partitions: 2 }, [{ id: 'start-replay', target: 'group', atMs: 31_000 }]).trace]);
    expect(a).toBe(b);
  });

  it('with the lesson\'s defaults: live reads every offset as it is appended, replay reads all 30 again at 20 s', () => {
    const r = run();
    const read = offsets(r.trace);
    expect(read['live reader']).toEqual(upTo(30));
    expect(read['replay reader']).toEqual(upTo(30));
    const replay = processedBy(r.trace).get('replay reader')!;
    expect(replay[0].atMs).toBeGreaterThan(20_000);
    // Reading removed nothing: every record is still in the log at the end.
    expect(recordsPerPartition(r.trace).get('events/0')).toHaveLength(30);
  });

  it('"Replay group starts at" 0 means no replay group', () => {
    const read = offsets(run({ replayAtMs: 0 }).trace);
    expect(Object.keys(read)).toEqual(['live reader']);
  });

  it('each partition is a log of its own, with offsets from 0', () => {
    const r = run({ partitions: 3 });
    const logs = recordsPerPartition(r.trace);
    expect([...logs.keys()].sort()).toEqual(['events/0', 'events/1', 'events/2']);
    for (const list of logs.values()) expect(list.map((x) => x.offset)).toEqual(upTo(10));
  });

  it('retention deletes whole old segments: with 10 s, the replay at 20 s starts past offset 0', () => {
    const r = run({ retentionMs: 10_000 });
    const replay = processedBy(r.trace).get('replay reader')!;
    expect(replay[0].offset).toBeGreaterThan(0);
    expect(replay.at(-1)!.offset).toBe(29);
    // The live reader had read them all before they were deleted.
    expect(offsets(r.trace)['live reader']).toEqual(upTo(30));
  });

  it('Start now adds a group (replay-2) at the fault\'s time that reads the whole log too', () => {
    const r = run({}, [{ id: 'start-replay', target: 'group', atMs: 35_000 }]);
    const extra = processedBy(r.trace).get('replay reader 2')!;
    expect(extra.map((h) => h.offset)).toEqual(upTo(30));
    expect(extra[0].group).toBe('replay-2');
    expect(extra[0].atMs).toBeGreaterThan(35_000);
  });

  it('refuses knobs out of range with the shared wording, naming the knob', () => {
    expect(() => run({ retentionMs: 5 })).toThrow(/^Retention must be a whole number from 1000 to 604800000 ms, got "5"$/);
    expect(() => run({ replayAtMs: -1 })).toThrow(/^Replay group starts at must be a whole number from 0 to 86400000 ms/);
    expect(() => run({ partitions: 1.5 })).toThrow(/^Partitions must be a whole number from 1 to 64 partitions/);
  });

  it('resolves against lesson 16\'s declaration, in the order the page shows the knobs', () => {
    expect(resolved.knobs.map((k) => k.name)).toEqual(['producerRatePerSec', 'messageCount', 'partitions', 'processingMs',
      'replayAtMs', 'retentionMs']);
    expect(resolved.fixed).toEqual({ segmentMs: 5_000 });
    expect(LOG_VS_QUEUE_KNOB_SPECS.find((k) => k.name === 'replayAtMs')).toMatchObject({ zeroText: 'never', min: 0 });
  });
});
