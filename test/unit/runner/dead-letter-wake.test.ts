/**
 * A broker's background timer that may hand a waiting program something keeps the run going (`nextWakeAtMs`,
 * execute-program.ts): a message expiring from a TTL queue into a dead-letter exchange reaches the consumer that
 * waits for it (a delayed retry), instead of the run ending as quiescent before the expiry. Once every process has
 * ended, such a timer keeps nothing alive (conformance program 25 ends as before).
 */
import { describe, expect, it } from 'vitest';
import { runPrograms } from '../../../simulator/runner/run-program.ts';

const program = `
import amqp from 'amqplib';
const connection = await amqp.connect('amqp://localhost');
const channel = await connection.createChannel();
await channel.assertQueue('work', { durable: false });
await channel.assertQueue('delay', {
  durable: false, messageTtl: 5000, deadLetterExchange: '', deadLetterRoutingKey: 'work',
});
channel.sendToQueue('delay', Buffer.from('later'));
await channel.consume('work', (msg) => {
  console.log('got ' + msg.content);
  channel.ack(msg);
});
`;

describe('runner: a message expiring into a dead-letter exchange wakes a waiting consumer', () => {
  it('delivers it at its expiry, then ends as quiescent', async () => {
    const result = await runPrograms([{ filename: 'delayed.mjs', source: program }], { seed: 1, untilMs: 60_000 });
    const got = result.console.find((l) => l.text === 'got later');
    expect(got, result.console.map((l) => l.text).join('\n')).toBeDefined();
    expect(got!.t).toBeGreaterThanOrEqual(5000);
    expect(result.status).toBe('quiescent');
  });

  it('does not keep a run alive once the program has ended', async () => {
    const ended = program.replace(/await channel\.consume[\s\S]*$/, 'await connection.close();\n');
    const result = await runPrograms([{ filename: 'ended.mjs', source: ended }], { seed: 1, untilMs: 60_000 });
    expect(result.status).toBe('completed');
    expect(result.endedAtMs ?? 0).toBeLessThan(5000);
  });
});
