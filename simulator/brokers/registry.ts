/**
 * The broker registry: how to load each simulated broker's plugin halves (see `plugin.ts`) on first use. Which
 * brokers exist and which modules and trace kinds are whose is in `catalog.ts` (names only, no code); this file adds
 * the loaders, so a page or a worker that imports only the catalog loads no broker. Adding a broker = a folder
 * `simulator/brokers/<id>/` (with `runtime.ts`, `view.ts` and a runner `worker.ts`), its catalog entry and its
 * loaders below.
 */
import type { BrokerRuntimePlugin, BrokerViewPlugin } from './plugin.ts';
import { BROKER_CATALOG, brokersNamedIn, type BrokerInfo } from './catalog.ts';

export * from './catalog.ts';

/** How to load a simulated broker's halves. */
interface Loaders {
  runtime: () => Promise<BrokerRuntimePlugin>;
  view?: () => Promise<BrokerViewPlugin>;
}

const LOADERS: Readonly<Record<string, Loaders>> = {
  amqp: {
    runtime: async () => (await import('./amqp/runtime.ts')).amqpRuntimePlugin,
    view: async () => (await import('./amqp/view.ts')).amqpViewPlugin,
  },
  kafka: {
    runtime: async () => (await import('./kafka/runtime.ts')).kafkaRuntimePlugin,
    view: async () => (await import('./kafka/view.ts')).kafkaViewPlugin,
  },
};

/** The runtime half of broker `id`. @throws Error for a broker that is not simulated. */
export function loadRuntimePlugin(id: string): Promise<BrokerRuntimePlugin> {
  const loaders = LOADERS[id];
  if (loaders === undefined) return Promise.reject(new Error(`the broker '${id}' is not simulated`));
  return loaders.runtime();
}

/** The view half of broker `id`. @throws Error for a broker that is not simulated or has no view yet. */
export function loadViewPlugin(id: string): Promise<BrokerViewPlugin> {
  const view = LOADERS[id]?.view;
  if (view === undefined) return Promise.reject(new Error(`the broker '${id}' has no view`));
  return view();
}

/** Loads the runtime plugins of the simulated brokers the sources name (by their required modules). */
export function loadRuntimePlugins(sources: readonly string[]): Promise<BrokerRuntimePlugin[]> {
  return Promise.all(brokersNamedIn(sources).map((broker) => loadRuntimePlugin(broker.id)));
}

/** Every simulated broker (with loaders), in catalog order. */
export function simulatedBrokers(): BrokerInfo[] {
  return BROKER_CATALOG.filter((broker) => LOADERS[broker.id] !== undefined);
}
