/**
 * Child process of the determinism fuzz test: reads scenario cases (JSON array of `ScenarioCase`) from argv[2] and
 * prints one line per case with the sha256 of its trace, so the test can compare hashes across a fresh process.
 * Run: `node test/unit/fuzz/trace-hash-cli.ts '<json>'`.
 */
import { runWorkQueue } from '../../../simulator/brokers/amqp/scenarios/work-queue.ts';
import { traceHash, type ScenarioCase } from './scenario-arbitrary.ts';

const cases = JSON.parse(process.argv[2] ?? '[]') as ScenarioCase[];
for (const c of cases) {
  const run = runWorkQueue(c.knobs, { seed: c.seed, untilMs: c.untilMs, latencyMs: c.latencyMs });
  process.stdout.write(`${traceHash(run.trace)}\n`);
}
