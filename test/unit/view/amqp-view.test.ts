/** The AMQP view adapter (simulator/brokers/amqp/view.ts): what the lesson's stage, inspector and charts get. */
import { describe, expect, it } from 'vitest';
import { amqpViewPlugin } from '../../../simulator/brokers/amqp/view.ts';
import { runWorkQueue } from '../../../simulator/brokers/amqp/scenarios/work-queue.ts';
import { runProgram, runPrograms } from '../../../simulator/runner/run-program.ts';

const TWO_PRODUCERS = `
const amqp = require('amqplib');
const a = await amqp.connect('amqp://localhost', { clientProperties: { connection_name: 'producer A' } });
const b = await amqp.connect('amqp://localhost', { clientProperties: { connection_name: 'producer B' } });
const ca = await a.createChannel();
const cb = await b.createChannel();
await ca.assertQueue('jobs');
ca.sendToQueue('jobs', Buffer.from('from A'), { persistent: true, contentType: 'text/plain', headers: { 'x-source': 'A', tries: 2 } });
for (let i = 0; i < 5; i++) cb.sendToQueue('jobs', Buffer.from('from B ' + i));
await new Promise((r) => setTimeout(r, 200));
await a.close(); await b.close();
`;

describe('AMQP view adapter', () => {
  it('counts what each producer published, not the total on every producer', async () => {
    const result = await runProgram(TWO_PRODUCERS);
    const view = amqpViewPlugin.createView(result.trace);
    const frame = view.seek(result.endedAtMs - 1);
    const status = (label: string) => {
      const node = view.topology.nodes.find((n) => n.label === label)!;
      return frame.nodes.get(node.id)?.status;
    };
    expect(status('producer A')).toBe('published 1');
    expect(status('producer B')).toBe('published 5');
    expect(frame.counters.published).toBe(6);
  });

  it('shows the properties, headers and body of a message in the inspector, with its history', async () => {
    const result = await runProgram(TWO_PRODUCERS);
    const view = amqpViewPlugin.createView(result.trace);
    const detail = (await view.message('m1'))!;
    expect(detail.body).toBe('from A');
    expect(detail.properties).toEqual(expect.arrayContaining([['routing key', 'jobs'], ['deliveryMode', '2'], ['contentType', 'text/plain']]));
    expect(detail.headers).toEqual([['x-source', 'A'], ['tries', '2']]);
    expect(detail.history.map((h) => h.text)).toEqual([
      expect.stringMatching(/^published by producer A to the default exchange with routing key "jobs"/),
      'enqueued in jobs (1 ready)',
    ]);
    // A message with nothing beyond its preview records no extra trace entry.
    expect(result.trace.filter((e) => e.kind === 'message-properties').map((e) => 'msgId' in e && e.msgId)).toEqual(['m1']);
  });

  it('names several consumers of one connection apart, and marks a request-reply reply queue', async () => {
    const result = await runPrograms([{ filename: 'rpc.js', source: `
      const amqp = require('amqplib');
      const conn = await amqp.connect('amqp://localhost');
      const ch = await conn.createChannel();
      await ch.assertQueue('rpc');
      await ch.consume('rpc', (m) => { ch.sendToQueue(m.properties.replyTo, Buffer.from('pong')); ch.ack(m); });
      await ch.consume('rpc', (m) => { ch.sendToQueue(m.properties.replyTo, Buffer.from('pong')); ch.ack(m); });
      const client = await amqp.connect('amqp://localhost');
      const cc = await client.createChannel();
      const { queue } = await cc.assertQueue('', { exclusive: true });
      await cc.consume(queue, (m) => console.log('reply', m.content.toString()), { noAck: true });
      cc.sendToQueue('rpc', Buffer.from('ping'), { replyTo: queue });
      await new Promise((r) => setTimeout(r, 300));
      await client.close(); await conn.close();
    ` }]);
    const view = amqpViewPlugin.createView(result.trace);
    const consumers = view.topology.nodes.filter((n) => n.shape === 'worker').map((n) => n.label);
    expect(consumers).toEqual(['connection 1 · consumer 1', 'connection 1 · consumer 2', 'connection 2']);
    expect(view.topology.edges.filter((e) => e.style === 'reply').map((e) => e.to)).toEqual([
      expect.stringMatching(/^queue:amq\.gen-/), expect.stringMatching(/^consumer:/),
    ]);
  });

  it('draws no numbers on a node before it exists', () => {
    const run = runWorkQueue({ producerRatePerSec: 5, messageCount: 3, consumerCount: 1, prefetch: 1, processingMs: 100,
      ackMode: 'manual', crashes: [] }, { seed: 1, untilMs: 60_000, latencyMs: 50 });
    const view = amqpViewPlugin.createView(run.trace);
    expect(view.seek(0).nodes.get('queue:tasks')).toBeUndefined();
    expect(view.seek(run.endedAtMs).nodes.get('queue:tasks')?.present).toBe(true);
  });

  it('gives the depth series of a burst: rising, then draining to zero', async () => {
    const run = runWorkQueue({ producerRatePerSec: 100, messageCount: 60, consumerCount: 2, prefetch: 1, processingMs: 200,
      ackMode: 'manual', crashes: [], burstSize: 30, burstEveryMs: 5000 }, { seed: 1, untilMs: 600_000, latencyMs: 10 });
    const depth = (await amqpViewPlugin.createView(run.trace).series()).get('depth')!;
    const values = depth.points.map((p) => p[1]);
    expect(Math.max(...values)).toBeGreaterThanOrEqual(20);
    expect(values.at(-1)).toBe(0);
    // Two bursts: the depth rises twice (it drains in between).
    const rises = values.filter((v, i) => i > 0 && values[i - 1] === 0 && v > 0).length;
    expect(rises).toBeGreaterThanOrEqual(2);
  });
});

