/**
 * kafkajs's instrumentation events (node_modules/kafkajs/src/instrumentation/, consumer/instrumentationEvents.js,
 * producer/instrumentationEvents.js, admin/instrumentationEvents.js): event names (`consumer.group_join`, …), and
 * an emitter that hands each listener an event `{ id, type, timestamp, payload }`. A listener's rejection is
 * logged ("Failed to execute listener: …"), never thrown, as kafkajs does.
 */
import { KafkaJSNonRetriableError } from './errors.ts';
import type { Logger } from './logger.ts';

const type = (ns: string) => (name: string) => `${ns}.${name}`;
const consumer = type('consumer');
const producer = type('producer');
const admin = type('admin');

/** `consumer.events`. */
export const CONSUMER_EVENTS = Object.freeze({
  HEARTBEAT: consumer('heartbeat'),
  COMMIT_OFFSETS: consumer('commit_offsets'),
  GROUP_JOIN: consumer('group_join'),
  FETCH: consumer('fetch'),
  FETCH_START: consumer('fetch_start'),
  START_BATCH_PROCESS: consumer('start_batch_process'),
  END_BATCH_PROCESS: consumer('end_batch_process'),
  CONNECT: consumer('connect'),
  DISCONNECT: consumer('disconnect'),
  STOP: consumer('stop'),
  CRASH: consumer('crash'),
  REBALANCING: consumer('rebalancing'),
  RECEIVED_UNSUBSCRIBED_TOPICS: consumer('received_unsubscribed_topics'),
  REQUEST: consumer('network.request'),
  REQUEST_TIMEOUT: consumer('network.request_timeout'),
  REQUEST_QUEUE_SIZE: consumer('network.request_queue_size'),
});

/** `producer.events`. */
export const PRODUCER_EVENTS = Object.freeze({
  CONNECT: producer('connect'),
  DISCONNECT: producer('disconnect'),
  REQUEST: producer('network.request'),
  REQUEST_TIMEOUT: producer('network.request_timeout'),
  REQUEST_QUEUE_SIZE: producer('network.request_queue_size'),
});

/** `admin.events`. */
export const ADMIN_EVENTS = Object.freeze({
  CONNECT: admin('connect'),
  DISCONNECT: admin('disconnect'),
  REQUEST: admin('network.request'),
  REQUEST_TIMEOUT: admin('network.request_timeout'),
  REQUEST_QUEUE_SIZE: admin('network.request_queue_size'),
});

/** An instrumentation event as a listener gets it. */
export interface InstrumentationEvent<T = unknown> {
  id: number;
  type: string;
  timestamp: number;
  payload: T;
}

/** Emits events to listeners; one per client, like kafkajs's InstrumentationEventEmitter. */
export class Instrumentation {
  private readonly listeners = new Map<string, Array<(event: InstrumentationEvent) => void>>();
  private nextId = 0;
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
  }

  /** Emits `type` with `payload` to its listeners (nothing is built when none listens). */
  emit(eventType: string, payload?: unknown): void {
    const list = this.listeners.get(eventType);
    if (list === undefined || list.length === 0) return;
    const event: InstrumentationEvent = { id: this.nextId++, type: eventType, timestamp: this.now(), payload };
    for (const listener of [...list]) listener(event);
  }

  /**
   * kafkajs's `on(eventName, listener)`: validates the name against `events`, calls the listener with the event,
   * logs a rejected listener promise. Returns a function that removes the listener.
   */
  on(events: Readonly<Record<string, string>>, prefix: string, eventName: unknown, listener: (e: InstrumentationEvent) => unknown,
    logger: Logger): () => void {
    const names = Object.values(events);
    if (!names.includes(eventName as string)) {
      const keys = Object.keys(events).map((k) => `${prefix}.events.${k}`).join(', ');
      throw new KafkaJSNonRetriableError(`Event name should be one of ${keys}`);
    }
    const wrapped = (event: InstrumentationEvent) => {
      // Called synchronously (a listener that throws throws out of the emitting code, as in kafkajs).
      Promise.resolve(listener(event))
        .catch((e: { message?: string; stack?: string }) => {
          logger.error(`Failed to execute listener: ${e?.message}`, { eventName, stack: e?.stack });
        });
    };
    const list = this.listeners.get(eventName as string) ?? [];
    list.push(wrapped);
    this.listeners.set(eventName as string, list);
    return () => {
      const current = this.listeners.get(eventName as string) ?? [];
      this.listeners.set(eventName as string, current.filter((l) => l !== wrapped));
    };
  }
}
