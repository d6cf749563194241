import { describe, expect, it } from 'vitest';
import { Buffer } from 'buffer';
import { lab, ofKind, run, settle } from './helpers.ts';
import { crashConnection, type Channel, type ChannelModel, type Message } from '../../../simulator/brokers/amqp/amqplib/index.ts';

const body = (s: string) => Buffer.from(s);
const text = (m: Message | null | false) => (m ? m.content.toString() : String(m));

/** Connects and opens a channel; publishes `messages` to `queue` (declared first). */
async function channelWith(amqp: ReturnType<typeof lab>['amqp'], queue: string, messages: string[]) {
  const conn = await amqp.connect('amqp://localhost');
  const ch = await conn.createChannel();
  await ch.assertQueue(queue);
  for (const m of messages) ch.sendToQueue(queue, body(m));
  return { conn, ch };
}

describe('amqplib facade: the first lesson acceptance scenario', () => {
  it('prefetch(2) without acks delivers m1, m2 and leaves 3 ready; acking one lets m3 through', async () => {
    const { engine, amqp, broker } = lab();
    const got: Message[] = [];
    let ch!: Channel;
    await run(engine, async () => {
      ({ ch } = await channelWith(amqp, 'tasks', ['m1', 'm2', 'm3', 'm4', 'm5']));
      await ch.prefetch(2);
      await ch.consume('tasks', (m) => { if (m) got.push(m); });
    });
    expect(got.map(text)).toEqual(['m1', 'm2']);
    expect(await run(engine, () => ch.checkQueue('tasks'))).toEqual({ queue: 'tasks', messageCount: 3, consumerCount: 1 });
    ch.ack(got[0]);
    await settle(engine);
    expect(got.map(text)).toEqual(['m1', 'm2', 'm3']);
    expect(broker.queueStats('tasks')).toEqual({ ready: 2, unacked: 2, consumers: 1 });
  });
});

describe('amqplib facade: shapes and timing', () => {
  it('builds messages exactly like amqplib (fields, 14 properties, Buffer content)', async () => {
    const { engine, amqp } = lab();
    let delivered: Message | null = null;
    let got: Message | false = false;
    await run(engine, async () => {
      const { ch } = await channelWith(amqp, 'q', []);
      ch.sendToQueue('q', body('hello'), { persistent: true, messageId: 'x1', contentType: 'text/plain', headers: { a: 1 } });
      ch.sendToQueue('q', body('second'));
      got = await ch.get('q');
      await ch.consume('q', (m) => { delivered = m; }, { consumerTag: 'my-tag' });
    });
    const g = got as unknown as Message;
    expect(g.fields).toEqual({ deliveryTag: 1, redelivered: false, exchange: '', routingKey: 'q', messageCount: 1 });
    expect(Object.keys(g)).toEqual(['fields', 'properties', 'content']);
    expect(g.properties).toEqual({
      contentType: 'text/plain', contentEncoding: undefined, headers: { a: 1 }, deliveryMode: 2, priority: undefined,
      correlationId: undefined, replyTo: undefined, expiration: undefined, messageId: 'x1', timestamp: undefined,
      type: undefined, userId: undefined, appId: undefined, clusterId: undefined,
    });
    expect(Object.keys(g.properties)).toHaveLength(14);
    expect(Buffer.isBuffer(g.content)).toBe(true);
    const d = delivered as unknown as Message;
    expect(d.fields).toEqual({ consumerTag: 'my-tag', deliveryTag: 2, redelivered: false, exchange: '', routingKey: 'q' });
    expect(d.properties.headers).toEqual({});
    expect(text(d)).toBe('second');
  });

  it('takes one round trip (2 × latency) per RPC and one latency per delivery', async () => {
    const { engine, amqp } = lab(1, 25);
    const times: Record<string, number> = {};
    await run(engine, async () => {
      const conn = await amqp.connect();
      times.connected = engine.nowMs;
      const ch = await conn.createChannel();
      times.channel = engine.nowMs;
      await ch.assertQueue('q');
      times.declared = engine.nowMs;
      ch.sendToQueue('q', body('x'));
      await new Promise<void>((resolve) => { void ch.consume('q', () => { times.delivered = engine.nowMs; resolve(); }); });
    });
    expect(times).toEqual({ connected: 50, channel: 100, declared: 150, delivered: 200 });
  });

  it('returns server-named queues amq.gen-… and consumer tags amq.ctag-…', async () => {
    const { engine, amqp } = lab();
    const out = await run(engine, async () => {
      const conn = await amqp.connect();
      const ch = await conn.createChannel();
      const { queue } = await ch.assertQueue('', { exclusive: true });
      const { consumerTag } = await ch.consume(queue, () => {});
      return { queue, consumerTag };
    });
    expect(out.queue).toMatch(/^amq\.gen-[A-Za-z0-9_-]{22}$/);
    expect(out.consumerTag).toMatch(/^amq\.ctag-[A-Za-z0-9_-]{22}$/);
  });

  it('gives the same trace for the same seed and program', async () => {
    const program = async (seed: number) => {
      const { engine, amqp } = lab(seed);
      await run(engine, async () => {
        const { ch } = await channelWith(amqp, '', []);
        const { queue } = await ch.assertQueue('');
        for (let i = 0; i < 5; i++) ch.sendToQueue(queue, body(`m${i}`));
        await ch.consume(queue, (m) => { if (m) ch.ack(m); });
      });
      return JSON.stringify(engine.trace);
    };
    expect(await program(7)).toBe(await program(7));
    expect(await program(7)).not.toBe(await program(8));
  });
});

