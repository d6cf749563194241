import { describe, expect, it } from 'vitest';
import { Engine } from '../../../simulator/core/engine.ts';
import { ClientActivity } from '../../../simulator/runner/client-activity.ts';

/** A broker-like API: calls back later through the engine, keeps data arguments as given. */
class FakeBroker {
  readonly engine: Engine;
  stored: unknown[] = [];
  constructor(engine: Engine) {
    this.engine = engine;
  }
  rpc(data: Uint8Array, options: { durable: boolean }, reply: (n: number) => void): void {
    this.stored.push(data, options);
    this.engine.schedule(10, () => reply(data.length));
  }
  listen(listener: { onDeliver(body: string): void }): void {
    this.engine.schedule(20, () => listener.onDeliver('m1'));
  }
  internal(): void {
    this.engine.schedule(5, () => this.stored.push('broker-only'));
  }
}

describe('ClientActivity', () => {
  it('marks steps that call back into client code, and only those', () => {
    const engine = new Engine({ seed: 1 });
    const activity = new ClientActivity();
    const broker = activity.observe(new FakeBroker(engine));
    const seen: unknown[] = [];
    broker.rpc(new Uint8Array([1, 2, 3]), { durable: true }, (n) => seen.push(n));
    broker.listen({ onDeliver: (body) => seen.push(body) });
    broker.internal();
    broker.engine.schedule(30, () => seen.push('client-scheduled'));
    activity.take();

    const steps: boolean[] = [];
    while (engine.step()) steps.push(activity.take());
    // t=5 broker-only, t=10 reply, t=20 listener, t=30 client-scheduled action
    expect(steps).toEqual([false, true, true, true]);
    expect(seen).toEqual([3, 'm1', 'client-scheduled']);
  });

  it('passes data arguments through untouched', () => {
    const engine = new Engine({ seed: 1 });
    const activity = new ClientActivity();
    const target = new FakeBroker(engine);
    const data = new Uint8Array([7]);
    const options = { durable: false };
    activity.observe(target).rpc(data, options, () => {});
    expect(target.stored[0]).toBe(data);
    expect(target.stored[1]).toBe(options);
  });
});
