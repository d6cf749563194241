/**
 * The contract between the shared core (engine, runner, views) and one broker: a plugin is a plain object with a
 * few named hooks (Vite's and Astro's plugins are the model), so the runner, the stage and the exercise checks call
 * hooks and never ask `if (broker === 'kafka')`.
 *
 * A plugin comes in two halves, loaded separately so that each page and each worker loads only what it needs:
 * - `BrokerRuntimePlugin` (`simulator/brokers/<id>/runtime.ts`): the broker model and the client facades a program
 *   can `require`. Loaded by the runner (the code runner's worker, the CLI, tests) when a program needs one of its
 *   modules.
 * - `BrokerViewPlugin` (`simulator/brokers/<id>/view.ts`): folds a trace the broker wrote into the broker-neutral
 *   view model (`simulator/view/model.ts`). Loaded by a lesson page that shows such a run.
 * `simulator/brokers/registry.ts` lists the plugins and loads their halves on first use.
 */
import type { Engine } from '../core/engine.ts';
import type { PendingReplies } from '../runner/pending-replies.ts';
import type { TraceReader } from '../trace.ts';
import type { CounterSpec, ViewAdapter } from '../view/model.ts';

/** A simulated process of a run, as a broker sees it: who opened a connection. */
export interface ProcessInfo {
  /** 1-based, in the order the run's processes were listed. */
  pid: number;
  /** Display name: the file name, with `#n` when a file runs more than once (`worker.mjs#2`). */
  name: string;
}

/** What the runner gives a broker runtime for one run. */
export interface RuntimeContext {
  engine: Engine;
  /** Number of processes in the run (a broker may label connections differently when there is more than one). */
  processCount: number;
  /** One-way network latency in simulated ms, when the run sets one (else the broker's default). */
  latencyMs?: number;
  /**
   * Wraps the broker API a client library calls, so that the runner knows when a step ran client code (see
   * `simulator/runner/client-activity.ts`). A facade must reach its broker only through `observe(broker, proc)`.
   */
  observe: <T extends object>(api: T, proc: ProcessInfo) => T;
  /** Records the promises a library hands to programs, to report a reply that never came (pending-replies.ts). */
  replies: PendingReplies;
  /**
   * The console of process `proc` (its lines carry the process's name in a run of several): for what a client
   * library itself prints (kafkajs's log lines).
   */
  programConsole?: (proc: ProcessInfo) => { info(text: string): void; warn(text: string): void; error(text: string): void; log(text: string): void };
  /** Options of this run for the broker (e.g. a Kafka cluster's broker count), from a lesson or a test. */
  brokerOptions?: Readonly<Record<string, unknown>>;
}

/** One broker instance for one run, shared by every process of the run (they talk to the same broker). */
export interface BrokerRuntime {
  /**
   * The exports of `require(name)` for a program of process `proc`; `name` is one of the plugin's `modules`.
   * Called once per process and module.
   */
  module(name: string, proc: ProcessInfo): unknown;
  /**
   * Process `proc` ended (it exited, crashed or was killed): the broker sees its connections drop, as when a real
   * process dies (unacked messages are requeued, consumers leave their groups…).
   */
  endProcess(proc: ProcessInfo): void;
  /** Whether `proc` still holds something that keeps a Node process alive (an open connection or socket). */
  holdsProcessOpen(proc: ProcessInfo): boolean;
  /**
   * When the run has nothing left to do but wait: what `proc` is waiting for, as a short phrase ("2 consumers
   * subscribed to 'tasks'"), or undefined when it waits for nothing of this broker's.
   */
  waitingFor(proc: ProcessInfo): string | undefined;
  /**
   * Simulated ms of the next broker-internal (background) event that may hand a waiting program something, e.g. a
   * message expiring into a dead-letter exchange (a delayed retry); undefined when none is due. While a process
   * still waits, the runner plays on up to it instead of ending the run as quiescent.
   */
  nextWakeAtMs?(): number | undefined;
  /**
   * Applies a fault of this broker's at the current simulated time (e.g. `restart-broker`, `slow-network`);
   * returns false for a fault id it does not know (the runner then reports the option as invalid).
   */
  fault?(fault: { id: string; target?: string; valueMs?: number }): boolean;
  /** Fault ids this broker accepts (validated before the run starts). */
  readonly faultIds?: readonly string[];
}

/** The runtime half of a plugin (see the module doc). */
export interface BrokerRuntimePlugin {
  id: string;
  /** Module names it provides (`amqplib`, `amqplib/callback_api`). */
  modules: readonly string[];
  createRuntime(context: RuntimeContext): BrokerRuntime;
}

/** The view half of a plugin (see the module doc). */
export interface BrokerViewPlugin {
  id: string;
  /** Every counter a run of this broker can show (a lesson's declaration picks some by id). */
  counters: readonly CounterSpec[];
  /** The view adapter of a trace this broker wrote. */
  createView(trace: TraceReader): ViewAdapter;
}