describe('amqplib facade: consuming', () => {
  it('round-robins between consumers', async () => {
    const { engine, amqp } = lab();
    const a: string[] = [];
    const b: string[] = [];
    await run(engine, async () => {
      const { conn, ch } = await channelWith(amqp, 'q', []);
      const ch2 = await conn.createChannel();
      await ch.consume('q', (m) => { a.push(text(m)); }, { noAck: true });
      await ch2.consume('q', (m) => { b.push(text(m)); }, { noAck: true });
      for (let i = 1; i <= 6; i++) ch.sendToQueue('q', body(`m${i}`));
    });
    expect(a).toEqual(['m1', 'm3', 'm5']);
    expect(b).toEqual(['m2', 'm4', 'm6']);
  });

  it('applies prefetch only to consumers created after it (per-consumer, global=false)', async () => {
    const { engine, amqp, broker } = lab();
    const a: Message[] = [];
    const b: Message[] = [];
    await run(engine, async () => {
      const { ch } = await channelWith(amqp, 'q', []);
      await ch.consume('q', (m) => { if (m) a.push(m); });
      await ch.prefetch(1);
      await ch.consume('q', (m) => { if (m) b.push(m); });
      for (let i = 1; i <= 6; i++) ch.sendToQueue('q', body(`m${i}`));
    });
    expect(b.map(text)).toEqual(['m2']);
    expect(a.map(text)).toEqual(['m1', 'm3', 'm4', 'm5', 'm6']);
    expect(broker.queueStats('q')).toEqual({ ready: 0, unacked: 6, consumers: 2 });
  });

  it('cancel stops deliveries but keeps unacked messages to ack', async () => {
    const { engine, amqp, broker } = lab();
    const got: Message[] = [];
    let ch!: Channel;
    await run(engine, async () => {
      ({ ch } = await channelWith(amqp, 'q', ['m1', 'm2', 'm3']));
      await ch.prefetch(1);
      const { consumerTag } = await ch.consume('q', (m) => { if (m) got.push(m); });
      expect(await ch.cancel(consumerTag)).toBeUndefined();
      ch.ack(got[0]);
    });
    expect(got.map(text)).toEqual(['m1']);
    expect(broker.queueStats('q')).toEqual({ ready: 2, unacked: 0, consumers: 0 });
  });

  it('calls the consume callback with null when the queue is deleted, and reports its ready count', async () => {
    const { engine, amqp } = lab();
    const calls: (string | null)[] = [];
    const deleted = await run(engine, async () => {
      const { conn, ch } = await channelWith(amqp, 'q', ['m1', 'm2', 'm3']);
      await ch.prefetch(1);
      await ch.consume('q', (m) => { calls.push(m === null ? null : text(m)); });
      const admin = await conn.createChannel();
      return admin.deleteQueue('q');
    });
    expect(deleted).toEqual({ messageCount: 2 });
    expect(calls).toEqual(['m1', null]);
  });

  it('purges ready messages only', async () => {
    const { engine, amqp, broker } = lab();
    const purged = await run(engine, async () => {
      const { ch } = await channelWith(amqp, 'q', ['m1', 'm2', 'm3']);
      await ch.get('q');
      return ch.purgeQueue('q');
    });
    expect(purged).toEqual({ messageCount: 2 });
    expect(broker.queueStats('q')).toEqual({ ready: 0, unacked: 1, consumers: 0 });
  });

  it('get returns false on an empty queue and an unacked message otherwise', async () => {
    const { engine, amqp, broker } = lab();
    const out = await run(engine, async () => {
      const { ch } = await channelWith(amqp, 'q', []);
      const empty = await ch.get('q');
      ch.sendToQueue('q', body('m1'));
      const one = await ch.get('q');
      const unackedBefore = broker.queueStats('q')?.unacked;
      if (one) ch.ack(one);
      await ch.checkQueue('q');
      return { empty, one: text(one), unackedBefore, unackedAfter: broker.queueStats('q')?.unacked };
    });
    expect(out).toEqual({ empty: false, one: 'm1', unackedBefore: 1, unackedAfter: 0 });
  });
});

