import { describe, expect, it } from 'vitest';
import { ReadyList } from '../../../simulator/brokers/amqp/model/ready-list.ts';
import type { BrokerMessage } from '../../../simulator/brokers/amqp/model/message.ts';

const msg = (seq: number): BrokerMessage => ({
  num: seq, exchange: '', routingKey: 'q', content: null, properties: {}, preview: '', redelivered: false, seq, expiresAtMs: Infinity,
});

describe('ReadyList', () => {
  it('puts messages back at their original positions, one by one or merged in bulk', () => {
    for (const bulk of [3, 100]) {
      const list = new ReadyList();
      const all = Array.from({ length: 300 }, (_, i) => msg(i + 1));
      for (const m of all) list.push(m);
      const taken: BrokerMessage[] = [];
      for (let i = 0; i < 200; i++) taken.push(list.shift() as BrokerMessage);
      // give back every other taken message, `bulk` at a time
      const back = taken.filter((m) => m.seq % 2 === 0);
      for (let i = 0; i < back.length; i += bulk) list.insertManyBySeq(back.slice(i, i + bulk));
      const expected = [...back.map((m) => `m${m.num}`), ...all.slice(200).map((m) => `m${m.num}`)];
      expect(list.ids()).toEqual(expected);
      expect(list.length).toBe(expected.length);
    }
  });

  it('keeps FIFO order across shifts, compaction and front inserts', () => {
    const list = new ReadyList();
    for (let i = 1; i <= 3000; i++) list.push(msg(i));
    for (let i = 0; i < 2500; i++) list.shift();
    list.insertBySeq(msg(7));
    list.insertBySeq(msg(5));
    expect(list.ids().slice(0, 3)).toEqual(['m5', 'm7', 'm2501']);
    expect(list.shift()?.num).toBe(5);
    expect(list.length).toBe(501);
  });
});
