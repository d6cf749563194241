import { describe, expect, it } from 'vitest';
import { AnnounceThrottle } from '../../../src/components/sim/announcer.ts';
import { describeEvent, summarize } from '../../../simulator/brokers/amqp/view-words.ts';
import { WORK_QUEUE_FIXTURE } from '../snapshot/fixture-trace.ts';

const names = {
  consumerLabel: (tag: string) => ({ ctag1: 'worker 1', ctag2: 'worker 2' })[tag] ?? tag,
  channelLabel: (channel: string) => ({ 'c1.ch1': 'producer', 'c2.ch1': 'worker 1', 'c3.ch1': 'worker 2' })[channel] ?? channel,
};
const find = (kind: string, msgId?: string) =>
  WORK_QUEUE_FIXTURE.find((e) => e.kind === kind && (msgId === undefined || ('msgId' in e && e.msgId === msgId)))!;

describe('describeEvent (the AMQP view\'s words)', () => {
  it('names the message and the consumer it was delivered to', () => {
    expect(describeEvent(find('delivered', 'm2'), names)).toBe('m2 delivered to worker 2');
    expect(describeEvent(WORK_QUEUE_FIXTURE.find((e) => e.kind === 'delivered' && e.redelivered)!, names)).toBe(
      'm2 redelivered to worker 1',
    );
  });

  it('stays quiet about bookkeeping entries', () => {
    expect(describeEvent(find('queue-declared'), names)).toBeNull();
    expect(describeEvent(find('routed', 'm1'), names)).toBeNull();
  });
});

describe('summarize', () => {
  it('prefers a crash over routine deliveries in the same interval', () => {
    const batch = WORK_QUEUE_FIXTURE.filter((e) => e.t >= 600 && e.t <= 710);
    expect(summarize(batch, names)).toBe('worker 2 crashed');
  });
});

describe('AnnounceThrottle', () => {
  it('speaks at most once per interval, with the latest notable sentence', () => {
    const throttle = new AnnounceThrottle(1000);
    expect(throttle.offer('m1 published by producer', 0)).toBe('m1 published by producer');
    expect(throttle.offer('m1 delivered to worker 1', 500)).toBeNull();
    expect(throttle.offer('m1 acknowledged by worker 1', 1000)).toBe('m1 acknowledged by worker 1');
    expect(throttle.offer(null, 2500)).toBeNull();
  });

  it('speaks at once when forced (a single step), but never the same sentence twice in a row', () => {
    const throttle = new AnnounceThrottle(1000);
    throttle.offer('m1 published by producer', 0);
    expect(throttle.offer('m1 delivered to worker 1', 10, true)).toBe('m1 delivered to worker 1');
    expect(throttle.offer('m1 delivered to worker 1', 20, true)).toBeNull();
  });

  it('forgets what it said after a reset (a new run may say it again)', () => {
    const throttle = new AnnounceThrottle(1000);
    throttle.offer('m1 published by producer', 0);
    throttle.reset();
    expect(throttle.offer('m1 published by producer', 10, true)).toBe('m1 published by producer');
  });
});
