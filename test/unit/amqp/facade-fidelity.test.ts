import { Buffer } from 'buffer';
import { describe, expect, it } from 'vitest';
import { lab, ofKind, run } from './helpers.ts';
import type { Channel, ChannelModel, Message } from '../../../simulator/brokers/amqp/amqplib/index.ts';
import { checkBasicProperties, checkMethodFields } from '../../../simulator/brokers/amqp/amqplib/encode.ts';

const body = (s: string) => Buffer.from(s);
const describeError = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : `non-error ${String(e)}`);
const WRONG_QUEUE = "TypeError: Field 'queue' is the wrong type; must be a string (up to 255 chars)";

async function open(amqp: ReturnType<typeof lab>['amqp']): Promise<{ conn: ChannelModel; ch: Channel }> {
  const conn = await amqp.connect('amqp://localhost');
  const ch = await conn.createChannel();
  return { conn, ch };
}

describe('facade field checks (amqplib lib/defs.js encoders)', () => {
  it('throws synchronously from publish and ack, with amqplib\'s messages', async () => {
    const { engine, amqp } = lab();
    const out = await run(engine, async () => {
      const { ch } = await open(amqp);
      const attempt = (fn: () => unknown) => { try { return `returned ${String(fn())}`; } catch (e) { return describeError(e); } };
      return [
        attempt(() => ch.sendToQueue(123 as unknown as string, body('x'))),
        attempt(() => ch.sendToQueue('q', body('x'), { priority: 'high' as unknown as number })),
        attempt(() => ch.sendToQueue('q', body('x'), { priority: 300 })),
        attempt(() => ch.sendToQueue('q', body('x'), { headers: 'h' as unknown as Record<string, unknown> })),
        attempt(() => ch.sendToQueue('q', body('x'), { headers: { f: () => 1 } })),
        attempt(() => ch.ack({ fields: { deliveryTag: '1' } } as unknown as Message)),
        attempt(() => ch.reject({ fields: {} } as unknown as Message)),
        attempt(() => ch.assertQueue('', { arguments: 'x' as unknown as Record<string, unknown> })),
        attempt(() => ch.sendToQueue('q', body('x'), { expiration: 60000, priority: 1.5 })),
      ];
    });
    expect(out).toEqual([
      "TypeError: Field 'routingKey' is the wrong type; must be a string (up to 255 chars)",
      "TypeError: Field 'priority' is the wrong type; must be a number (but not NaN)",
      'RangeError: The value of "value" is out of range. It must be >= 0 and <= 255. Received 300',
      'TypeError: Object prototype may only be an Object or null: h',
      'TypeError: Unknown type to encode: function',
      "TypeError: Field 'deliveryTag' is the wrong type; must be a number (but not NaN)",
      "Error: Missing value for mandatory field 'deliveryTag'",
      'TypeError: Object prototype may only be an Object or null: x',
      'returned true',
    ]);
    expect(ofKind(engine.trace, 'published')).toHaveLength(1);
  });

  it('rejects RPCs with non-string names (catchable), and "no queue \'\'" for checkQueue()', async () => {
    const { engine, amqp } = lab();
    const out = await run(engine, async () => {
      const { conn } = await open(amqp);
      const outcome = async (fn: (c: Channel) => Promise<unknown>) => {
        const c = await conn.createChannel();
        c.on('error', () => {});
        return fn(c).then((r) => `resolved ${JSON.stringify(r)}`, describeError);
      };
      return [
        await outcome((c) => c.assertQueue({ name: 'x' } as unknown as string)),
        await outcome((c) => c.deleteQueue(123 as unknown as string)),
        await outcome((c) => c.purgeQueue({} as unknown as string)),
        await outcome((c) => c.cancel(undefined as unknown as string)),
        await outcome((c) => c.consume('q', () => {}, { consumerTag: 5 as unknown as string })),
        await outcome((c) => c.get(null as unknown as string)),
        await outcome((c) => (c.checkQueue as () => Promise<unknown>)()),
      ];
    });
    expect(out).toEqual([
      WRONG_QUEUE, WRONG_QUEUE, WRONG_QUEUE,
      "Error: Missing value for mandatory field 'consumerTag'",
      "TypeError: Field 'consumerTag' is the wrong type; must be a string (up to 255 chars)",
      WRONG_QUEUE,
      `Error: Operation failed: QueueDeclare; 404 (NOT-FOUND) with message "NOT_FOUND - no queue '' in vhost '/'"`,
    ]);
  });

  it('leaves the channel waiting forever after an RPC that failed to encode, like amqplib (publish still works)', async () => {
    const { engine, amqp, broker } = lab();
    let answered = false;
    const out = await run(engine, async () => {
      const { ch } = await open(amqp);
      await ch.assertQueue('q');
      const first = await ch.checkQueue({} as unknown as string).catch(describeError);
      const next = ch.checkQueue('q').then(() => { answered = true; return 'answered'; }, describeError);
      ch.sendToQueue('q', body('m'));
      await new Promise<void>((resolve) => engine.schedule(1000, resolve));
      const waitingAfter1s = !answered;
      await ch.close();
      return { first, waitingAfter1s, next: await next };
    });
    expect(out).toEqual({ first: WRONG_QUEUE, waitingAfter1s: true, next: 'Error: Channel ended, no reply will be forthcoming' });
    expect(broker.queueStats('q')?.ready).toBe(1);
  });

  it('ports the encoders: string/table fields are checked before numbers, properties allow null', () => {
    expect(() => checkMethodFields('BasicConsume', { ticket: 'x', queue: 5 })).toThrow("Field 'queue' is the wrong type");
    expect(() => checkMethodFields('BasicQos', { prefetchCount: 70000 })).toThrow('<= 65535. Received 70000');
    expect(() => checkMethodFields('BasicAck', { deliveryTag: -1 })).toThrow('"value" argument is out of bounds');
    expect(() => checkMethodFields('QueueDeclare', { queue: 'é'.repeat(128) })).toThrow("Field 'queue' is the wrong type");
    expect(() => checkMethodFields('QueueDeclare', { queue: 'é'.repeat(127) })).not.toThrow();
    expect(() => checkBasicProperties({ contentType: null, headers: { a: [1, 'b', null, { c: true }] } })).not.toThrow();
    expect(() => checkBasicProperties({ headers: { a: [undefined] } })).toThrow('Unknown type to encode: undefined');
    expect(() => checkBasicProperties({ timestamp: 1.5 })).toThrow('"value" argument is out of bounds');
  });
});

