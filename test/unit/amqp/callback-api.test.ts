import { describe, expect, it } from 'vitest';
import { runProgram } from '../../../simulator/runner/run-program.ts';
import { brokerOfModule, simulatedModules } from '../../../simulator/brokers/registry.ts';
import { amqpRuntimePlugin } from '../../../simulator/brokers/amqp/runtime.ts';

const lines = async (source: string) => (await runProgram(source)).console.map((l) => l.text);

describe('amqplib/callback_api on the simulator', () => {
  it('is registered under both names an ES module or a CommonJS program uses', () => {
    expect(brokerOfModule('amqplib/callback_api')?.id).toBe('amqp');
    expect(brokerOfModule('amqplib/callback_api.js')?.id).toBe('amqp');
    expect(simulatedModules()).toEqual(expect.arrayContaining(['amqplib', 'amqplib/callback_api']));
    expect(amqpRuntimePlugin.modules).toEqual(['amqplib', 'amqplib/callback_api', 'amqplib/callback_api.js']);
  });

  it('runs a CommonJS consumer written with callbacks', async () => {
    expect(await lines(`
      const amqp = require('amqplib/callback_api');
      amqp.connect('amqp://localhost', (err, conn) => {
        if (err) throw err;
        conn.createChannel((err2, ch) => {
          ch.assertQueue('hello', { durable: false }, (err3, ok) => {
            console.log('declared', ok.queue);
            ch.sendToQueue('hello', Buffer.from('hi'));
            ch.consume('hello', (m) => {
              console.log('got', m.content.toString());
              conn.close();
            }, { noAck: true }, (err4, ok4) => console.log('consuming', typeof ok4.consumerTag));
          });
        });
      });`)).toEqual(['declared hello', 'consuming string', 'got hi']);
  });

  it('passes a refused connection to the callback and throws what amqplib throws before any I/O', async () => {
    expect(await lines(`
      const amqp = require('amqplib/callback_api');
      try { amqp.connect('amqp://localhost:99999', () => {}); } catch (e) { console.log(e.name, e.code); }
      amqp.connect('amqp://localhost:1', (err) => console.log(err.code));
      amqp.connect((err, conn) => { console.log('default URL', err); conn.close((e) => console.log('closed', e)); });`))
      .toEqual(['RangeError ERR_SOCKET_BAD_PORT', 'ECONNREFUSED', 'default URL null', 'closed null']);
  });

  it('shares connection numbering with the promise API of the same program', async () => {
    const result = await runProgram(`
      const cb = require('amqplib/callback_api');
      const amqp = require('amqplib');
      cb.connect((err, a) => {
        amqp.connect().then((b) => { a.close(); b.close(); });
      });`);
    expect(result.trace.filter((e) => e.kind === 'connection-opened').map((e) => (e as { label: string }).label))
      .toEqual(['connection 1', 'connection 2']);
  });
});
