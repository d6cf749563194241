/**
 * The AMQP plugin's runtime half (see `../plugin.ts`): one simulated RabbitMQ (`model/broker.ts`) per run, shared by
 * every process of the run, and the amqplib promise API (`amqplib/`) each process gets from `require('amqplib')`.
 *
 * Processes: each process gets its own amqplib module; its connections are labelled "connection n" when the run
 * has one process (the labels lesson 1 always had) and "<process name>" / "<process name> (n)" when it has several,
 * unless the program names them (`clientProperties.connection_name`). When a process ends, its connections that
 * the program did not close drop as a dead process's TCP connections do: the broker requeues their unacked
 * messages (https://www.rabbitmq.com/docs/confirms#automatic-requeueing); a connection whose close the program
 * had already sent is left to finish closing.
 */
import type { BrokerRuntime, BrokerRuntimePlugin, ProcessInfo, RuntimeContext } from '../plugin.ts';
import { AmqpBroker } from './model/broker.ts';
import { connectionState, crashConnection, type ChannelModel } from './amqplib/channel-model.ts';
import { createAmqplib } from './amqplib/index.ts';

/** amqplib calls that resolve to an object whose calls are tracked too (`pending-replies.ts`), and its name. */
const AMQPLIB_OBJECTS = { connect: 'connection', createChannel: 'channel', createConfirmChannel: 'channel' };

class AmqpRuntime implements BrokerRuntime {
  private readonly broker: AmqpBroker;
  private readonly context: RuntimeContext;
  private readonly connections = new Map<number, ChannelModel[]>();

  constructor(context: RuntimeContext) {
    this.context = context;
    this.broker = new AmqpBroker(context.engine, context.latencyMs === undefined ? {} : { latencyMs: context.latencyMs });
  }

  module(name: string, proc: ProcessInfo): unknown {
    if (name !== 'amqplib') throw new Error(`the AMQP plugin has no module '${name}'`);
    const models: ChannelModel[] = [];
    this.connections.set(proc.pid, models);
    const single = this.context.processCount <= 1;
    const amqplib = createAmqplib(this.context.observe(this.broker, proc), {
      defaultLabel: single ? undefined : (n) => (n === 1 ? proc.name : `${proc.name} (${n})`),
      onConnect: (model) => models.push(model),
    });
    return this.context.replies.wrapModule(amqplib, 'amqplib', AMQPLIB_OBJECTS, proc);
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
  modules: ['amqplib'],
  createRuntime: (context) => new AmqpRuntime(context),
};