describe('amqplib facade: acknowledgements', () => {
  it('requeues a rejected message to its original position, marked redelivered', async () => {
    const { engine, amqp } = lab();
    const order = await run(engine, async () => {
      const { ch } = await channelWith(amqp, 'q', ['m1', 'm2', 'm3', 'm4', 'm5']);
      const m1 = await ch.get('q');
      const m2 = await ch.get('q');
      const m3 = await ch.get('q');
      if (!m1 || !m2 || !m3) throw new Error('empty');
      ch.reject(m2, true);
      ch.reject(m1, true);
      ch.ack(m3);
      const out: string[] = [];
      for (;;) {
        const m = await ch.get('q', { noAck: true });
        if (!m) break;
        out.push(text(m) + (m.fields.redelivered ? '*' : ''));
      }
      return out;
    });
    // Same as RabbitMQ 3.10 (see /tmp conformance run in the report): m1*, m2*, m4, m5.
    expect(order).toEqual(['m1*', 'm2*', 'm4', 'm5']);
  });

  it('acks every delivery up to a tag with allUpTo', async () => {
    const { engine, amqp, broker } = lab();
    await run(engine, async () => {
      const { ch } = await channelWith(amqp, 'q', ['m1', 'm2', 'm3', 'm4']);
      const got: Message[] = [];
      await new Promise<void>((resolve) => {
        void ch.consume('q', (m) => { if (m) got.push(m); if (got.length === 4) resolve(); });
      });
      ch.ack(got[2], true);
      await ch.checkQueue('q');
    });
    expect(broker.queueStats('q')).toEqual({ ready: 0, unacked: 1, consumers: 1 });
    expect(ofKind(engine.trace, 'acked').map((e) => e.deliveryTag)).toEqual([1, 2, 3]);
  });

  it('nack with allUpTo and requeue=false drops; nackAll() requeues the rest', async () => {
    const { engine, amqp, broker } = lab();
    await run(engine, async () => {
      const { ch } = await channelWith(amqp, 'q', ['m1', 'm2', 'm3', 'm4']);
      const got: Message[] = [];
      for (let i = 0; i < 4; i++) got.push((await ch.get('q')) as Message);
      ch.nack(got[1], true, false);
      ch.nackAll();
      await ch.checkQueue('q');
    });
    expect(broker.readyIds('q')).toEqual(['m3', 'm4']);
    expect(ofKind(engine.trace, 'nacked').map((e) => `${e.msgId}:${e.requeue}`)).toEqual(['m1:false', 'm2:false', 'm3:true', 'm4:true']);
  });

  it('returns unacked messages (redelivered) when their channel closes', async () => {
    const { engine, amqp } = lab();
    const second: Message[] = [];
    await run(engine, async () => {
      const { conn, ch } = await channelWith(amqp, 'q', ['m1', 'm2']);
      await ch.consume('q', () => {});
      await ch.checkQueue('q');
      await ch.close();
      const ch2 = await conn.createChannel();
      await ch2.consume('q', (m) => { if (m) second.push(m); });
    });
    expect(second.map((m) => `${text(m)}:${m.fields.redelivered}`)).toEqual(['m1:true', 'm2:true']);
  });

  it('returns unacked messages when a consumer crashes (its connection drops)', async () => {
    const { engine, amqp, broker } = lab();
    const survivor: Message[] = [];
    await run(engine, async () => {
      const { ch } = await channelWith(amqp, 'q', []);
      const worker = await amqp.connect('amqp://localhost', { clientProperties: { connection_name: 'worker 1' } });
      const wch = await worker.createChannel();
      await wch.prefetch(1);
      await wch.consume('q', () => {});
      ch.sendToQueue('q', body('m1'));
      await ch.checkQueue('q');
      broker.dropConnection(worker.id);
      await ch.consume('q', (m) => { if (m) survivor.push(m); });
    });
    expect(survivor.map((m) => `${text(m)}:${m.fields.redelivered}`)).toEqual(['m1:true']);
    expect(ofKind(engine.trace, 'consumer-crashed')).toHaveLength(1);
    expect(ofKind(engine.trace, 'connection-opened').map((e) => e.label)).toEqual(['connection 1', 'worker 1']);
  });
});

