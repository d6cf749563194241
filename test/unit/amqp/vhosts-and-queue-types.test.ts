import { describe, expect, it } from 'vitest';
import { Buffer } from 'buffer';
import { lab, ofKind, run, settle } from './helpers.ts';
import { vhostOf } from '../../../simulator/brokers/amqp/amqplib/index.ts';
import { parseReplyAddress, replyChannelPart } from '../../../simulator/brokers/amqp/model/reply-to.ts';

describe('virtual hosts', () => {
  it('reads the vhost of a URL as amqplib does', () => {
    expect(vhostOf('amqp://localhost')).toBe('/');
    expect(vhostOf('amqp://localhost/')).toBe('/');
    expect(vhostOf('amqp://localhost//')).toBe('/');
    expect(vhostOf('amqp://localhost/%2f')).toBe('/');
    expect(vhostOf('amqp://guest:guest@h:5672/shop?heartbeat=5')).toBe('shop');
    expect(vhostOf('amqp://h/a%2Fb')).toBe('a/b');
    expect(vhostOf('amqp://h/%zz')).toBe('%zz');
    expect(vhostOf({ hostname: 'h', vhost: 'shop' })).toBe('shop');
    expect(vhostOf({ hostname: 'h' })).toBe('/');
  });

  it('keeps queues apart per vhost and names them vhost/name in the trace', async () => {
    const { engine, amqp, broker } = lab();
    broker.addVhost('shop');
    expect(broker.vhostNames()).toEqual(['/', 'shop']);
    await run(engine, async () => {
      const a = await (await amqp.connect('amqp://localhost')).createChannel();
      const b = await (await amqp.connect('amqp://localhost/shop')).createChannel();
      await a.assertQueue('q', { durable: false });
      await b.assertQueue('q', { durable: true });
      b.sendToQueue('q', Buffer.from('x'));
    });
    await settle(engine);
    expect(broker.queueStats('q')).toEqual({ ready: 0, unacked: 0, consumers: 0 });
    expect(broker.queueStats('q', 'shop')).toEqual({ ready: 1, unacked: 0, consumers: 0 });
    expect(ofKind(engine.trace, 'queue-declared').map((e) => e.queue)).toEqual(['q', 'shop/q']);
    expect(ofKind(engine.trace, 'enqueued').map((e) => e.queue)).toEqual(['shop/q']);
  });

  it('fails the handshake for an unknown vhost, recording a 530 close', async () => {
    const { engine, amqp } = lab();
    const message = await run(engine, () => amqp.connect('amqp://localhost/nope').then(() => 'connected', (e: Error) => e.message));
    expect(message).toBe('Expected ConnectionOpenOk; got <ConnectionClose channel:0>');
    expect(ofKind(engine.trace, 'connection-closed')[0].reason).toEqual({ code: 530, text: 'NOT_ALLOWED - vhost nope not found' });
  });

  it('deleting a vhost closes its connections (320) and removes its queues', async () => {
    const { engine, amqp, broker } = lab();
    broker.addVhost('tmp');
    const closes: string[] = [];
    await run(engine, async () => {
      const conn = await amqp.connect('amqp://localhost/tmp');
      conn.on('close', (e: Error) => closes.push(e.message));
      await (await conn.createChannel()).assertQueue('q');
      broker.deleteVhost('tmp');
    });
    await settle(engine);
    expect(closes).toEqual([`Connection closed: 320 (CONNECTION-FORCED) with message "CONNECTION_FORCED - vhost 'tmp' is deleted"`]);
    expect(broker.vhostNames()).toEqual(['/']);
    expect(() => broker.addVhost('')).toThrow(TypeError);
  });
});

describe('queue types', () => {
  it('refuses a stream queue RabbitMQ would accept as not simulated (540 closes the connection)', async () => {
    const { engine, amqp } = lab();
    const seen: string[] = [];
    await run(engine, async () => {
      const conn = await amqp.connect('amqp://localhost');
      conn.on('error', (e: Error) => seen.push(e.message));
      const ch = await conn.createChannel();
      await ch.assertQueue('s', { arguments: { 'x-queue-type': 'stream' } }).catch((e: Error) => seen.push(e.message));
    });
    expect(seen[0]).toBe('Connection closed: 540 (NOT-IMPLEMENTED) with message "NOT_IMPLEMENTED - stream queues are not '
      + 'simulated by MQ Lab (x-queue-type \'stream\' for queue \'s\' in vhost \'/\'); declare a classic or quorum queue instead"');
  });

  it('records quorum queues with their type', async () => {
    const { engine, amqp } = lab();
    await run(engine, async () => {
      const ch = await (await amqp.connect('amqp://localhost')).createChannel();
      await ch.assertQueue('q', { arguments: { 'x-queue-type': 'quorum' } });
      await ch.assertQueue('c', { durable: false });
    });
    expect(ofKind(engine.trace, 'queue-declared').map((e) => e.queueType)).toEqual(['quorum', undefined]);
  });
});

describe('direct reply-to addresses', () => {
  it('look like RabbitMQ\'s and parse back; malformed and undecodable ones are told apart', () => {
    const part = replyChannelPart(1);
    expect(part).toMatch(/^g1h2AA1yZXBseU[A-Za-z0-9+/]+=*$/);
    expect(part).toHaveLength(40);
    expect(parseReplyAddress(`amq.rabbitmq.reply-to.${part}.key`)).toEqual({ channel: part, key: 'key' });
    expect(parseReplyAddress(`amq.rabbitmq.reply-to..${part}..key`)).toEqual({ channel: part, key: 'key' });
    expect(parseReplyAddress('amq.rabbitmq.reply-to.one')).toBe('malformed');
    expect(parseReplyAddress(`amq.rabbitmq.reply-to.${part}.a.b`)).toBe('malformed');
    expect(parseReplyAddress('amq.rabbitmq.reply-to.garbage.key')).toBe('undecodable');
    expect(parseReplyAddress('amq.rabbitmq.reply-to.aGVsbG8=.key')).toBe('undecodable');
  });

  it('records a reply as delivered from the pseudo-queue and acked on delivery', async () => {
    const { engine, amqp } = lab();
    const replies: string[] = [];
    await run(engine, async () => {
      const conn = await amqp.connect('amqp://localhost');
      const server = await conn.createChannel();
      await server.assertQueue('rpc');
      await server.consume('rpc', (m) => {
        if (m) server.sendToQueue(m.properties.replyTo as string, Buffer.from('pong'));
      }, { noAck: true });
      const client = await conn.createChannel();
      await client.consume('amq.rabbitmq.reply-to', (m) => m && replies.push(m.content.toString()), { noAck: true });
      client.sendToQueue('rpc', Buffer.from('ping'), { replyTo: 'amq.rabbitmq.reply-to' });
    });
    await settle(engine);
    expect(replies).toEqual(['pong']);
    const reply = ofKind(engine.trace, 'delivered').find((e) => e.queue === 'amq.rabbitmq.reply-to');
    expect(reply).toMatchObject({ msgId: 'm2', deliveryTag: 1, redelivered: false });
    expect(ofKind(engine.trace, 'dropped').filter((e) => e.msgId === 'm2')).toMatchObject([{ reason: 'acked-on-delivery' }]);
  });
});