describe('work-queue scenario: workers that start late', () => {
  it('keeps every message in the queue until the workers start, then delivers them all', () => {
    const run = runWorkQueue({ producerRatePerSec: 10, messageCount: 10, consumerCount: 2, prefetch: 1, processingMs: 50,
      ackMode: 'manual', crashes: [], consumersStartAtMs: 5000 }, { seed: 1, untilMs: 600_000, latencyMs: 10 });
    const trace = run.trace.toArray();
    const firstDelivery = trace.find((e) => e.kind === 'delivered')!;
    expect(firstDelivery.t).toBeGreaterThanOrEqual(5000);
    expect(trace.filter((e) => e.kind === 'acked')).toHaveLength(10);
  });
});

describe('AMQP view: returned messages', () => {
  it('counts a mandatory message that came back as returned, not as lost', async () => {
    const result = await runProgram(`
      const amqp = require('amqplib');
      const conn = await amqp.connect('amqp://localhost');
      const ch = await conn.createChannel();
      ch.on('return', (m) => console.log('returned', m.content.toString()));
      ch.publish('amq.direct', 'nobody', Buffer.from('a'), { mandatory: true });
      ch.publish('amq.direct', 'nobody', Buffer.from('b'));
      await new Promise((r) => setTimeout(r, 100));
      await conn.close();
    `);
    const frame = amqpViewPlugin.createView(result.trace).seek(result.endedAtMs);
    expect(result.console.map((l) => l.text)).toEqual(['returned a']);
    expect(frame.counters).toMatchObject({ returned: 1, dropped: 1, lost: 1 });
  });
});

describe('AMQP view: a broker restart and reconnecting workers', () => {
  it('says the broker is down while it is, and keeps one node per worker across its reconnection', () => {
    const run = runWorkQueue({ producerRatePerSec: 10, messageCount: 20, consumerCount: 2, prefetch: 1, processingMs: 300,
      ackMode: 'manual', crashes: [], brokerRestarts: [1500], brokerDownMs: 2000, persistent: true },
    { seed: 1, untilMs: 600_000, latencyMs: 10 });
    const view = amqpViewPlugin.createView(run.trace);
    const workers = view.topology.nodes.filter((n) => n.shape === 'worker').map((n) => n.label);
    expect(workers).toEqual(['worker 1', 'worker 2']);
    expect(view.seek(2000).notice).toBe('The broker is down (restarting): back at 3.5 s');
    expect(view.seek(5000).notice).toBeUndefined();
    const later = view.seek(6000);
    expect([...later.nodes.values()].filter((n) => n.state === 'cancelled')).toEqual([]);
  });
});
