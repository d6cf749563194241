/**
 * Acceptance 2 through the kafkajs facade: kafkajs heartbeats only between messages, so a handler slower than the
 * session timeout (30 s; the handler takes 600 s) gets its member evicted at about 30 s after its last
 * heartbeat, the other member takes the partition over and processes the message again, and the slow member's
 * commit (one commit per message) is rejected with kafkajs's error when it finally comes.
 */
import { describe, expect, test } from 'vitest';
import type { TraceEvent } from '../../../simulator/trace.ts';
import { lines, runKafkaProgram } from './run-program.ts';
import { SLOW_HANDLER_PROGRAM } from './fixtures/slow-handler-program.ts';


const of = <K extends TraceEvent['kind']>(trace: TraceEvent[], kind: K) =>
  trace.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);

describe('a handler slower than sessionTimeout (kafkajs eachMessage)', () => {
  test('eviction at ~30 s, the message processed again by the other member, the slow commit rejected', async () => {
    const run = await runKafkaProgram(SLOW_HANDLER_PROGRAM, { untilMs: 700_000 });
    expect(run.error).toBeUndefined();
    const out = lines(run);
    expect(out[0]).toMatch(/^6\.\d\d s A processing offset 0 attempt 1$/);
    expect(out[1]).toMatch(/^36\.\d\d s B processing offset 0 attempt 2$/);
    expect(out[2]).toMatch(/^36\.\d\d s B committed$/);
    expect(out[3]).toMatch(/^606\.\d\d s A commit failed: KafkaJSNonRetriableError: The coordinator is not aware of this member$/);

    const trace = run.trace;
    const [evicted] = of(trace, 'kafka-member-left');
    const start = of(trace, 'kafka-processing')[0];
    expect(evicted.reason).toBe('session-timeout');
    expect(evicted.client).toBe(start.client);
    // The member's last contact was its SyncGroup, just before it started the message.
    expect(evicted.t - start.t).toBeGreaterThan(29_000);
    expect(evicted.t - start.t).toBeLessThanOrEqual(30_000);
    const commits = of(trace, 'kafka-commit');
    expect(commits.map((c) => [c.client, c.error ?? 'ok'])).toEqual([[commits[0].client, 'ok'], [start.client, 'UNKNOWN_MEMBER_ID']]);
    expect(commits[1].t).toBeGreaterThan(600_000);
    // Processed twice: a duplicate, at-least-once.
    const consumed = of(trace, 'kafka-consumed').filter((c) => c.offset === 0 && c.partition === start.partition);
    expect(new Set(consumed.map((c) => c.client)).size).toBe(2);
    // kafkajs's own log lines tell the story too.
    expect(run.logs.some((l) => l.line.includes('[Runner] The group is rebalancing, re-joining'))).toBe(true);
    expect(run.logs.some((l) => l.method === 'error' && l.line.includes('The coordinator is not aware of this member, re-joining the group'))).toBe(true);
  });
});