describe('facade error paths (amqplib lib/channel.js, lib/connection.js)', () => {
  it('turns an unhandled channel error into a connection error: conn error, channels close, conn close, then the catch', async () => {
    const { engine, amqp } = lab();
    const events: string[] = [];
    await run(engine, async () => {
      const { conn, ch } = await open(amqp);
      conn.on('error', (e: Error) => events.push(`conn error: ${e.message}`));
      conn.on('close', (e?: Error) => events.push(`conn close: ${e ? 'with error' : 'clean'}`));
      ch.on('close', () => events.push('ch close'));
      try { await ch.checkQueue('missing'); } catch (e) { events.push(`caught ${(e as Error).message.slice(0, 30)}`); }
      const created = await conn.createChannel().then(() => 'created', describeError);
      events.push(created);
    });
    const text = `Channel closed by server: 404 (NOT-FOUND) with message "NOT_FOUND - no queue 'missing' in vhost '/'"`;
    expect(events).toEqual([
      `conn error: ${text}`, 'ch close', 'conn close: with error', 'caught Operation failed: QueueDeclare',
      `IllegalOperationError: Connection closed (Error: ${text})`,
    ]);
    expect(ofKind(engine.trace, 'connection-closed')).toHaveLength(1);
  });

  it('ends the program on the unhandled error without running the awaiting catch', async () => {
    const { engine, amqp } = lab();
    const seen: string[] = [];
    const failure = await run(engine, async () => {
      const { ch } = await open(amqp);
      try { await ch.checkQueue('missing'); } catch { seen.push('caught'); }
    }).then(() => 'completed', describeError);
    expect(failure).toBe(`Error: Channel closed by server: 404 (NOT-FOUND) with message "NOT_FOUND - no queue 'missing' in vhost '/'"`);
    expect(seen).toEqual([]);
  });

  it('closes the channel with 541 when a consume callback throws: error (the thrown value) and close, message requeued', async () => {
    const { engine, amqp, broker } = lab();
    const events: string[] = [];
    await run(engine, async () => {
      const { ch } = await open(amqp);
      ch.on('error', (e: Error & { code?: number }) => events.push(`ch error: ${e.name} ${e.message} ${e.code}`));
      ch.on('close', () => events.push('ch close'));
      await ch.assertQueue('q');
      ch.sendToQueue('q', body('boom'));
      await ch.consume('q', () => { throw new TypeError('bad message'); });
      events.push('consuming');
      await new Promise<void>((resolve) => engine.schedule(100, resolve));
      events.push(await ch.checkQueue('q').then(() => 'ok', describeError));
    });
    expect(events).toEqual(['consuming', 'ch error: TypeError bad message 541', 'ch close', 'IllegalOperationError: Channel closed']);
    expect(broker.queueStats('q')).toEqual({ ready: 1, unacked: 0, consumers: 0 });
  });

  it('fails an un-awaited 406 with "Channel ended" for the RPC queued behind it when the connection listens', async () => {
    const { engine, amqp } = lab();
    const out = await run(engine, async () => {
      const { conn, ch } = await open(amqp);
      conn.on('error', () => {});
      await ch.assertQueue('q', { durable: false });
      const first = ch.assertQueue('q', { durable: true }).catch((e: Error) => e.message.slice(0, 40));
      const second = ch.assertQueue('other').catch((e: Error) => e.message);
      return [await first, await second];
    });
    expect(out).toEqual(['Operation failed: QueueDeclare; 406 (PRE', 'Channel ended, no reply will be forthcoming']);
  });
});

