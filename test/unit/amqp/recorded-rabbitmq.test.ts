import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { lab, run } from './helpers.ts';
import { program } from './fixtures/tour-program.ts';
import { program as program2 } from './fixtures/tour-program-2.ts';

/**
 * Differential check: `fixtures/tour-program.ts` was run with the real amqplib 0.10.9 against RabbitMQ 3.10.8 and
 * its output recorded in `fixtures/tour-program.rabbitmq-3.10.txt` (declare, prefetch, ack, nack/requeue position,
 * nackAll, get with messageCount, purge, double ack ⇒ 406, inequivalent redeclare ⇒ 406, deleteQueue ⇒ consumer
 * callback null, non-Buffer content, unroutable publish). The simulator must print exactly the same lines.
 */
async function simulate(tour: typeof program): Promise<string> {
  const { engine, amqp } = lab();
  const lines: string[] = [];
  await run(engine, () => tour(amqp, (...a) => lines.push(JSON.stringify(a)),
    (ms) => new Promise<void>((resolve) => { engine.schedule(ms, resolve); })));
  return lines.join('\n') + '\n';
}

const recorded = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('amqplib facade against recorded RabbitMQ runs', () => {
  it('prints what the real amqplib + RabbitMQ printed for tour 1, line for line', async () => {
    expect(await simulate(program)).toBe(recorded('tour-program.rabbitmq-3.10.txt'));
  });

  it('prints what the real amqplib + RabbitMQ printed for tour 2 (round-robin, close requeue, exclusive, auto-delete, confirms)', async () => {
    expect(await simulate(program2)).toBe(recorded('tour-program-2.rabbitmq-3.10.txt'));
  });
});