describe('amqplib facade: errors (messages as amqplib 0.10 + RabbitMQ 3.10 print them)', () => {
  it('rejects checkQueue of a missing queue with 404, then error and close events, then "Channel closed"', async () => {
    const { engine, amqp } = lab();
    const events: string[] = [];
    const out = await run(engine, async () => {
      const conn = await amqp.connect();
      const ch = await conn.createChannel();
      ch.on('error', (e: Error) => events.push(`error: ${e.message}`));
      ch.on('close', () => events.push('close'));
      const failure = (await ch.checkQueue('nope').then(() => new Error('resolved'), (e: Error) => e)) as Error & { code: number };
      const later = await ch.assertQueue('q').catch((e: Error) => `${e.name}: ${e.message}`);
      let syncThrow = '';
      try { ch.sendToQueue('q', body('x')); } catch (e) { syncThrow = (e as Error).message; }
      return { message: failure.message, code: failure.code, later, syncThrow };
    });
    expect(out.message).toBe(`Operation failed: QueueDeclare; 404 (NOT-FOUND) with message "NOT_FOUND - no queue 'nope' in vhost '/'"`);
    expect(out.code).toBe(404);
    expect(out.later).toBe('IllegalOperationError: Channel closed');
    expect(out.syncThrow).toBe('Channel closed');
    expect(events).toEqual([`error: Channel closed by server: 404 (NOT-FOUND) with message "NOT_FOUND - no queue 'nope' in vhost '/'"`, 'close']);
  });

  it('closes the channel with 406 on an unknown delivery tag and requeues what it held', async () => {
    const { engine, amqp, broker } = lab();
    const errors: string[] = [];
    await run(engine, async () => {
      const { ch } = await channelWith(amqp, 'q', ['m1']);
      ch.on('error', (e: Error) => errors.push(e.message));
      const m = await ch.get('q');
      if (m) { ch.ack(m); ch.ack(m); }
    });
    expect(errors).toEqual(['Channel closed by server: 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - unknown delivery tag 1"']);
    expect(broker.queueStats('q')).toEqual({ ready: 0, unacked: 0, consumers: 0 });
    expect(ofKind(engine.trace, 'channel-closed')[0].reason).toEqual({ code: 406, text: 'PRECONDITION_FAILED - unknown delivery tag 1' });
  });

  it('rejects RPCs queued behind a failing one with "Channel ended, no reply will be forthcoming"', async () => {
    const { engine, amqp } = lab();
    const out = await run(engine, async () => {
      const conn = await amqp.connect();
      const ch = await conn.createChannel();
      ch.on('error', () => {});
      const a = ch.checkQueue('nope').catch((e: Error) => e.message);
      const b = ch.assertQueue('q').catch((e: Error) => e.message);
      return Promise.all([a, b]);
    });
    expect(out[1]).toBe('Channel ended, no reply will be forthcoming');
  });

  it('rejects get on a missing queue with the raw close frame, like amqplib 0.10', async () => {
    const { engine, amqp } = lab();
    const frame = await run(engine, async () => {
      const conn = await amqp.connect();
      const ch = await conn.createChannel();
      ch.on('error', () => {});
      return ch.get('nope').catch((e: unknown) => e);
    });
    expect(frame).toEqual({ id: 1310760, channel: 1, fields: { replyCode: 404, replyText: "NOT_FOUND - no queue 'nope' in vhost '/'", classId: 60, methodId: 70 } });
  });

  it('throws TypeError("content is not a buffer") for a string body', async () => {
    const { engine, amqp } = lab();
    const message = await run(engine, async () => {
      const { ch } = await channelWith(amqp, 'q', []);
      try { ch.sendToQueue('q', 'hello' as unknown as Buffer); } catch (e) { return `${(e as Error).name}: ${(e as Error).message}`; }
      return 'no error';
    });
    expect(message).toBe('TypeError: content is not a buffer');
  });

  it('rejects an inequivalent redeclaration with 406 naming the argument', async () => {
    const { engine, amqp } = lab();
    const message = await run(engine, async () => {
      const { conn } = await channelWith(amqp, 'q', []);
      const ch = await conn.createChannel();
      ch.on('error', () => {});
      return ch.assertQueue('q', { durable: false }).catch((e: Error) => e.message);
    });
    expect(message).toBe(`Operation failed: QueueDeclare; 406 (PRECONDITION-FAILED) with message "PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'q' in vhost '/': received 'false' but current is 'true'"`);
  });

  it('closes the whole connection with 530 when a consumer tag is reused', async () => {
    const { engine, amqp } = lab();
    const events: string[] = [];
    const out = await run(engine, async () => {
      const { conn, ch } = await channelWith(amqp, 'q', []);
      conn.on('error', (e: Error) => events.push(`conn error: ${e.message}`));
      conn.on('close', () => events.push('conn close'));
      ch.on('close', () => events.push('ch close'));
      await ch.consume('q', () => {}, { consumerTag: 'x' });
      const failure = await ch.consume('q', () => {}, { consumerTag: 'x' }).catch((e: Error) => e.message);
      const after = await conn.createChannel().catch((e: Error) => e.message);
      return { failure, after };
    });
    expect(out.failure).toBe('Channel ended, no reply will be forthcoming');
    expect(out.after).toBe(`Connection closed (Error: Connection closed: 530 (NOT-ALLOWED) with message "NOT_ALLOWED - attempt to reuse consumer tag 'x'")`);
    expect(events).toEqual([
      `conn error: Connection closed: 530 (NOT-ALLOWED) with message "NOT_ALLOWED - attempt to reuse consumer tag 'x'"`,
      'ch close', 'conn close',
    ]);
  });

  it('throws the channel error when nothing listens for it (an unhandled error event)', async () => {
    const { engine, amqp } = lab();
    const caught = await run(engine, async () => {
      const conn = await amqp.connect();
      const ch = await conn.createChannel();
      void ch.checkQueue('nope').catch(() => {});
    }).then(() => 'no throw', (e: Error) => e.message);
    expect(caught).toBe(`Channel closed by server: 404 (NOT-FOUND) with message "NOT_FOUND - no queue 'nope' in vhost '/'"`);
  });

  it('rejects a non-AMQP URL like amqplib and accepts the rest', async () => {
    const { engine, amqp } = lab();
    const urls = ['http://localhost', 'localhost', 'localhost:5672', 'AMQP://guest:guest@127.0.0.1', '', 'amqps://h'];
    const outcomes = await run(engine, () => Promise.all(urls.map((u) => amqp.connect(u).then(() => 'ok', (e: Error) => e.message))));
    expect(outcomes).toEqual([
      'Expected amqp: or amqps: as the protocol; got http:',
      'Expected amqp: or amqps: as the protocol; got ',
      'Expected amqp: or amqps: as the protocol; got localhost:',
      'ok', 'ok', 'ok',
    ]);
  });

  it('fails closed connections with amqplib\'s IllegalOperationError messages', async () => {
    const { engine, amqp } = lab();
    const out = await run(engine, async () => {
      const conn: ChannelModel = await amqp.connect();
      const ch = await conn.createChannel();
      const closeEvents: string[] = [];
      ch.on('close', () => closeEvents.push('ch'));
      conn.on('close', () => closeEvents.push('conn'));
      await conn.close();
      const again = await conn.close().catch((e: Error) => `${e.name}: ${e.message}`);
      const channel = await conn.createChannel().catch((e: Error) => e.message);
      const onChannel = await ch.checkQueue('q').catch((e: Error) => e.message);
      return { closeEvents, again, channel, onChannel };
    });
    expect(out).toEqual({
      closeEvents: ['ch', 'conn'],
      again: 'IllegalOperationError: Connection closed (by client)',
      channel: 'Connection closed (by client)',
      onChannel: 'Channel closed',
    });
  });
});

