import { Engine } from '../../../simulator/core/engine.ts';
import { AmqpBroker } from '../../../simulator/brokers/amqp/model/broker.ts';
import { createAmqplib } from '../../../simulator/brokers/amqp/amqplib/index.ts';
import type { TraceEvent, TraceEventOf } from '../../../simulator/trace.ts';

/** A fresh engine + broker + amqplib facade. */
export function lab(seed = 1, latencyMs = 10) {
  const engine = new Engine({ seed });
  const broker = new AmqpBroker(engine, { latencyMs });
  const amqp = createAmqplib(broker);
  return { engine, broker, amqp };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs an async program on the engine like the runner does: microtasks are drained between engine steps. Returns
 * the program's result (rethrows its error); fails if it never finishes.
 */
export async function run<T>(engine: Engine, program: () => Promise<T>): Promise<T> {
  let settled = false;
  let result: T | undefined;
  let failure: unknown;
  program().then((r) => { settled = true; result = r; }, (e) => { settled = true; failure = e; });
  await tick();
  while (engine.step()) await tick();
  await tick();
  if (!settled) throw new Error('program did not finish');
  if (failure !== undefined) throw failure;
  return result as T;
}

/** Lets the engine run every pending event (drain microtasks between steps). */
export async function settle(engine: Engine): Promise<void> {
  await tick();
  while (engine.step()) await tick();
}

export function ofKind<K extends TraceEvent['kind']>(trace: Iterable<TraceEvent>, kind: K): TraceEventOf<K>[] {
  return [...trace].filter((e) => e.kind === kind) as TraceEventOf<K>[];
}
