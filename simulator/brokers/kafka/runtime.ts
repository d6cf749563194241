/**
 * The Kafka plugin's runtime half (see `../plugin.ts`): one simulated Kafka cluster (`model/cluster.ts`) per run,
 * shared by every process, and the kafkajs 2 module (`kafkajs/`) each process gets from `require('kafkajs')`.
 *
 * - Cluster: by default one broker (id 0 at localhost:9092, the usual development setup) with Kafka's broker
 *   defaults (auto-created topics get 1 partition, replication factor 1, min.insync.replicas 1) and the run's
 *   network latency; `KafkaRuntimeContext.cluster` can ask for more brokers (replication, broker failures).
 *   The broker count matters beyond replication: kafkajs 2 runs one fetch loop per broker, and a loop with nothing
 *   to fetch heartbeats every `maxWaitTimeInMs` — so with several brokers a slow `eachMessage` can be covered by
 *   another broker's loop, while with one broker it is not (the member is evicted after its session timeout).
 * - Labels: a process's clients are "producer", "consumer", "consumer 2", "admin"… in a one-process run, and
 *   "<process name> producer"… when the run has several processes.
 * - A process that ends (exit, crash, kill) drops its connections as a dead process's sockets do: its requests in
 *   flight are lost and its consumers send no LeaveGroup, so the coordinator removes them only when their session
 *   times out (kafkajs's default 30 s) — then the group rebalances.
 * - kafkajs's log lines (its default console logger) go to the process's console when the runner gives one
 *   (`KafkaRuntimeContext.programConsole`, see below); without it they are dropped.
 * - Faults for lessons and views: `stopBroker(id)` / `startBroker(id)` on the runtime (a broker stop button).
 */
import type { BrokerRuntime, BrokerRuntimePlugin, ProcessInfo, RuntimeContext } from '../plugin.ts';
import { KafkaCluster, type ClientHandle, type KafkaClusterOptions } from './model/cluster.ts';
import { kafkaErrorCode } from './model/errors.ts';
import type { ConsumerState } from './kafkajs/consumer.ts';
import { createKafkajs } from './kafkajs/index.ts';
import type { LogSink } from './kafkajs/logger.ts';

/** The console methods kafkajs's default logger uses. */
export interface ProgramConsoleLike {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
  log(line: string): void;
}

/**
 * What this runtime can use beyond the core's `RuntimeContext`, when the runner provides it: the console of a
 * process (kafkajs's default logger prints JSON lines there), and cluster options for tests and lessons.
 */
/** A run's context with the Kafka options (`RunOptions.brokerOptions.kafka.cluster`, or given directly in tests). */
export interface KafkaRuntimeContext extends RuntimeContext {
  programConsole?: (proc: ProcessInfo) => ProgramConsoleLike;
  cluster?: KafkaClusterOptions;
}

interface ProcessClients {
  clients: ClientHandle[];
  consumers: ConsumerState[];
}

/** The Kafka runtime of one run (exported for tests and lessons that drive the cluster). */
export class KafkaRuntime implements BrokerRuntime {
  readonly cluster: KafkaCluster;
  private readonly context: KafkaRuntimeContext;
  private readonly processes = new Map<number, ProcessClients>();

  constructor(context: KafkaRuntimeContext) {
    this.context = context;
    const fromRun = (context.brokerOptions?.cluster ?? {}) as KafkaClusterOptions;
    this.cluster = new KafkaCluster(context.engine, {
      brokerCount: 1, ...(context.latencyMs !== undefined ? { latencyMs: context.latencyMs } : {}), ...fromRun,
      ...context.cluster,
    }, kafkaErrorCode);
  }

  /** The kafkajs module of process `proc` (see the module doc). @throws Error for another module name. */
  module(name: string, proc: ProcessInfo): unknown {
    if (name !== 'kafkajs') throw new Error(`the Kafka plugin has no module '${name}'`);
    const state: ProcessClients = this.processes.get(proc.pid) ?? { clients: [], consumers: [] };
    this.processes.set(proc.pid, state);
    const single = this.context.processCount <= 1;
    const out = this.context.programConsole?.(proc);
    const logSink: LogSink | undefined = out === undefined ? undefined : (method, line) => out[method](line);
    return createKafkajs(this.context.observe(this.cluster, proc), {
      logSink,
      label: (role, n) => {
        const base = n === 1 ? role : `${role} ${n}`;
        return single ? base : `${proc.name} ${base}`;
      },
      onClient: (handle, consumer) => {
        if (!state.clients.includes(handle)) state.clients.push(handle);
        if (consumer !== undefined) state.consumers.push(consumer);
      },
    });
  }

  /** The process died: its clients' connections drop (no LeaveGroup). */
  endProcess(proc: ProcessInfo): void {
    for (const handle of this.processes.get(proc.pid)?.clients ?? []) this.cluster.closeClient(handle, 'process-ended');
  }

  /** Whether the process has a client still connected (kafkajs keeps its sockets open). */
  holdsProcessOpen(proc: ProcessInfo): boolean {
    return (this.processes.get(proc.pid)?.clients ?? []).some((c) => c.open);
  }

  /** What the process waits for: its running consumers (group, topics), or an open connection. */
  waitingFor(proc: ProcessInfo): string | undefined {
    const state = this.processes.get(proc.pid);
    if (state === undefined) return undefined;
    const running = state.consumers.filter((c) => c.isRunning());
    if (running.length > 0) {
      const groups = [...new Set(running.map((c) => `'${c.groupId}'`))].join(', ');
      const topics = [...new Set(running.flatMap((c) => c.topics()))].map((t) => `'${t}'`).join(', ');
      const who = running.length === 1 ? 'a consumer' : `${running.length} consumers`;
      return `${who} of group ${groups}${topics === '' ? '' : ` subscribed to ${topics}`}`;
    }
    return this.holdsProcessOpen(proc) ? 'an open connection to Kafka' : undefined;
  }

  /** Stops broker `id` (a controlled shutdown; partitions it led move to an in-sync replica). */
  stopBroker(id: number): void {
    this.cluster.stopBroker(id);
  }

  /** Starts broker `id` again. */
  startBroker(id: number): void {
    this.cluster.startBroker(id);
  }
}

/** The runtime half of the Kafka plugin (`../registry.ts` loads it for `kafkajs`). */
export const kafkaRuntimePlugin: BrokerRuntimePlugin = {
  id: 'kafka',
  modules: ['kafkajs'],
  createRuntime: (context) => new KafkaRuntime(context),
};