describe('amqplib facade: confirm channels', () => {
  it('calls publish callbacks and resolves waitForConfirms once the broker routed the messages', async () => {
    const { engine, amqp } = lab();
    const out = await run(engine, async () => {
      const conn = await amqp.connect();
      const ch = await conn.createConfirmChannel();
      await ch.assertQueue('q');
      const confirmed: string[] = [];
      ch.sendToQueue('q', body('a'), {}, (err) => confirmed.push(`a:${String(err)}`));
      ch.sendToQueue('nowhere', body('b'), {}, (err) => confirmed.push(`b:${String(err)}`));
      await ch.waitForConfirms();
      return { confirmed, at: engine.nowMs };
    });
    expect(out.confirmed).toEqual(['a:null', 'b:null']);
  });
});

describe('amqplib facade: returns and exchanges', () => {
  it('emits return (312 NO_ROUTE) for an unroutable mandatory message, before its confirm', async () => {
    const { engine, amqp } = lab();
    const events = await run(engine, async () => {
      const conn = await amqp.connect();
      const ch = await conn.createConfirmChannel();
      const seen: string[] = [];
      ch.on('return', (m: Message & { fields: { replyCode: number; replyText: string } }) =>
        seen.push(`return ${JSON.stringify(m.fields)} ${m.content.toString()} ${String(m.properties.messageId)}`));
      ch.sendToQueue('nowhere', body('lost'), { mandatory: true, messageId: 'a' }, (err) => seen.push(`confirm ${String(err)}`));
      ch.sendToQueue('nowhere', body('quiet'), {}, (err) => seen.push(`confirm ${String(err)}`));
      await ch.waitForConfirms();
      return seen;
    });
    expect(events).toEqual([
      'return {"replyCode":312,"replyText":"NO_ROUTE","exchange":"","routingKey":"nowhere"} lost a',
      'confirm null',
      'confirm null',
    ]);
  });

  it('closes the channel with 404 when publishing to a missing exchange', async () => {
    const { engine, amqp } = lab();
    const errors = await run(engine, async () => {
      const conn = await amqp.connect();
      const ch = await conn.createChannel();
      const seen: string[] = [];
      ch.on('error', (e: Error & { classId: number; methodId: number }) => seen.push(`${e.message} ${e.classId} ${e.methodId}`));
      ch.publish('no-such-ex', 'k', body('x'));
      await new Promise<void>((resolve) => { ch.on('close', () => resolve()); });
      return seen;
    });
    expect(errors).toEqual([`Channel closed by server: 404 (NOT-FOUND) with message "NOT_FOUND - no exchange 'no-such-ex' in vhost '/'" 60 40`]);
  });
});

