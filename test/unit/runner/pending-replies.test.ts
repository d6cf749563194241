/** A run that ends while still awaiting a broker reply says so (simulator/runner/pending-replies.ts). */
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../../simulator/runner/run-program.ts';

const texts = (result: { console: { text: string }[] }) => result.console.map((line) => line.text);

describe('runner: a program that ends while waiting for a broker reply', () => {
  it('adds a warn line naming the call when a hung channel never answers (amqplib issue #575 behaviour)', async () => {
    const result = await runProgram(`
      const amqp = require('amqplib');
      const conn = await amqp.connect('amqp://localhost');
      const ch = await conn.createChannel();
      try { await ch.assertQueue('q'.repeat(300)); } catch (e) { console.log('first call failed'); }
      await ch.assertQueue('jobs');
      console.log('never printed');
    `);
    // The connection stays open, so a real process would hang there: the run ends as quiescent.
    expect(result.status).toBe('quiescent');
    expect(texts(result)).not.toContain('never printed');
    const notice = result.console.find((line) => line.text.startsWith('The program ended while still waiting'))!;
    expect(notice.level).toBe('warn');
    expect(notice.text).toMatch(/^The program ended while still waiting for a reply from the broker: channel\.assertQueue\(\) never got its answer/);
  });

  it('adds no notice to a program whose calls all got their replies', async () => {
    const result = await runProgram(`
      const amqp = require('amqplib');
      const conn = await amqp.connect('amqp://localhost');
      const ch = await conn.createChannel();
      await ch.assertQueue('jobs');
      ch.sendToQueue('jobs', Buffer.from('x'));
      await ch.consume('jobs', (msg) => { console.log('got', msg.content.toString()); ch.ack(msg); });
    `);
    expect(result.status).toBe('quiescent');
    expect(texts(result)[0]).toBe('got x');
    expect(texts(result).slice(1).join('\n')).not.toMatch(/waiting for a reply/);
  });

  it('still reports a library promise rejected with nothing handling it as an unhandled rejection', async () => {
    const result = await runProgram(`
      const amqp = require('amqplib');
      amqp.connect('http://localhost');
    `);
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/Expected amqp: or amqps: as the protocol/);
  });

  it('keeps channels printable and instanceof-true after tracking (methods are hidden own properties)', async () => {
    const result = await runProgram(`
      const amqp = require('amqplib');
      const conn = await amqp.connect('amqp://localhost');
      const ch = await conn.createChannel();
      console.log(Object.keys(ch).join(','), typeof ch.assertQueue, ch.assertQueue.name);
      await conn.close();
    `);
    expect(texts(result)).toEqual(['connection,ch function assertQueue']);
  });
});
