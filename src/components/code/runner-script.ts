/**
 * Which runner worker script a run needs, and its URL: each simulated broker has its own worker entry
 * (`simulator/brokers/<id>/worker.ts`, found here by a glob, so a new broker needs no change in `src/`), built by
 * Vite as one self-contained file; programs that use several brokers get `simulator/brokers/worker-all.ts`. So a
 * lesson about RabbitMQ never downloads Kafka's model.
 */
import { brokersNamedIn } from '../../../simulator/brokers/catalog.ts';

const PER_BROKER = import.meta.glob<string>('../../../simulator/brokers/*/worker.ts', {
  query: '?worker&url',
  import: 'default',
});

/**
 * The key of the worker a set of sources needs: a broker id, 'all' (several brokers), or undefined when they name
 * none (any runner worker can run them: the one already warm is used).
 */
export function runnerKey(sources: readonly string[]): string | undefined {
  const brokers = brokersNamedIn(sources);
  if (brokers.length === 0) return undefined;
  return brokers.length === 1 ? brokers[0].id : 'all';
}

/** URL of the runner worker script for `key` (see `runnerKey`). */
export async function runnerScriptUrl(key: string): Promise<string> {
  const loader = PER_BROKER[`../../../simulator/brokers/${key}/worker.ts`];
  if (loader !== undefined) return loader();
  return (await import('../../../simulator/brokers/worker-all.ts?worker&url')).default;
}
