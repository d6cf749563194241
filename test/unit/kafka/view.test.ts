/**
 * The Kafka view adapter: topology (producers, topics as logs, consumers coloured by group), frames (partitions
 * with records, committed and position cursors, owners; consumers' statuses with the coordinator's state and lag;
 * flights), seeking back and forth, lag and rate series, the live region's sentences (the slow-handler run reads as
 * an eviction, a rebalance and a rejected commit), and the inspector's history of a message handled twice.
 */
import { describe, expect, test } from 'vitest';
import { loadRuntimePlugin, loadViewPlugin } from '../../../simulator/brokers/registry.ts';
import { createKafkaView } from '../../../simulator/brokers/kafka/view.ts';
import { runConsumerGroups, SLOW_HANDLER_PRESET } from '../../../simulator/brokers/kafka/scenarios/consumer-groups.ts';
import { runLag } from '../../../simulator/brokers/kafka/scenarios/lag.ts';
import { runKafkaProgram } from './run-program.ts';
import { SLOW_HANDLER_PROGRAM } from './fixtures/slow-handler-program.ts';

describe('Kafka view', () => {
  test('the registry loads the Kafka runtime and view plugins', async () => {
    expect((await loadRuntimePlugin('kafka')).modules).toEqual(['kafkajs']);
    expect((await loadViewPlugin('kafka')).id).toBe('kafka');
  });

  test('topology and frames of a consumer-group run', () => {
    const run = runConsumerGroups({ partitions: 3, members: 2, messageCount: 12 }, { seed: 3, untilMs: 30_000 });
    const view = createKafkaView(run.trace);
    expect(view.topology.nodes.map((n) => [n.id.split(':')[0], n.shape, n.label, n.group ?? ''])).toEqual([
      ['producer', 'client', 'producer', ''],
      ['topic', 'log', 'tasks', ''],
      ['consumer', 'worker', 'member 1', 'group-1'],
      ['consumer', 'worker', 'member 2', 'group-1'],
    ]);
    expect(view.topology.edges.map((e) => e.style)).toEqual(['flow', 'subscription', 'subscription']);
    const frame = view.seek(10_000);
    const log = frame.logs[0];
    expect(log.partitions.map((p) => p.label)).toEqual(['tasks p0', 'tasks p1', 'tasks p2']);
    for (const p of log.partitions) {
      expect(p.records.every((r, i) => i === 0 || r.offset === p.records[i - 1].offset + 1)).toBe(true);
      expect(p.owner).toMatch(/^member [12]$/);
      expect(p.highWatermark).toBeLessThanOrEqual(p.endOffset);
    }
    expect(log.partitions.flatMap((p) => p.cursors.map((c) => c.kind))).toContain('committed');
    // Shown short (the group's name is on the edge); spoken in full.
    const consumer = frame.nodes.get(view.topology.nodes[2].id);
    expect(consumer?.status).toMatch(/^owns p\d(, p\d)* · lag \d+$/);
    expect(consumer?.spoken).toMatch(/: group-1 Stable gen 1 · owns p\d(, p\d)* · lag \d+$/);
    // Seeking back gives the same frame as seeking there first.
    const at5 = JSON.stringify({ ...view.seek(5_000), nodes: [...view.seek(5_000).nodes] });
    view.seek(25_000);
    const again = view.seek(5_000);
    expect(JSON.stringify({ ...again, nodes: [...again.nodes] })).toBe(at5);
    const fresh = createKafkaView(run.trace).seek(5_000);
    expect(JSON.stringify({ ...fresh, nodes: [...fresh.nodes] })).toBe(at5);
  });

  test('flights: produce requests, acks, fetched batches, commits', () => {
    const run = runConsumerGroups({ partitions: 1, members: 1, messageCount: 5, producerRatePerSec: 2 }, { seed: 3, untilMs: 20_000 });
    const view = createKafkaView(run.trace);
    const kinds = new Set<string>();
    for (let t = 0; t < 20_000; t += 1) for (const f of view.seek(t).inFlight) kinds.add(`${f.from.split(':')[0]}→${f.to.split(':')[0]} ${f.kind}`);
    expect([...kinds].sort()).toEqual(['consumer→topic ack', 'producer→topic message', 'topic→consumer message', 'topic→producer ack']);
  });

  test('lag series grow and shrink; rate series per second', async () => {
    const run = runLag({}, { seed: 1, untilMs: 240_000 });
    const series = await createKafkaView(run.trace).series();
    const total = series.get('lag:analytics');
    expect(total?.curve).toBe('step');
    const values = total?.points.map(([, v]) => v) ?? [];
    const peak = Math.max(...values);
    expect(peak).toBeGreaterThan(100);
    expect(values[values.length - 1]).toBeLessThan(peak);
    expect([...series.keys()].filter((k) => k.startsWith('lag:analytics:clicks/'))).toHaveLength(4);
    expect(series.get('rate:produce')?.points.some(([, v]) => v === 20)).toBe(true);
    expect(series.get('rate:consume')?.unit).toBe('msg/s');
  });

  test('the slow-handler run: sentences, badges and the inspector tell eviction, rebalance, rejected commit, duplicate', async () => {
    const run = runConsumerGroups(SLOW_HANDLER_PRESET, { seed: 1, untilMs: 700_000 });
    const view = createKafkaView(run.trace);
    const trace = run.trace.toArray();
    const left = trace.find((e) => e.kind === 'kafka-member-left') as { t: number };
    view.seek(left.t - 1);
    view.seek(left.t);
    expect(view.describeLastStep()).toBe('member 1 missed its heartbeats for the whole session timeout: group group-1 removed it and rebalances.');
    const member1 = view.topology.nodes.find((n) => n.label === 'member 1')?.id as string;
    expect(view.seek(left.t + 1_000).nodes.get(member1)?.badge).toBe('✕ evicted');
    const rejected = trace.find((e) => e.kind === 'kafka-commit' && e.error !== undefined) as { t: number };
    view.seek(rejected.t - 1);
    view.seek(rejected.t);
    expect(view.describeLastStep()).toBe('Group group-1 rejected a commit from member 1 (UNKNOWN_MEMBER_ID): it is no longer that member of the group.');
    const detail = await view.message((await view.messageIds())[0]);
    expect(detail?.title).toBe('m1 · task 1');
    expect(detail?.properties).toContainEqual(['offset', '0']);
    const texts = detail?.history.map((h) => h.text) ?? [];
    expect(texts.filter((t) => t.startsWith('handled by'))).toEqual(['handled by member 2', 'handled by member 1']);
    expect(texts).toContain('committed by group group-1');
    expect(view.seek(100_000).counters.duplicates).toBe(0);
    expect(view.seek(650_000).counters.duplicates).toBe(1);
    expect(view.seek(650_000).counters.rejectedCommits).toBe(1);
    expect(await view.message('m999')).toBeUndefined();
  });

  test('a kafkajs program\'s run: keys, headers and previews reach the inspector', async () => {
    const run = await runKafkaProgram(SLOW_HANDLER_PROGRAM, { untilMs: 700_000 });
    const view = createKafkaView(run.trace);
    expect(view.topology.nodes.filter((n) => n.shape === 'worker').map((n) => n.label)).toEqual(['consumer', 'consumer 2']);
    const detail = await view.message('m1');
    expect(detail?.body).toBe('resize image');
    expect(detail?.properties).toContainEqual(['key', 'job-1']);
    expect(detail?.history.some((h) => h.text === 'handled by consumer 2')).toBe(true);
  });
});
