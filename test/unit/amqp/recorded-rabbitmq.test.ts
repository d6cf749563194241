import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { lab, run } from './helpers.ts';
import { program } from './fixtures/tour-program.ts';

/**
 * Differential check: `fixtures/tour-program.ts` was run with the real amqplib 0.10.9 against RabbitMQ 3.10.8 and
 * its output recorded in `fixtures/tour-program.rabbitmq-3.10.txt` (declare, prefetch, ack, nack/requeue position,
 * nackAll, get with messageCount, purge, double ack ⇒ 406, inequivalent redeclare ⇒ 406, deleteQueue ⇒ consumer
 * callback null, non-Buffer content, unroutable publish). The simulator must print exactly the same lines.
 */
describe('amqplib facade against a recorded RabbitMQ run', () => {
  it('prints what the real amqplib + RabbitMQ printed, line for line', async () => {
    const expected = readFileSync(new URL('./fixtures/tour-program.rabbitmq-3.10.txt', import.meta.url), 'utf8');
    const { engine, amqp } = lab();
    const lines: string[] = [];
    await run(engine, () => program(amqp, (...a) => lines.push(JSON.stringify(a)),
      (ms) => new Promise<void>((resolve) => { engine.schedule(ms, resolve); })));
    expect(lines.join('\n') + '\n').toBe(expected);
  });
});