describe('facade connect and inspection', () => {
  it('connects on the standard ports with any host, refuses other ports like the OS does', async () => {
    const { engine, amqp } = lab();
    const urls: unknown[] = ['amqp://localhost', 'amqp://guest:guest@rabbitmq:5672/%2f', 'amqps://h:5671', 'amqp://localhost:0',
      'amqp://localhost:1', 'amqp://10.0.0.5:5673', { hostname: 'x', port: 2 }, 'amqp://localhost:99999', 'amqp://localhost:abc'];
    const out = await run(engine, () => Promise.all(urls.map((u) => amqp.connect(u as string).then(() => 'ok',
      (e: Error & { code?: string }) => `${e.name}: ${e.message} (${e.code})`))));
    expect(out).toEqual([
      'ok', 'ok', 'ok', 'ok',
      'Error: connect ECONNREFUSED 127.0.0.1:1 (ECONNREFUSED)',
      'Error: connect ECONNREFUSED 10.0.0.5:5673 (ECONNREFUSED)',
      'Error: connect ECONNREFUSED 127.0.0.1:2 (ECONNREFUSED)',
      'RangeError: Port should be >= 0 and < 65536. Received type number (99999). (ERR_SOCKET_BAD_PORT)',
      'Error: getaddrinfo ENOTFOUND localhost:abc (ENOTFOUND)',
    ]);
    expect(ofKind(engine.trace, 'connection-opened')).toHaveLength(4);
  });

  it('shows only amqplib\'s public properties: no engine, PRNG or trace reachable by enumeration', async () => {
    const { engine, amqp } = lab();
    const out = await run(engine, async () => {
      const { conn, ch } = await open(amqp);
      const json = (v: unknown) => { try { return JSON.stringify(v); } catch (e) { return (e as Error).message.split('\n')[0]; } };
      return { connKeys: Object.keys(conn), chKeys: Object.keys(ch), connJson: json(conn), chJson: json(ch),
        standIn: Object.keys(conn.connection), same: ch.connection === conn.connection, id: ch.id };
    });
    expect(out).toEqual({
      connKeys: ['connection'], chKeys: ['connection', 'ch'],
      connJson: 'Converting circular structure to JSON', chJson: 'Converting circular structure to JSON',
      standIn: ['serverProperties', 'channelMax', 'frameMax', 'heartbeat', 'channels'], same: true, id: 'c1.ch1',
    });
  });
});
