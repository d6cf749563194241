/**
 * The AMQP plugin's runtime half (see `../plugin.ts`): one simulated RabbitMQ (`model/broker.ts`) per run, shared by
 * every process of the run, and the amqplib modules each process gets: `require('amqplib')` (the promise API) and
 * `require('amqplib/callback_api')` (the callback API; also as `amqplib/callback_api.js`, the name an ES module
 * has to import it by in Node, since amqplib has no exports map).
 *
 * Processes: each process gets its own amqplib modules (both APIs share its connection numbering); its connections
 * are labelled "connection n" when the run has one process (the labels lesson 1 always had) and "<process name>" /
 * "<process name> (n)" when it has several, unless the program names them (`clientProperties.connection_name`).
 * When a process ends, its connections that the program did not close drop as a dead process's TCP connections do:
 * the broker requeues their unacked messages (https://www.rabbitmq.com/docs/confirms#automatic-requeueing); a
 * connection whose close the program had already sent is left to finish closing.
 *
 * Faults (`RunOptions.faults`): `restart-broker` (the broker stops now and starts again `valueMs` later, default
 * 3 s: `AmqpBroker.restart`) and `slow-network` (from now on every frame takes `valueMs`: `AmqpBroker.slowNetwork`).
 * `broker` is the run's `AmqpBroker` (the broker restart of conformance program 48 calls it).
 */
import type { BrokerRuntime, BrokerRuntimePlugin, ProcessInfo, RuntimeContext } from '../plugin.ts';
import type { PendingReplies } from '../../runner/pending-replies.ts';
import { AmqpBroker } from './model/broker.ts';
import { connectionState, crashConnection, type BaseConnection } from './amqplib/base-connection.ts';
import { createAmqplibModules, type AmqplibOptions } from './amqplib/index.ts';

/** amqplib calls that resolve to an object whose calls are tracked too (`pending-replies.ts`), and its name. */
const AMQPLIB_OBJECTS = { connect: 'connection', createChannel: 'channel', createConfirmChannel: 'channel' };

/** The module names of the AMQP plugin (the registry lists the same). */
export const AMQP_MODULES = ['amqplib', 'amqplib/callback_api', 'amqplib/callback_api.js'] as const;

/**
 * The modules one process can require, by name (AMQP_MODULES), on `broker` (which a runner passes through its
 * client-activity observer). The promise API's calls are tracked by `replies` (a reply that never came is reported);
 * the callback API hands out no promises to track.
 */
export function amqpModules(broker: AmqpBroker, replies: PendingReplies,
  options: AmqplibOptions = {}, owner?: { pid: number }): Record<(typeof AMQP_MODULES)[number], unknown> {
  const { amqplib, callbackApi } = createAmqplibModules(broker, options);
  return {
    amqplib: replies.wrapModule(amqplib, 'amqplib', AMQPLIB_OBJECTS, owner),
    'amqplib/callback_api': callbackApi,
    'amqplib/callback_api.js': callbackApi,
  };
}

/** The faults of this broker a run can apply (see the module doc). */
export const AMQP_FAULTS = ['restart-broker', 'slow-network'] as const;

class AmqpRuntime implements BrokerRuntime {
  readonly faultIds = AMQP_FAULTS;
  /** The run's broker (for faults: `restart`, `stop`, `start`). */
  readonly broker: AmqpBroker;
  private readonly context: RuntimeContext;
  private readonly connections = new Map<number, BaseConnection[]>();
  private readonly modules = new Map<number, Record<string, unknown>>();

  constructor(context: RuntimeContext) {
    this.context = context;
    this.broker = new AmqpBroker(context.engine, context.latencyMs === undefined ? {} : { latencyMs: context.latencyMs });
  }

  module(name: string, proc: ProcessInfo): unknown {
    if (!(AMQP_MODULES as readonly string[]).includes(name)) throw new Error(`the AMQP plugin has no module '${name}'`);
    let modules = this.modules.get(proc.pid);
    if (modules === undefined) {
      const models: BaseConnection[] = [];
      this.connections.set(proc.pid, models);
      const single = this.context.processCount <= 1;
      modules = amqpModules(this.context.observe(this.broker, proc), this.context.replies, {
        defaultLabel: single ? undefined : (n) => (n === 1 ? proc.name : `${proc.name} (${n})`),
        onConnect: (model) => models.push(model),
      }, proc);
      this.modules.set(proc.pid, modules);
    }
    return modules[name];
  }

  fault(fault: { id: string; valueMs?: number }): boolean {
    if (fault.id === 'restart-broker') this.broker.restart({ inMs: 0, ...(fault.valueMs === undefined ? {} : { downMs: fault.valueMs }) });
    else if (fault.id === 'slow-network') this.broker.slowNetwork(fault.valueMs ?? this.broker.latencyMs * 5);
    else return false;
    return true;
  }

  endProcess(proc: ProcessInfo): void {
    for (const model of this.connections.get(proc.pid) ?? []) {
      const state = connectionState(model);
      if (state === 'open' || state === 'opening') crashConnection(model);
    }
  }

  holdsProcessOpen(proc: ProcessInfo): boolean {
    return (this.connections.get(proc.pid) ?? []).some((model) => connectionState(model) !== 'closed');
  }

  nextWakeAtMs(): number | undefined {
    return this.broker.nextDeadLetterExpiryAtMs();
  }

  waitingFor(proc: ProcessInfo): string | undefined {
    const queues: string[] = [];
    for (const model of this.connections.get(proc.pid) ?? []) {
      if (connectionState(model) === 'closed') continue;
      queues.push(...(this.broker.consumersOfConnection(model.id) ?? []));
    }
    if (queues.length === 0) {
      return this.holdsProcessOpen(proc) ? 'an open connection to RabbitMQ' : undefined;
    }
    const names = [...new Set(queues)].map((q) => `'${q}'`).join(', ');
    return `${queues.length === 1 ? 'a consumer' : `${queues.length} consumers`} on ${names}`;
  }
}

export const amqpRuntimePlugin: BrokerRuntimePlugin = {
  id: 'amqp',
  modules: AMQP_MODULES,
  createRuntime: (context) => new AmqpRuntime(context),
};