describe('amqplib facade: prefetch arguments', () => {
  it('rejects counts amqplib cannot encode, with amqplib\'s errors, and truncates fractions', async () => {
    const { engine, amqp } = lab();
    const out = await run(engine, async () => {
      const conn = await amqp.connect();
      // A fresh channel each time: like amqplib, an RPC that fails to encode leaves its channel waiting forever.
      const outcome = async (count: unknown) => (await conn.createChannel()).prefetch(count as number)
        .then((r) => `ok ${JSON.stringify(r)}`, (e: Error) => `${e.name}: ${e.message}`);
      return [
        await outcome(70000),
        await outcome(-1),
        await outcome('3'),
        await outcome(1.5),
        await outcome(null),
      ];
    });
    expect(out).toEqual([
      'RangeError: The value of "value" is out of range. It must be >= 0 and <= 65535. Received 70000',
      'RangeError: The value of "value" is out of range. It must be >= 0 and <= 65535. Received -1',
      "TypeError: Field 'prefetchCount' is the wrong type; must be a number (but not NaN)",
      'ok {}',
      'ok {}',
    ]);
    expect(ofKind(engine.trace, 'consumer-added')).toHaveLength(0);
  });
});

describe('amqplib facade: recover', () => {
  it('redelivers every unacked message of the channel in queue order (as RabbitMQ 3.10 did: m1 m2 m1* m2*)', async () => {
    const { engine, amqp } = lab();
    const got: string[] = [];
    const reply = await run(engine, async () => {
      const { ch } = await channelWith(amqp, 'q', ['m1', 'm2', 'm3']);
      await ch.prefetch(2);
      await ch.consume('q', (m) => { if (m) got.push(`${text(m)}${m.fields.redelivered ? '*' : ''}${m.fields.deliveryTag}`); });
      await ch.checkQueue('q');
      return ch.recover();
    });
    expect(reply).toEqual({});
    expect(got.join(',')).toBe('m11,m22,m1*3,m2*4');
  });
});

describe('amqplib facade: crashConnection', () => {
  it('silences the crashed program and hands its unacked messages to another consumer', async () => {
    const { engine, amqp } = lab();
    const crashed: string[] = [];
    const survivor: string[] = [];
    await run(engine, async () => {
      const { ch } = await channelWith(amqp, 'q', []);
      const worker = await amqp.connect();
      const wch = await worker.createChannel();
      await wch.prefetch(2);
      await wch.consume('q', (m) => { if (m) crashed.push(text(m)); });
      ch.sendToQueue('q', body('m1'));
      await ch.checkQueue('q');
      ch.sendToQueue('q', body('m2'));
      crashConnection(worker); // m2 is on its way to the worker, which is dead when it arrives
      await ch.consume('q', (m) => { if (m) survivor.push(`${text(m)}:${m.fields.redelivered}`); });
    });
    expect(crashed).toEqual(['m1']);
    expect(survivor).toEqual(['m1:true', 'm2:true']);
  });
});
