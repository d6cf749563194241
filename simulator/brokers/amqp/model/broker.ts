import type { Engine } from '../../../core/engine.ts';
import type { Prng } from '../../../core/prng.ts';
import { SimulationLimitError } from '../../../core/limits.ts';
import type { CloseReason } from '../../../trace.ts';
import {
  BrokerChannel, collectUnacked, type ChannelListener, type Delivery, type ReturnedMessage, type Unacked,
} from './channel.ts';
import { BrokerConnection, type ConnectionListener } from './connection.ts';
import {
  AmqpServerError, METHODS, noExchange, noQueue, resourceLocked, unknownDeliveryTag, type AmqpMethodRef,
} from './errors.ts';
import {
  DEFAULT_EXCHANGE, EXCHANGE_TYPES, makeBinding, makeExchange, PREDECLARED_EXCHANGES, route, sameBinding,
  type Binding,
  type BrokerExchange,
  type DestinationKind,
  type ExchangeType,
} from './exchange.ts';
import { DEFAULT_VHOST, resourceText, VirtualHost } from './vhost.ts';
import {
  globalQosRefused, queueTypeOf, queueTypePropertyError, serverNamedError, streamNotSimulated, withDeliveryCount,
} from './queue-type.ts';
import { noReplyConsumer, replyAddressCrash, REPLY_TO_PREFIX, REPLY_TO_QUEUE } from './reply-to.ts';
import { ReplyConsumers } from './reply-consumers.ts';
import type { BrokerMessage } from './message.ts';
import { BrokerQueue, type Consumer, type QueueProperties } from './queue.ts';
import { serverName } from './names.ts';
import { sendCallToClient, sendToClient } from './wire.ts';
import {
  argumentType, assertEquivalentQueue, describeArgument, equivalentArgument, queueArgumentsError,
} from './arguments.ts';
import { expirationError } from './ttl.ts';
import { deadLetterCycle, deadLetterProperties, deadLetterTarget, type DeathReason } from './dead-letter.ts';
import { hasSenderSelected, senderSelected } from './sender-selected.ts';

/** Options of `new AmqpBroker(...)`. */
export interface AmqpBrokerOptions {
  /** One-way network latency in simulated ms for every frame, client→broker and broker→client. Default 10. */
  latencyMs?: number;
}

/**
 * Reply to an RPC (queue.declare, basic.consume, …), called one round trip after the client sent it. `error` is
 * set when the server closed the channel over it; the channel listener's `onServerClose` is called right after.
 * A connection (hard) error gets no reply: the connection listener's `onServerClose` is called instead.
 */
export type Reply<T> = (error: AmqpServerError | null, value?: T) => void;

/** queue.declare-ok: name (server-generated when declared with ''), ready messages and consumers. */
export interface QueueInfo {
  queue: string;
  messageCount: number;
  consumerCount: number;
}

/** Options of basic.consume. */
export interface ConsumeOptions {
  /** Automatic acknowledgement: the broker forgets a message once sent (no prefetch applies). */
  noAck?: boolean;
  /** Client-chosen tag; '' or absent ⇒ the server makes `amq.ctag-…`. */
  consumerTag?: string;
  /** Only consumer of the queue (403 ACCESS_REFUSED if the queue has other consumers). */
  exclusive?: boolean;
  /** The `x-priority` argument as sent (an integer, else 406 "expected integer, got …"); absent = 0. */
  priority?: unknown;
}

/** Flags of basic.publish. */
export interface PublishFlags {
  /** Return the message to the publisher (basic.return) if no queue gets it. */
  mandatory?: boolean;
  /** Publisher confirm: called one round trip after publishing, once the broker has routed the message. */
  onConfirmed?: (nacked: boolean) => void;
  /**
   * What the inspector shows of the message beyond its preview (body text, properties, headers as printable
   * pairs): recorded as a `message-properties` trace entry right after `published`. Left out by callers whose
   * messages carry nothing more than the preview (the lessons' scenarios), so their traces stay small.
   */
  details?: { body: string; properties: Array<[string, string]>; headers: Array<[string, string]> };
}

/** Counts of one queue for views and tests. */
export interface QueueStats {
  ready: number;
  unacked: number;
  consumers: number;
}

/**
 * The AMQP 0-9-1 broker model with RabbitMQ semantics, on a deterministic `Engine`.
 *
 * Every public method is what a client SENDS at the engine's current time: the frame reaches the broker
 * `latencyMs` later (work happens then), and replies / deliveries reach the client another `latencyMs` later.
 * Frames on one channel stay in order because the engine is FIFO among equal times and all frames share one
 * latency. Everything is callback-based and synchronous inside engine events (no promises), so the work-queue
 * scenario can push millions of messages through it; the amqplib facade wraps it in promises.
 *
 * Recorded trace kinds: connection-opened/closed, channel-opened/closed, queue-declared/deleted/purged,
 * consumer-added/cancelled/crashed, published, enqueued, dropped (unroutable; acked-on-delivery right after a noAck
 * `delivered`; queue-deleted for an unacked message requeued into a deleted queue), delivered, acked, nacked, requeued,
 * broker-stopped / broker-started (`stop`, `start`, `restart`). (`routed` is not recorded for the default exchange:
 * `enqueued`/`dropped` say where the message went.) A direct reply-to reply is `delivered` from the pseudo-queue
 * `amq.rabbitmq.reply-to` (reply-to.ts). Names of queues and exchanges in vhosts other than '/' are `vhost/name`.
 *
 * Virtual hosts (vhost.ts): every connection opens one, and queues, exchanges and bindings live per vhost; '/'
 * always exists, others come from `addVhost`.
 *
 * Sources: https://www.rabbitmq.com/docs/confirms, /docs/consumer-prefetch, /docs/queues, /docs/consumers,
 * /docs/vhosts, /docs/quorum-queues, /docs/direct-reply-to, the AMQP 0-9-1 reference
 * (https://www.rabbitmq.com/amqp-0-9-1-reference).
 */
export class AmqpBroker {
  readonly engine: Engine;
  /** One-way network latency (simulated ms); `slowNetwork` can raise it during a run. */
  latencyMs: number;
  private readonly rng: Prng;
  private readonly connections = new Map<string, BrokerConnection>();
  private readonly channels = new Map<string, BrokerChannel>();
  /** The virtual hosts by name; '/' always exists (see vhost.ts, `addVhost`). */
  private readonly vhosts = new Map<string, VirtualHost>([[DEFAULT_VHOST, new VirtualHost(DEFAULT_VHOST)]]);
  /** Direct reply-to consumers and addresses (reply-consumers.ts). */
  private readonly replies: ReplyConsumers;
  /** False between a stop and the next start (`stop`, `start`, `restart`). */
  private running = true;
  private nextConnection = 1;
  private nextMessage = 1;
  /** Messages published and not yet gone (acked, dropped, purged, …): ready + unacked + on the wire. */
  private messagesHeld = 0;
  /**
   * Spare records of frames that already arrived (and settled unacked entries), reused by the hot paths so a
   * million-message run allocates fewer short-lived objects (fewer young-generation collections). Each holds at
   * most `SPARE_RECORDS_MAX`; a record is put back only once nothing refers to it any more.
   */
  private readonly sparePublishes: PendingPublish[] = [];
  private readonly spareSettles: PendingSettle[] = [];
  private readonly spareUnacked: Unacked[] = [];

  /** @throws RangeError when latencyMs is not an integer in [0, 60000]. */
  constructor(engine: Engine, options: AmqpBrokerOptions = {}) {
    const latencyMs = options.latencyMs ?? 10;
    if (!Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > 60_000) {
      throw new RangeError(`latencyMs must be an integer in [0, 60000] (simulated ms), got ${String(latencyMs)}`);
    }
    this.engine = engine;
    this.latencyMs = latencyMs;
    this.rng = engine.rng.fork();
    this.replies = new ReplyConsumers(this.rng, (event) => engine.record(event));
  }

  // ───────────────────────────── connections and channels ─────────────────────────────

  /**
   * Opens a connection labelled `label` (shown in the view) for `user` (credentials are not checked) to virtual
   * host `vhost`. Returns its id (`c1`, …) at once. When the connection reaches the broker, `latencyMs` later:
   * - the broker is stopped (`stop`): nothing listens, so the TCP connection is refused: nothing is recorded and
   *   `listener.onOpenFailed(null)` runs one round trip after the call;
   * - the vhost does not exist (`addVhost`): the broker records `connection-opened` then `connection-closed` with
   *   530 "NOT_ALLOWED - vhost x not found" (RabbitMQ 3.10 rabbit_reader, closing during the handshake) and
   *   `listener.onOpenFailed(reason)` runs one round trip after the call;
   * - else it records `connection-opened` and `onOpen` runs one round trip after the call.
   */
  connect(label: string, listener: ConnectionListener = {}, onOpen?: () => void, user = 'guest',
    vhost = DEFAULT_VHOST): string {
    const id = `c${this.nextConnection++}`;
    const connection = new BrokerConnection(id, label, listener, user,
      this.vhosts.get(vhost) ?? new VirtualHost(vhost));
    this.connections.set(id, connection);
    this.toBroker(() => {
      const refuse = (reason: CloseReason | null) => {
        connection.open = false;
        for (const channel of connection.channels.values()) channel.open = false;
        this.toClient(connection, () => listener.onOpenFailed?.(reason));
      };
      if (!this.running) {
        refuse(null);
        return;
      }
      this.engine.record({ kind: 'connection-opened', connection: id, label });
      const opened = this.vhosts.get(vhost);
      if (opened === undefined) {
        const reason: CloseReason = { code: 530, text: `NOT_ALLOWED - vhost ${vhost} not found` };
        this.engine.record({ kind: 'connection-closed', connection: id, reason });
        refuse(reason);
        return;
      }
      connection.vhost = opened;
      connection.established = true;
      if (onOpen) this.toClient(connection, onOpen);
    });
    return id;
  }

  /**
   * Opens a channel on `connectionId`. Returns its id (`c1.ch1`, …) at once; channel numbers count up from 1 per
   * connection. `onOpen` runs one round trip later.
   * @throws Error if the connection is unknown or closed (a client bug, not a server error).
   */
  openChannel(connectionId: string, listener: ChannelListener = {}, onOpen?: () => void): string {
    const connection = this.connections.get(connectionId);
    if (connection === undefined || !connection.open) throw new Error(`Connection ${connectionId} is not open`);
    const number = connection.nextChannelNumber++;
    const id = `${connectionId}.ch${number}`;
    const channel = new BrokerChannel(id, number, connection, listener, this.engine.trace.intern(id));
    connection.channels.set(id, channel);
    this.channels.set(id, channel);
    this.toBroker(() => {
      if (!connection.open) return;
      this.engine.record({ kind: 'channel-opened', channel: id, connection: connectionId });
      if (onOpen) this.toClient(connection, onOpen);
    });
    return id;
  }

  /**
   * Client closes a channel (channel.close): its consumers are cancelled and its unacknowledged messages return to
   * their queues, marked redelivered (https://www.rabbitmq.com/docs/confirms#automatic-requeueing).
   */
  closeChannel(channelId: string, onClosed?: () => void): void {
    this.toBroker(() => {
      const channel = this.channels.get(channelId);
      if (channel !== undefined && channel.open) this.closeChannelAtBroker(channel, undefined);
      if (onClosed) this.toClient(channel?.connection, onClosed);
    });
  }

  /** Client closes its connection (connection.close): every channel closes as in `closeChannel`. */
  closeConnection(connectionId: string, onClosed?: () => void): void {
    this.toBroker(() => {
      const connection = this.connections.get(connectionId);
      if (connection !== undefined && connection.open) this.closeConnectionAtBroker(connection, undefined);
      if (onClosed) this.toClient(connection, onClosed);
    });
  }

  /**
   * The client process dies (a consumer crash): `consumer-crashed` is recorded now for each of its channels, and
   * the broker notices the dropped TCP connection `latencyMs` later and closes it, returning unacked messages to
   * their queues (https://www.rabbitmq.com/docs/confirms#automatic-requeueing).
   * `lostMsgIds` (channel id → message ids) names what the dying client held that the broker will not redeliver
   * (noAck deliveries it had not finished); it is copied into that channel's `consumer-crashed` entry.
   */
  dropConnection(connectionId: string, lostMsgIds?: ReadonlyMap<string, readonly string[]>): void {
    const connection = this.connections.get(connectionId);
    if (connection === undefined) return;
    for (const channel of connection.channels.values()) {
      if (!channel.open) continue;
      const lost = lostMsgIds?.get(channel.id);
      this.engine.record(lost !== undefined && lost.length > 0
        ? { kind: 'consumer-crashed', channel: channel.id, connection: connectionId, lostMsgIds: [...lost] }
        : { kind: 'consumer-crashed', channel: channel.id, connection: connectionId });
    }
    this.toBroker(() => {
      if (connection.open) this.closeConnectionAtBroker(connection, undefined);
    });
  }

  // ───────────────────────────── virtual hosts ─────────────────────────────

  /**
   * Creates virtual host `name` (`rabbitmqctl add_vhost`), with its pre-declared exchanges; every user may use it
   * (the simulator checks no permissions: RabbitMQ would also need `rabbitmqctl set_permissions`). An existing name
   * is left as it is. Takes effect at once (an operator's action, not a client frame).
   * @throws TypeError when `name` is not a non-empty string.
   */
  addVhost(name: string): void {
    if (typeof name !== 'string' || name === '') throw new TypeError('a vhost name is a non-empty string');
    if (!this.vhosts.has(name)) this.vhosts.set(name, new VirtualHost(name));
  }

  /**
   * Deletes virtual host `name` (`rabbitmqctl delete_vhost`): its connections are closed (320 CONNECTION_FORCED
   * "vhost 'x' is deleted", RabbitMQ 3.10) and its queues and exchanges go. The default vhost '/' can be deleted
   * too, as in RabbitMQ. An unknown name does nothing.
   */
  deleteVhost(name: string): void {
    const vhost = this.vhosts.get(name);
    if (vhost === undefined) return;
    this.vhosts.delete(name);
    const reason: CloseReason = { code: 320, text: `CONNECTION_FORCED - vhost '${name}' is deleted` };
    for (const connection of [...this.connections.values()]) {
      if (connection.vhost === vhost && connection.open && connection.established) this.forceClose(connection, reason);
    }
    for (const queue of [...vhost.queues.values()]) this.deleteQueueAtBroker(queue, null);
    for (const exchange of [...vhost.exchanges.values()]) {
      if (exchange.name !== DEFAULT_EXCHANGE && vhost.exchanges.get(exchange.name) === exchange) {
        this.deleteExchangeAtBroker(vhost, exchange);
      }
    }
  }

  /** The names of the virtual hosts, '/' first (`rabbitmqctl list_vhosts`). */
  vhostNames(): string[] {
    return [...this.vhosts.keys()];
  }

  // ───────────────────────────── stopping and starting (faults) ─────────────────────────────

  /** False from `stop` until `start`: connecting is then refused. */
  get isRunning(): boolean {
    return this.running;
  }

  /**
   * Stops the broker now, as `rabbitmqctl stop_app` or a node shutdown does (RabbitMQ 3.10, verified by
   * test/conformance/amqp/48-broker-restart.mjs), recording `broker-stopped` (with `restartAtMs` when a start is
   * scheduled, see `restart`):
   * 1. every open connection is closed with 320 CONNECTION_FORCED "broker forced connection closure with reason
   *    'shutdown'" (amqplib: 'close' on each channel and on the connection, with the error; no 'error' event, since
   *    amqplib treats 320 as not fatal): its unacked messages go back to their queues (redelivered), its consumers
   *    go (an auto-delete queue whose last consumer goes is deleted), its exclusive queues are deleted;
   * 2. what a restart loses goes: non-durable queues (`queue-deleted`) and exchanges (`exchange-deleted`, with the
   *    bindings to and from them) — of every vhost — and the transient messages (deliveryMode ≠ 2) of durable
   *    classic queues (`dropped`, reason `transient`; a quorum queue keeps every message). Durable queues (also
   *    never-used auto-delete ones), durable exchanges, their bindings and persistent messages stay, in order.
   * While stopped, connecting fails like a refused TCP connection, and no message expires (`start` catches up).
   * Stopping a stopped broker does nothing. Takes effect at once (call it from an engine event for a later time).
   * Source: https://www.rabbitmq.com/docs/queues#durability, /docs/persistence-conf.
   */
  stop(restartAtMs?: number): void {
    if (!this.running) return;
    this.running = false;
    this.engine.record(restartAtMs === undefined ? { kind: 'broker-stopped' } : { kind: 'broker-stopped', restartAtMs });
    const reason: CloseReason = {
      code: 320, text: "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'",
    };
    for (const connection of [...this.connections.values()]) {
      if (connection.open && connection.established) this.forceClose(connection, reason);
    }
    for (const vhost of this.vhosts.values()) this.dropWhatARestartLoses(vhost);
  }

  /**
   * Starts a stopped broker (`rabbitmqctl start_app`), recording `broker-started`: connections are accepted again,
   * messages whose TTL passed while it was stopped expire now (dead-lettered or dropped), and queues with
   * `x-expires` start their wait again (RabbitMQ restarts the expiry timer of a recovered queue). Starting a running
   * broker does nothing.
   */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.engine.record({ kind: 'broker-started' });
    for (const vhost of this.vhosts.values()) {
      for (const queue of [...vhost.queues.values()]) {
        if (queue.deleted) continue;
        if (queue.mayExpire) this.expireAndDispatch(queue);
        this.touchQueue(queue);
      }
    }
  }

  /**
   * A broker restart as a fault of the simulation: `stop` in `inMs` simulated ms (default 0: at the current time,
   * after what is already scheduled for it), then `start` `downMs` later (default 3,000, about what `rabbitmqctl
   * stop_app` + `start_app` take on a small node). Both are engine events that keep a program waiting for them
   * alive, so a run shows the broker coming back.
   * @throws RangeError when `inMs` or `downMs` is not a finite number ≥ 0.
   */
  restart(options: { inMs?: number; downMs?: number } = {}): void {
    const inMs = options.inMs ?? 0;
    const downMs = options.downMs ?? RESTART_DOWN_MS_DEFAULT;
    for (const [name, value] of [['inMs', inMs], ['downMs', downMs]] as const) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new RangeError(`${name} must be a finite number of simulated ms ≥ 0, got ${String(value)}`);
      }
    }
    this.engine.schedule(inMs, () => {
      this.stop(this.engine.nowMs + Math.ceil(downMs));
      this.engine.schedule(downMs, () => this.start());
    });
  }

  /**
   * The network gets slower from now on (a fault of the simulation): every frame sent after this call, either way,
   * takes `latencyMs` simulated ms. Only a rise: a lower latency would let a later frame overtake an earlier one,
   * which TCP never does.
   * @throws RangeError when `latencyMs` is not an integer in [current latency, 60000].
   */
  slowNetwork(latencyMs: number): void {
    if (!Number.isInteger(latencyMs) || latencyMs < this.latencyMs || latencyMs > 60_000) {
      throw new RangeError(`the network can only get slower: latency must be an integer in [${this.latencyMs}, 60000] `
        + `(simulated ms), got ${String(latencyMs)}`);
    }
    this.latencyMs = latencyMs;
    this.engine.record({ kind: 'network-slowed', latencyMs });
  }

  /** Closes an open connection from the broker's side with `reason` (a connection.close frame to the client). */
  private forceClose(connection: BrokerConnection, reason: CloseReason): void {
    this.closeConnectionAtBroker(connection, reason);
    this.toClient(connection, () => connection.listener.onServerClose?.(reason));
  }

  /** Step 2 of `stop` for one vhost: non-durable queues and exchanges, transient messages of durable classic queues. */
  private dropWhatARestartLoses(vhost: VirtualHost): void {
    for (const queue of [...vhost.queues.values()]) {
      if (!queue.properties.durable) {
        this.deleteQueueAtBroker(queue, null);
        continue;
      }
      if (queue.type !== 'classic' || queue.ready.length === 0) continue;
      const kept: BrokerMessage[] = [];
      for (let m = queue.ready.shift(); m !== undefined; m = queue.ready.shift()) {
        if (m.properties.deliveryMode === 2) {
          kept.push(m);
          continue;
        }
        this.messagesHeld--;
        this.engine.record({ kind: 'dropped', msgId: `m${m.num}`, reason: 'transient', queue: queue.traceName });
      }
      for (const m of kept) queue.ready.push(m);
    }
    for (const exchange of [...vhost.exchanges.values()]) {
      if (!exchange.durable && vhost.exchanges.get(exchange.name) === exchange) this.deleteExchangeAtBroker(vhost, exchange);
    }
  }

  // ───────────────────────────── queues ─────────────────────────────

  /**
   * queue.declare in the channel's vhost, checked in RabbitMQ 3.10's order (each failure closes the channel, or the
   * connection where said):
   * 1. a name starting `amq.rabbitmq.reply-to`: direct reply-to's answer (reply-consumers.ts `declare`);
   * 2. `name` '' ⇒ a server-named queue `amq.gen-…`, but not of type quorum or stream (406), and an unknown
   *    `x-queue-type` there crashes RabbitMQ's check (541, connection) — queue-type.ts `serverNamedError`; another
   *    name starting with `amq.` ⇒ 403 ACCESS_REFUSED (even for an existing server-named queue);
   * 3. an existing queue: exclusive to another connection, or a different `exclusive` ⇒ 405 RESOURCE_LOCKED; other
   *    durable / autoDelete / arguments ⇒ 406 (arguments.ts `assertEquivalentQueue`);
   * 4. a new queue: its arguments (arguments.ts `queueArgumentsError`: x-queue-type, values, arguments of other
   *    queue types), then the properties its type forbids (quorum and stream queues are durable, not exclusive,
   *    not auto-delete: queue-type.ts) ⇒ 406; a stream queue is then refused as not simulated (540, connection).
   * Sources: https://www.rabbitmq.com/docs/queues (declaration, property equivalence, exclusive, server-named),
   * /docs/quorum-queues; conformance programs 21, 31, 43 and 44.
   */
  assertQueue(channelId: string, name: string, properties: QueueProperties, reply: Reply<QueueInfo>): void {
    this.rpc(channelId, reply, (channel) => {
      const method = METHODS.queueDeclare;
      const vhost = channel.connection.vhost;
      if (name.startsWith(REPLY_TO_QUEUE)) return this.replies.declare(channel, name);
      if (name === '') {
        const refused = serverNamedError(properties.arguments);
        if (refused !== null) throw refused;
        name = serverName('amq.gen-', this.rng);
      } else if (name.startsWith('amq.')) {
        // Even for an existing server-named queue (RabbitMQ rabbit_channel check_name; verified with 3.10).
        throw new AmqpServerError(403, `queue name '${name}' contains reserved prefix 'amq.*'`, method);
      }
      const existing = vhost.queues.get(name);
      if (existing !== undefined) {
        this.checkExclusiveAccess(existing, channel, method);
        if (existing.properties.exclusive !== properties.exclusive) throw resourceLocked(name, method, vhost.name);
        assertEquivalentQueue(existing.name, vhost.name, existing.properties, properties, method);
        channel.lastDeclaredQueue = name;
        this.touchQueue(existing);
        return this.queueInfo(existing);
      }
      // Arguments are validated only for a new queue: an existing one is compared first (inequivalent arg).
      const invalid = queueArgumentsError(name, vhost.name, properties.arguments);
      if (invalid !== null) throw new AmqpServerError(406, invalid, method);
      const type = queueTypeOf(properties.arguments);
      const invalidProperty = queueTypePropertyError(name, vhost.name, type, properties);
      if (invalidProperty !== null) throw new AmqpServerError(406, invalidProperty, method);
      if (type === 'stream') throw streamNotSimulated(name, vhost.name);
      const queue = new BrokerQueue(name, vhost, {
        ...properties, arguments: { ...properties.arguments },
      }, properties.exclusive ? channel.connection.id : null, this.engine.trace.intern(vhost.traceName(name)));
      vhost.queues.set(name, queue);
      this.engine.record(type === 'quorum'
        ? {
          kind: 'queue-declared', queue: queue.traceName, durable: properties.durable, exclusive: properties.exclusive,
          autoDelete: properties.autoDelete, queueType: type,
        }
        : {
          kind: 'queue-declared', queue: queue.traceName, durable: properties.durable, exclusive: properties.exclusive,
          autoDelete: properties.autoDelete,
        });
      channel.lastDeclaredQueue = name;
      this.touchQueue(queue);
      return this.queueInfo(queue);
    });
  }


  /**
   * queue.declare passive: the queue's counts, or 404 NOT_FOUND (closes the channel). '' is not the shortcut here
   * (404 "no queue ''"), but a passive declare that succeeds does become the channel's last declared queue
   * (verified with RabbitMQ 3.10, test/conformance/amqp/21-last-declared-queue.mjs). Names starting
   * `amq.rabbitmq.reply-to` are answered as by `assertQueue`.
   */
  checkQueue(channelId: string, name: string, reply: Reply<QueueInfo>): void {
    this.rpc(channelId, reply, (channel) => {
      if (name.startsWith(REPLY_TO_QUEUE)) return this.replies.declare(channel, name);
      const queue = this.requireQueue(name, channel, METHODS.queueDeclare);
      channel.lastDeclaredQueue = name;
      this.touchQueue(queue);
      return this.queueInfo(queue);
    });
  }

  /**
   * queue.delete: returns the ready messages it held; its consumers are cancelled (each client gets basic.cancel).
   * A missing queue is not an error (messageCount 0). `ifUnused` / `ifEmpty` ⇒ 406 when it has consumers / ready
   * messages. Unacked deliveries from it stay on their channels (acking them later is fine).
   * Source: AMQP 0-9-1 reference queue.delete; https://www.rabbitmq.com/docs/consumer-cancel
   */
  deleteQueue(channelId: string, name: string, options: { ifUnused?: boolean; ifEmpty?: boolean },
    reply: Reply<{ messageCount: number }>): void {
    this.rpc(channelId, reply, (channel) => {
      name = this.expandQueueName(name, channel, METHODS.queueDelete);
      const vhost = channel.connection.vhost;
      const queue = vhost.queues.get(name);
      if (queue === undefined) return { messageCount: 0 };
      this.checkExclusiveAccess(queue, channel, METHODS.queueDelete);
      if (options.ifUnused && queue.consumers.length > 0) {
        throw new AmqpServerError(406, `${resourceText('queue', name, vhost.name)} in use`, METHODS.queueDelete);
      }
      if (options.ifEmpty && queue.ready.length > 0) {
        throw new AmqpServerError(406, `${resourceText('queue', name, vhost.name)} not empty`, METHODS.queueDelete);
      }
      return { messageCount: this.deleteQueueAtBroker(queue, null) };
    });
  }

  /** queue.purge: removes the ready messages (not the unacked ones) and returns how many. 404 if missing. */
  purgeQueue(channelId: string, name: string, reply: Reply<{ messageCount: number }>): void {
    this.rpc(channelId, reply, (channel) => {
      name = this.expandQueueName(name, channel, METHODS.queuePurge);
      const queue = this.requireQueue(name, channel, METHODS.queuePurge);
      const messageCount = queue.ready.clear();
      this.messagesHeld -= messageCount;
      this.engine.record({ kind: 'queue-purged', queue: queue.traceName, messageCount });
      return { messageCount };
    });
  }

  // ───────────────────────────── exchanges and bindings ─────────────────────────────

  /**
   * exchange.declare. An unknown type is a connection error (503 COMMAND_INVALID "unknown exchange type 'x'");
   * '' ⇒ 403 (the default exchange); a new name starting with `amq.` ⇒ 403 reserved prefix; redeclaring with a
   * different type / durable / auto_delete / internal ⇒ 406 inequivalent arg. Replies `{ exchange }`.
   * Sources: AMQP 0-9-1 reference exchange.declare; https://www.rabbitmq.com/docs/exchanges; RabbitMQ 3.10
   * (conformance program 23).
   */
  assertExchange(channelId: string, name: string, type: string,
    options: { durable: boolean; autoDelete: boolean; internal: boolean; arguments?: Record<string, unknown> },
    reply: Reply<{ exchange: string }>): void {
    const alternate = options.arguments?.['alternate-exchange'];
    this.rpc(channelId, reply, (channel) => {
      const method = METHODS.exchangeDeclare;
      const vhost = channel.connection.vhost;
      if (!(EXCHANGE_TYPES as readonly string[]).includes(type)) {
        throw new AmqpServerError(503, `unknown exchange type '${type}'`, method, true);
      }
      if (name === DEFAULT_EXCHANGE) throw defaultExchangeRefused(method);
      const existing = vhost.exchanges.get(name);
      if (existing === undefined && name.startsWith('amq.')) {
        throw new AmqpServerError(403, `exchange name '${name}' contains reserved prefix 'amq.*'`, method);
      }
      if (existing !== undefined) {
        const mismatch = (arg: string, received: string | boolean, current: string | boolean) =>
          new AmqpServerError(406, `inequivalent arg '${arg}' for ${resourceText('exchange', name, vhost.name)}: received ` +
            `'${String(received)}' but current is '${String(current)}'`, method);
        if (existing.type !== type) throw mismatch('type', type, existing.type);
        if (existing.durable !== options.durable) throw mismatch('durable', options.durable, existing.durable);
        if (existing.autoDelete !== options.autoDelete) {
          throw mismatch('auto_delete', options.autoDelete, existing.autoDelete);
        }
        if (existing.internal !== options.internal) throw mismatch('internal', options.internal, existing.internal);
        if (!equivalentArgument(alternate, existing.alternateExchange)) {
          throw new AmqpServerError(406, `inequivalent arg 'alternate-exchange' for ${resourceText('exchange', name, vhost.name)}: ` +
            `received ${describeArgument(alternate, existing.alternateExchange)} but current is ` +
            `${describeArgument(existing.alternateExchange, alternate)}`, method);
        }
        return { exchange: name };
      }
      vhost.exchanges.set(name, makeExchange(name, type as ExchangeType, options.durable, options.autoDelete,
        options.internal, typeof alternate === 'string' ? alternate : undefined));
      this.engine.record({ kind: 'exchange-declared', exchange: vhost.traceName(name), type, durable: options.durable });
      return { exchange: name };
    });
  }

  /** exchange.declare passive: `{}`, or 404 "no exchange 'x' in vhost '/'" (closes the channel). */
  checkExchange(channelId: string, name: string, reply: Reply<Record<string, never>>): void {
    this.rpc(channelId, reply, (channel) => {
      const vhost = channel.connection.vhost;
      if (name === DEFAULT_EXCHANGE) throw defaultExchangeRefused(METHODS.exchangeDeclare);
      if (!vhost.exchanges.has(name)) throw noExchange(name, METHODS.exchangeDeclare, vhost.name);
      return {};
    });
  }

  /**
   * exchange.delete: its bindings go with it, those from it and those to it (which can auto-delete their source).
   * A missing exchange is not an error; '' and the pre-declared `amq.*` ones cannot be deleted (403); `ifUnused`
   * with bindings from it ⇒ 406 "exchange 'x' in vhost '/' in use".
   */
  deleteExchange(channelId: string, name: string, options: { ifUnused?: boolean },
    reply: Reply<Record<string, never>>): void {
    this.rpc(channelId, reply, (channel) => {
      const method = METHODS.exchangeDelete;
      const vhost = channel.connection.vhost;
      if (name === DEFAULT_EXCHANGE) throw defaultExchangeRefused(method);
      if (PREDECLARED_EXCHANGES.some((x) => x.name === name)) {
        throw new AmqpServerError(403, `deletion of system ${resourceText('exchange', name, vhost.name)} not allowed`,
          method);
      }
      const exchange = vhost.exchanges.get(name);
      if (exchange === undefined) return {};
      if (options.ifUnused && exchange.bindings.length > 0) {
        throw new AmqpServerError(406, `${resourceText('exchange', name, vhost.name)} in use`, method);
      }
      this.deleteExchangeAtBroker(vhost, exchange);
      return {};
    });
  }

  /**
   * queue.bind: messages published to `exchangeName` whose routing key matches `bindingKey` (by the exchange's
   * type) also go to `queueName`. Binding twice is harmless. '' as the exchange ⇒ 403 (every queue is bound to
   * the default exchange already); a missing exchange or queue ⇒ 404; '' as the queue is the channel's last
   * declared queue.
   */
  bindQueue(channelId: string, queueName: string, exchangeName: string, bindingKey: string,
    reply: Reply<Record<string, never>>, args: Record<string, unknown> = {}): void {
    this.rpc(channelId, reply, (channel) => {
      const method = METHODS.queueBind;
      const vhost = channel.connection.vhost;
      const name = this.expandQueueName(queueName, channel, method);
      if (exchangeName === DEFAULT_EXCHANGE) throw defaultExchangeRefused(method);
      const exchange = vhost.exchanges.get(exchangeName);
      if (exchange === undefined) throw noExchange(exchangeName, method, vhost.name);
      this.requireQueue(name, channel, method);
      this.addBinding(vhost, exchange, name, 'queue', bindingKey, args);
      return {};
    });
  }

  /**
   * queue.unbind: removes that binding if it exists (nothing missing is an error); '' as the exchange ⇒ 403. An
   * existing binding of another connection's exclusive queue ⇒ 405 RESOURCE_LOCKED (unbinding one that does not
   * exist is fine even then): RabbitMQ checks exclusive access only once it found the binding (rabbit_binding:remove;
   * conformance program 45).
   */
  unbindQueue(channelId: string, queueName: string, exchangeName: string, bindingKey: string,
    reply: Reply<Record<string, never>>, args: Record<string, unknown> = {}): void {
    this.rpc(channelId, reply, (channel) => {
      const method = METHODS.queueUnbind;
      const vhost = channel.connection.vhost;
      const name = this.expandQueueName(queueName, channel, method);
      if (exchangeName === DEFAULT_EXCHANGE) throw defaultExchangeRefused(method);
      const source = vhost.exchanges.get(exchangeName);
      const binding = source?.bindings.find((b) => sameBinding(b, name, 'queue', bindingKey, args));
      if (source === undefined || binding === undefined) return {};
      const queue = vhost.queues.get(name);
      if (queue !== undefined) this.checkExclusiveAccess(queue, channel, method);
      this.removeBindings(vhost, source, (b) => b === binding);
      return {};
    });
  }

  /**
   * exchange.bind (RabbitMQ extension, https://www.rabbitmq.com/docs/e2e): messages that `sourceName` routes with a
   * matching `bindingKey` also go through `destinationName`, routed again by that exchange's type. Binding twice,
   * or an exchange to itself, is harmless. Errors, checked in RabbitMQ 3.10's order (conformance program 34): ''
   * as either side ⇒ 403 "operation not permitted on the default exchange"; a missing source, then a missing
   * destination ⇒ 404 "no exchange 'x' in vhost '/'". Replies `{}`.
   */
  bindExchange(channelId: string, destinationName: string, sourceName: string, bindingKey: string,
    reply: Reply<Record<string, never>>, args: Record<string, unknown> = {}): void {
    this.rpc(channelId, reply, (channel) => {
      const method = METHODS.exchangeBind;
      const vhost = channel.connection.vhost;
      if (sourceName === DEFAULT_EXCHANGE || destinationName === DEFAULT_EXCHANGE) throw defaultExchangeRefused(method);
      const source = vhost.exchanges.get(sourceName);
      if (source === undefined) throw noExchange(sourceName, method, vhost.name);
      if (!vhost.exchanges.has(destinationName)) throw noExchange(destinationName, method, vhost.name);
      this.addBinding(vhost, source, destinationName, 'exchange', bindingKey, args);
      return {};
    });
  }

  /**
   * exchange.unbind: removes that binding if it exists; nothing missing is an error, not even the exchanges
   * (RabbitMQ 3.10); '' as either side ⇒ 403. A source left without bindings is deleted if it is auto-delete.
   */
  unbindExchange(channelId: string, destinationName: string, sourceName: string, bindingKey: string,
    reply: Reply<Record<string, never>>, args: Record<string, unknown> = {}): void {
    this.rpc(channelId, reply, (channel) => {
      const method = METHODS.exchangeUnbind;
      const vhost = channel.connection.vhost;
      if (sourceName === DEFAULT_EXCHANGE || destinationName === DEFAULT_EXCHANGE) throw defaultExchangeRefused(method);
      const source = vhost.exchanges.get(sourceName);
      const binding = source?.bindings.find((b) => sameBinding(b, destinationName, 'exchange', bindingKey, args));
      if (source !== undefined && binding !== undefined) this.removeBindings(vhost, source, (b) => b === binding);
      return {};
    });
  }

  /**
   * Adds the binding `source` → `destination` of `vhost` unless it exists, recording `queue-bound` /
   * `exchange-bound`.
   */
  private addBinding(vhost: VirtualHost, source: BrokerExchange, destination: string, kind: DestinationKind,
    bindingKey: string, args: Record<string, unknown>): void {
    if (source.bindings.some((b) => sameBinding(b, destination, kind, bindingKey, args))) return;
    source.bindings.push(makeBinding(destination, bindingKey, args, kind));
    this.engine.record(kind === 'queue'
      ? { kind: 'queue-bound', queue: vhost.traceName(destination), exchange: vhost.traceName(source.name),
        routingKey: bindingKey }
      : { kind: 'exchange-bound', source: vhost.traceName(source.name), destination: vhost.traceName(destination),
        routingKey: bindingKey });
  }

  /** Removes every binding to `destination` (a deleted queue or exchange) from every exchange of `vhost`. */
  private removeBindingsTo(vhost: VirtualHost, destination: string, kind: DestinationKind): void {
    const toIt = (b: Binding) => b.destination === destination && b.kind === kind;
    for (const exchange of [...vhost.exchanges.values()]) {
      if (exchange.bindings.some(toIt)) this.removeBindings(vhost, exchange, toIt);
    }
  }

  /** Deletes exchange `exchange` of `vhost`: `exchange-deleted`, then its bindings from and to it go. */
  private deleteExchangeAtBroker(vhost: VirtualHost, exchange: BrokerExchange): void {
    vhost.exchanges.delete(exchange.name);
    this.engine.record({ kind: 'exchange-deleted', exchange: vhost.traceName(exchange.name) });
    this.removeBindingsTo(vhost, exchange.name, 'exchange');
  }

  /**
   * Removes the bindings of `exchange` that `drop` selects, recording `queue-unbound` / `exchange-unbound` for each;
   * an auto-delete exchange left without bindings (as a source) is deleted, with the bindings to it
   * (https://www.rabbitmq.com/docs/exchanges#auto-deletion; an exchange that is only a destination stays, RabbitMQ
   * 3.10).
   */
  private removeBindings(vhost: VirtualHost, exchange: BrokerExchange, drop: (b: Binding) => boolean): void {
    const kept: Binding[] = [];
    for (const b of exchange.bindings) {
      if (!drop(b)) {
        kept.push(b);
        continue;
      }
      this.engine.record(b.kind === 'queue'
        ? { kind: 'queue-unbound', queue: vhost.traceName(b.destination), exchange: vhost.traceName(exchange.name),
          routingKey: b.key }
        : { kind: 'exchange-unbound', source: vhost.traceName(exchange.name), destination: vhost.traceName(b.destination),
          routingKey: b.key });
    }
    if (kept.length === exchange.bindings.length) return;
    exchange.bindings = kept;
    if (exchange.autoDelete && kept.length === 0 && vhost.exchanges.get(exchange.name) === exchange) {
      this.deleteExchangeAtBroker(vhost, exchange);
    }
  }

  // ───────────────────────────── consuming ─────────────────────────────

  /**
   * basic.qos. `global` false: the prefetch limit of each consumer created on this channel AFTER this call;
   * true: one limit shared by all the channel's consumers. 0 = unlimited. This is RabbitMQ's reading of the flag,
   * not the spec's (https://www.rabbitmq.com/docs/consumer-prefetch).
   */
  qos(channelId: string, prefetchCount: number, global: boolean, reply: Reply<void>): void {
    this.rpc(channelId, reply, (channel) => {
      if (global) channel.globalPrefetch = prefetchCount;
      else channel.consumerPrefetch = prefetchCount;
      return undefined;
    }, (channel) => {
      if (global) for (const c of channel.consumers.values()) this.dispatch(c.queue);
    });
  }

  /**
   * basic.consume. Deliveries start right after consume-ok, round-robin among the queue's consumers that have spare
   * prefetch. Errors: 404 no queue, 405 exclusive queue of another connection, 403 queue in exclusive use; a reused
   * consumer tag on the channel is a connection error 530 NOT_ALLOWED; a quorum queue refuses a channel with a
   * global prefetch (540 NOT_IMPLEMENTED "queue 'q' in vhost '/' does not support global qos", connection, RabbitMQ
   * 3.10). Consuming `amq.rabbitmq.reply-to` makes the channel's direct reply-to consumer (reply-consumers.ts).
   */
  consume(channelId: string, queueName: string, options: ConsumeOptions, reply: Reply<{ consumerTag: string }>): void {
    let added: Consumer | undefined;
    this.rpc(channelId, reply, (channel) => {
      const method = METHODS.basicConsume;
      const vhost = channel.connection.vhost;
      if (queueName === REPLY_TO_QUEUE) return this.replies.consume(channel, options);
      queueName = this.expandQueueName(queueName, channel, method);
      const queue = this.requireQueue(queueName, channel, method);
      const tag = options.consumerTag ? options.consumerTag : serverName('amq.ctag-', this.rng);
      if (channel.consumers.has(tag)) {
        throw new AmqpServerError(530, `attempt to reuse consumer tag '${tag}'`, method, true);
      }
      if (options.exclusive ? queue.consumers.length > 0 : queue.consumers.some((c) => c.exclusive)) {
        throw new AmqpServerError(403, `${resourceText('queue', queueName, vhost.name)} in exclusive use`, method);
      }
      const priority = options.priority ?? 0;
      if (typeof priority !== 'number' || !Number.isInteger(priority)) {
        // rabbit_amqqueue consume args: x-priority must be an integer (verified against RabbitMQ 3.10).
        throw new AmqpServerError(406, `invalid arg 'x-priority' for ${resourceText('queue', queueName, vhost.name)}: `
          + `"expected integer, got ${argumentType(priority)}"`, method);
      }
      if (queue.type === 'quorum' && channel.globalPrefetch > 0) throw globalQosRefused(queueName, vhost.name);
      const noAck = options.noAck === true;
      added = {
        tag, queue, channel, noAck, exclusive: options.exclusive === true, prefetch: channel.consumerPrefetch,
        unacked: 0, tagKey: this.engine.trace.intern(tag), priority,
      };
      queue.addConsumer(added);
      channel.consumers.set(tag, added);
      this.engine.record({
        kind: 'consumer-added', queue: queue.traceName, consumerTag: tag, channel: channelId, noAck,
        prefetch: channel.consumerPrefetch,
      });
      return { consumerTag: tag };
    }, () => {
      if (added !== undefined) this.dispatch(added.queue);
    });
  }


  /**
   * basic.cancel: no more deliveries to that consumer; its unacked messages stay unacked (the client must still
   * ack them). An unknown tag is not an error. An auto-delete queue left without consumers is deleted. The tag of
   * the channel's direct reply-to consumer ends that one (checked first, as RabbitMQ does).
   */
  cancel(channelId: string, consumerTag: string, reply: Reply<{ consumerTag: string }>): void {
    this.rpc(channelId, reply, (channel) => {
      if (channel.replyConsumer?.tag === consumerTag) {
        this.replies.end(channel, 'cancelled');
        return { consumerTag };
      }
      const consumer = channel.consumers.get(consumerTag);
      if (consumer !== undefined) this.removeConsumer(consumer, 'cancelled');
      return { consumerTag };
    });
  }

  /**
   * basic.get: the head of the queue, or `false` when it is empty. With noAck false the message must be acked like
   * any delivery, but it does not count against prefetch. 404 if the queue is missing.
   */
  get(channelId: string, queueName: string, options: { noAck?: boolean }, reply: Reply<Delivery | false>): void {
    this.rpc(channelId, reply, (channel) => {
      const queue = this.requireQueue(this.expandQueueName(queueName, channel, METHODS.basicGet), channel,
        METHODS.basicGet);
      this.touchQueue(queue);
      if (queue.mayExpire) this.expireAndDispatch(queue);
      const message = queue.ready.shift();
      if (message === undefined) return false;
      const delivery = this.deliver(channel, queue, message, null, options.noAck === true);
      if (queue.mayExpire) this.expireAndDispatch(queue); // get-ok counts what is left once expired heads are gone
      delivery.messageCount = queue.ready.length;
      return delivery;
    });
  }

  // ───────────────────────────── publishing and settling ─────────────────────────────

  /**
   * basic.publish (no reply). Records `published` now and, on arrival, `enqueued` or `dropped` (unroutable: no
   * queue matched; without the mandatory flag the message is silently dropped — AMQP 0-9-1 basic.publish).
   * Publishing to an exchange that does not exist ⇒ 404 NOT_FOUND closes the channel; so does an invalid
   * `expiration` property, with 406 PRECONDITION_FAILED (ttl.ts).
   * `mandatory`: an unroutable message comes back to the channel as basic.return (312 NO_ROUTE) before its
   * confirm (AMQP 0-9-1 reference basic.publish / basic.return; verified with RabbitMQ 3.10).
   * `onConfirmed` (publisher confirms, https://www.rabbitmq.com/docs/confirms#publisher-confirms) runs one round
   * trip later once the broker has routed the message (an unroutable message is confirmed too), with `nacked` true
   * when a queue refused it (length limit with overflow reject-publish / reject-publish-dlx).
   * @returns the message number N (its trace id is `mN`; the string is made only when someone reads it).
   * @throws SimulationLimitError past `limits.messagesInFlightMax`.
   */
  publish(channelId: string, exchange: string, routingKey: string, content: unknown,
    properties: Record<string, unknown>, preview: string, options: PublishFlags = NO_FLAGS): number {
    const { mandatory = false, onConfirmed } = options;
    if (this.messagesHeld >= this.engine.limits.messagesInFlightMax) {
      throw new SimulationLimitError('messagesInFlightMax', this.engine.limits.messagesInFlightMax,
        'Too many messages are in the broker at once; consume them or publish fewer.');
    }
    const num = this.nextMessage++;
    this.messagesHeld++;
    const nowMs = this.engine.nowMs;
    let traceExchange = exchange;
    if (this.vhosts.size > 1) {
      // Names in vhosts other than '/' are qualified in the trace (VirtualHost.traceName).
      const vhost = this.channels.get(channelId)?.connection.vhost;
      if (vhost !== undefined) traceExchange = vhost.traceName(exchange);
    }
    this.engine.trace.published(nowMs, num, channelId, traceExchange, routingKey,
      preview.length > 40 ? preview.slice(0, 40) : preview, nowMs + this.latencyMs);
    const details = options.details;
    if (details !== undefined) {
      this.engine.record({
        kind: 'message-properties', msgId: `m${num}`, body: details.body, properties: details.properties,
        headers: details.headers,
      });
    }
    let pending = this.sparePublishes.pop();
    if (pending === undefined) {
      pending = { num, channelId, exchange, routingKey, content, properties, preview, mandatory, onConfirmed };
    } else {
      pending.num = num;
      pending.channelId = channelId;
      pending.exchange = exchange;
      pending.routingKey = routingKey;
      pending.content = content;
      pending.properties = properties;
      pending.preview = preview;
      pending.mandatory = mandatory;
      pending.onConfirmed = onConfirmed;
    }
    this.engine.scheduleCall(this.latencyMs, this.publishArrived, pending);
    return num;
  }

  /** A basic.publish frame reaches the broker (see `publish`); shared by every publish (no closure each). */
  private readonly publishArrived = (p: PendingPublish): void => {
    const { num, channelId, exchange, routingKey, content, preview, mandatory, onConfirmed } = p;
    let properties = p.properties;
    if (this.sparePublishes.length < SPARE_RECORDS_MAX) {
      p.content = undefined;
      p.properties = NO_PROPERTIES;
      p.onConfirmed = undefined;
      this.sparePublishes.push(p);
    }
    const channel = this.channels.get(channelId);
    if (channel === undefined || !channel.open) {
      this.messagesHeld--;
      return;
    }
    const vhost = channel.connection.vhost;
    let target: BrokerExchange | undefined;
    if (exchange !== DEFAULT_EXCHANGE) {
      target = vhost.exchanges.get(exchange);
      if (target === undefined || target.internal) {
        this.messagesHeld--;
        this.failChannel(channel, target === undefined ? noExchange(exchange, METHODS.basicPublish, vhost.name)
          : new AmqpServerError(403, `cannot publish to internal ${resourceText('exchange', exchange, vhost.name)}`,
            METHODS.basicPublish), undefined);
        return;
      }
    }
    if (properties.replyTo === REPLY_TO_QUEUE) {
      // Direct reply-to (reply-to.ts): the request's replyTo becomes this channel's reply address.
      const address = this.replies.addressOf(channel);
      if (address === null) {
        this.messagesHeld--;
        this.failChannel(channel, noReplyConsumer(), undefined);
        return;
      }
      properties = { ...properties, replyTo: address };
    }
    const userId = properties.userId;
    if (userId !== undefined && userId !== channel.connection.user) {
      // https://www.rabbitmq.com/docs/validated-user-id (rabbit_channel:check_user_id_header, RabbitMQ 3.10).
      this.messagesHeld--;
      this.failChannel(channel, new AmqpServerError(406, `user_id property set to '${String(userId)}' but `
        + `authenticated user was '${channel.connection.user}'`, METHODS.basicPublish), undefined);
      return;
    }
    const expiration = properties.expiration;
    if (typeof expiration === 'string') {
      const invalid = expirationError(expiration);
      if (invalid !== null) {
        // A bad per-message TTL: 406 closes the channel, the message goes nowhere (RabbitMQ 3.10; see ttl.ts).
        this.messagesHeld--;
        this.failChannel(channel, new AmqpServerError(406, invalid, METHODS.basicPublish), undefined);
        return;
      }
    }
    const deliveryMode = properties.deliveryMode;
    if (deliveryMode !== undefined && deliveryMode !== 1 && deliveryMode !== 2) {
      // rabbit_basic:is_message_persistent/1: only 1 (transient) and 2 (persistent) exist.
      this.messagesHeld--;
      this.failChannel(channel, new AmqpServerError(406,
        `invalid message: {delivery_mode_unknown,${String(deliveryMode)}}`, METHODS.basicPublish), undefined);
      return;
    }
    let routingKeys: readonly string[] | undefined;
    let ccKeys: readonly string[] | undefined;
    if (hasSenderSelected(properties.headers)) {
      const selected = senderSelected(properties, properties.headers);
      if ('error' in selected) {
        this.messagesHeld--;
        this.failChannel(channel, new AmqpServerError(406, selected.error, METHODS.basicPublish), undefined);
        return;
      }
      properties = selected.properties;
      if (selected.keys.length > 0) {
        ccKeys = selected.keys;
        routingKeys = [routingKey, ...selected.keys];
      }
    }
    if (target !== undefined) {
      const path: RoutePath = { via: new Map(), hops: [] };
      const queues = this.routeGraph(vhost, target, routingKeys ?? [routingKey], properties.headers, path);
      this.enqueueEverywhere(channel, queues, path, num, target.name, routingKey, content, properties, preview,
        mandatory, onConfirmed, ccKeys);
      return;
    }
    if (routingKeys !== undefined) {
      // The default exchange with CC / BCC keys: each names a queue (delivered in descending name order), or is a
      // direct reply-to address.
      const queues: BrokerQueue[] = [];
      const replies: string[] = [];
      for (const key of routingKeys) {
        if (key.startsWith(REPLY_TO_PREFIX)) {
          if (!replies.includes(key)) replies.push(key);
          continue;
        }
        const q = vhost.queues.get(key);
        if (q !== undefined && !q.deleted && !queues.includes(q)) queues.push(q);
      }
      let replied = false;
      if (replies.length > 0) {
        const delivered = this.deliverReplies(channel, replies.sort(), num, routingKey, content, properties);
        if (delivered === undefined) return;
        replied = delivered;
      }
      queues.sort((a, b) => compareCodePoints(b.name, a.name));
      this.enqueueEverywhere(channel, queues, { via: new Map(), hops: [] }, num, exchange, routingKey, content,
        properties, preview, mandatory, onConfirmed, ccKeys, replied);
      return;
    }
    const queue = vhost.queues.get(routingKey);
    if (queue === undefined) {
      let replied = false;
      if (routingKey.startsWith(REPLY_TO_PREFIX)) {
        const delivered = this.deliverReplies(channel, [routingKey], num, routingKey, content, properties);
        if (delivered === undefined) return;
        replied = delivered;
      }
      this.unroutable(channel, num, exchange, routingKey, content, properties, mandatory, onConfirmed, replied);
      return;
    }
    if (queue.maxLength === undefined && queue.maxLengthBytes === undefined) {
      // The hot path: no length limit to apply.
      const message: BrokerMessage = {
        num, exchange, routingKey, content, properties, preview, redelivered: false, seq: queue.takeSeq(),
        expiresAtMs: this.expiryFor(queue, properties),
      };
      queue.ready.push(message);
      this.engine.trace.enqueued(this.engine.nowMs, num, queue.traceKey, queue.ready.length);
      if (onConfirmed) this.confirm(channel, onConfirmed, false);
      this.dispatch(queue);
      return;
    }
    const moved: BrokerQueue[] = [];
    const taken = this.enqueueCopy(queue, num, exchange, routingKey, content, properties, preview, moved);
    if (onConfirmed) this.confirm(channel, onConfirmed, !taken);
    this.dispatch(queue);
    for (const q of moved) this.dispatch(q);
  };

  /**
   * Direct reply-to (reply-to.ts): hands a message published to the default exchange to the reply consumers its
   * reply addresses `addresses` name (in that order). Each delivery is recorded as `delivered` from the pseudo-queue
   * `amq.rabbitmq.reply-to` then `dropped` (acked-on-delivery: the consumer is noAck); it carries the requester
   * channel's next delivery tag without using it up (RabbitMQ 3.10). Returns whether any consumer got it, or
   * undefined when an address is undecodable: then the publisher's connection has been closed with 541.
   */
  private deliverReplies(channel: BrokerChannel, addresses: readonly string[], num: number, routingKey: string,
    content: unknown, properties: Record<string, unknown>): boolean | undefined {
    const targets: BrokerChannel[] = [];
    for (const address of addresses) {
      const target = this.replies.target(address);
      if (target === 'undecodable') {
        this.messagesHeld--;
        this.failChannel(channel, replyAddressCrash(), undefined);
        return undefined;
      }
      if (target !== null) targets.push(target);
    }
    const nowMs = this.engine.nowMs;
    const trace = this.engine.trace;
    for (const target of targets) {
      const consumer = target.replyConsumer as { tag: string; key: string };
      const deliveryTag = target.nextDeliveryTag;
      trace.delivered(nowMs, num, trace.intern(target.connection.vhost.traceName(REPLY_TO_QUEUE)), target.traceKey,
        trace.intern(consumer.tag), deliveryTag, false, nowMs + this.latencyMs);
      trace.dropped(nowMs, num, 'acked-on-delivery');
      const delivery: Delivery = {
        msgNum: num, consumerTag: consumer.tag, deliveryTag, redelivered: false, exchange: DEFAULT_EXCHANGE,
        routingKey, content, properties,
      };
      sendCallToClient(this.engine, this.latencyMs, target.connection, callOnDeliver, target.listener, delivery);
    }
    return targets.length > 0;
  }

  /** Sends a publisher confirm (basic.ack, or basic.nack when `nacked`) one latency later. */
  private confirm(channel: BrokerChannel, onConfirmed: (nacked: boolean) => void, nacked: boolean): void {
    this.toClient(channel.connection, () => onConfirmed(nacked));
  }

  /**
   * Puts one copy of a message into `queue` (the copy is already counted in `messagesHeld`), applying the queue's
   * length limit (https://www.rabbitmq.com/docs/maxlength; RabbitMQ 3.10, conformance program 26): only READY
   * messages count; with overflow drop-head the oldest ready messages leave (dead-lettered as `maxlen`, or dropped)
   * once a consumer that can take the new one has had it; with reject-publish the new message is refused (dropped),
   * with reject-publish-dlx refused and dead-lettered. Returns false if refused; `moved` collects the queues
   * dead-lettered messages went to.
   */
  private enqueueCopy(queue: BrokerQueue, num: number, exchange: string, routingKey: string, content: unknown,
    properties: Record<string, unknown>, preview: string, moved: BrokerQueue[], ccKeys?: readonly string[]): boolean {
    const message: BrokerMessage = {
      num, exchange, routingKey, content, properties, preview, redelivered: false, seq: 0,
      expiresAtMs: Infinity,
    };
    if (ccKeys !== undefined) message.ccKeys = ccKeys;
    const max = queue.maxLength;
    const maxBytes = queue.maxLengthBytes;
    const full = (max !== undefined && queue.ready.length >= max) ||
      (maxBytes !== undefined && queue.ready.sum(bodyBytes) + bodyBytes(message) > maxBytes);
    if (full && queue.overflow !== 'drop-head') {
      if (queue.overflow === 'reject-publish-dlx') moved.push(...this.deadLetterOrDrop(message, queue, 'maxlen'));
      else {
        this.messagesHeld--;
        this.engine.record({ kind: 'dropped', msgId: `m${num}`, reason: 'maxlen', queue: queue.traceName });
      }
      return false;
    }
    message.seq = queue.takeSeq();
    message.expiresAtMs = this.expiryFor(queue, properties);
    queue.ready.push(message);
    this.engine.trace.enqueued(this.engine.nowMs, num, queue.traceKey, queue.ready.length);
    if (overLimit(queue)) {
      this.dispatch(queue); // a consumer that can take it now gets it first
      this.dropHeadOverLimit(queue, moved);
    }
    return true;
  }

  /** Drop-head: the oldest ready messages leave (dead-lettered as `maxlen`, or dropped) until `queue` is in limits. */
  private dropHeadOverLimit(queue: BrokerQueue, moved: BrokerQueue[]): void {
    while (overLimit(queue)) moved.push(...this.deadLetterOrDrop(queue.ready.shift() as BrokerMessage, queue, 'maxlen'));
  }

  /**
   * A published message that was routed to `queues` (a named exchange's routing, see exchange.ts / `routeGraph`,
   * or the default exchange with CC / BCC keys): `routed` then one copy `enqueued` in each queue, in that order,
   * then the publisher confirm; or `dropped` as unroutable when `queues` is empty (unless `replied`: it went to a
   * direct reply-to consumer, see `unroutable`).
   */
  private enqueueEverywhere(channel: BrokerChannel, queues: BrokerQueue[], path: RoutePath, num: number,
    exchange: string, routingKey: string, content: unknown, properties: Record<string, unknown>, preview: string,
    mandatory: boolean, onConfirmed: ((nacked: boolean) => void) | undefined, ccKeys?: readonly string[],
    replied = false): void {
    if (queues.length === 0) {
      this.unroutable(channel, num, exchange, routingKey, content, properties, mandatory, onConfirmed, replied);
      return;
    }
    this.recordRouted(`m${num}`, channel.connection.vhost, exchange, queues, path);
    this.messagesHeld += queues.length - 1; // one copy per queue
    const moved: BrokerQueue[] = [];
    let refused = false;
    for (const queue of queues) {
      if (!this.enqueueCopy(queue, num, exchange, routingKey, content, properties, preview, moved, ccKeys)) {
        refused = true;
      }
    }
    if (onConfirmed) this.confirm(channel, onConfirmed, refused);
    for (const queue of queues) this.dispatch(queue);
    for (const queue of moved) this.dispatch(queue);
  }

  /**
   * The queues a message published to `exchange` reaches, each once (RabbitMQ rabbit_exchange:route1): the
   * exchange's matching bindings; an exchange destination routes the message again by its own bindings; an
   * exchange that matches no binding at all hands it to its alternate exchange (https://www.rabbitmq.com/docs/ae);
   * every exchange is visited at most once, so cycles end. A missing alternate exchange routes nowhere.
   * Order: by queue name, DESCENDING — the order in which the queues get the message, so consumers on one channel
   * hear of it in that order: rabbit_exchange:route/2 returns lists:usort(QNames) and rabbit_classic_queue:deliver
   * builds its list of queue processes by prepending (qpids/1), so the casts go out in reverse. Verified against
   * RabbitMQ 3.10 by test/conformance/amqp/34-exchange-to-exchange.mjs (a fanout to queues bound in the order
   * m, a, z, b delivers z, m, b, a, every time).
   */
  private routeGraph(vhost: VirtualHost, exchange: BrokerExchange, routingKeys: readonly string[], headers: unknown,
    path?: RoutePath): BrokerQueue[] {
    const queues: BrokerQueue[] = [];
    const visited = [exchange];
    const hop = (from: BrokerExchange, to: BrokerExchange | undefined) => {
      if (to === undefined || visited.includes(to)) return;
      visited.push(to);
      path?.hops.push({ from: from.name, to: to.name });
    };
    for (let i = 0; i < visited.length; i++) {
      const x = visited[i];
      const matched = route(x, routingKeys, headers);
      if (matched.length === 0) {
        hop(x, x.alternateExchange === undefined ? undefined : vhost.exchanges.get(x.alternateExchange));
        continue;
      }
      for (const b of matched) {
        if (b.kind === 'exchange') {
          hop(x, vhost.exchanges.get(b.destination));
          continue;
        }
        const queue = vhost.queues.get(b.destination);
        if (queue !== undefined && !queue.deleted && !queues.includes(queue)) {
          queues.push(queue);
          path?.via.set(queue, x.name);
        }
      }
    }
    return queues.length > 1 ? queues.sort((a, b) => compareCodePoints(b.name, a.name)) : queues;
  }

  /**
   * The `routed` trace entry of message `num` published (or dead-lettered) to `exchange` of `vhost`; see
   * `RoutePath`.
   */
  private recordRouted(msgId: string, vhost: VirtualHost, exchange: string, queues: BrokerQueue[],
    path: RoutePath): void {
    const name = (x: string) => vhost.traceName(x);
    this.engine.record(path.hops.length === 0
      ? { kind: 'routed', msgId, exchange: name(exchange), queues: queues.map((q) => q.traceName) }
      : {
        kind: 'routed', msgId, exchange: name(exchange), queues: queues.map((q) => q.traceName),
        via: queues.map((q) => name(path.via.get(q) ?? exchange)),
        hops: path.hops.map((h) => ({ from: name(h.from), to: name(h.to) })),
      });
  }

  /**
   * No queue took the message: `dropped` (unroutable); with the mandatory flag it comes back as basic.return
   * (312 NO_ROUTE) before its confirm, recorded as `dropped` with reason `returned` (it left the broker but is
   * not lost: the publisher gets it back). AMQP 0-9-1 reference basic.publish / basic.return; RabbitMQ 3.10.
   * `replied`: it did reach a direct reply-to consumer (no queue, so still returned; not recorded as dropped).
   */
  private unroutable(channel: BrokerChannel, num: number, exchange: string, routingKey: string, content: unknown,
    properties: Record<string, unknown>, mandatory: boolean, onConfirmed: ((nacked: boolean) => void) | undefined,
    replied = false): void {
    this.messagesHeld--;
    if (!replied) this.engine.trace.dropped(this.engine.nowMs, num, mandatory ? 'returned' : 'unroutable');
    if (mandatory) {
      const returned: ReturnedMessage = {
        replyCode: 312, replyText: 'NO_ROUTE', exchange, routingKey, content, properties,
      };
      this.toClient(channel.connection, () => channel.listener.onReturn?.(returned));
    }
    if (onConfirmed) this.confirm(channel, onConfirmed, false);
  }

  /**
   * basic.ack. `multiple`: every unacked delivery up to and including `deliveryTag`; tag 0 with multiple = all.
   * An unknown tag (never delivered, already settled, or delivered with noAck) ⇒ 406 PRECONDITION_FAILED
   * "unknown delivery tag N", which closes the channel (https://www.rabbitmq.com/docs/confirms).
   */
  ack(channelId: string, deliveryTag: number, multiple: boolean): void {
    this.settle(channelId, deliveryTag, multiple, 'ack', false, METHODS.basicAck);
  }

  /**
   * basic.nack: like ack but negative. requeue ⇒ back to its original position in the queue, redelivered; else the
   * message is dropped (no dead-lettering yet). https://www.rabbitmq.com/docs/confirms#consumer-nacks-requeue
   */
  nack(channelId: string, deliveryTag: number, multiple: boolean, requeue: boolean): void {
    this.settle(channelId, deliveryTag, multiple, 'nack', requeue, METHODS.basicNack);
  }

  /** basic.reject: a single-message nack (AMQP 0-9-1 reference, basic.reject). */
  reject(channelId: string, deliveryTag: number, requeue: boolean): void {
    this.settle(channelId, deliveryTag, false, 'nack', requeue, METHODS.basicReject);
  }

  /**
   * basic.recover (requeue=true, the only form RabbitMQ supports): every unacked delivery on the channel goes back
   * to its queue, redelivered (AMQP 0-9-1 reference basic.recover; https://www.rabbitmq.com/docs/specification).
   */
  recover(channelId: string, reply: Reply<void>): void {
    let touched: BrokerQueue[] = [];
    this.rpc(channelId, reply, (channel) => {
      const held = [...channel.unacked.values()];
      for (const u of held) this.forget(channel, u);
      this.requeueAll(held);
      touched = [...new Set(held.map((u) => u.queue))];
      return undefined;
    }, () => {
      for (const q of touched) this.dispatch(q);
    });
  }

  // ───────────────────────────── inspection ─────────────────────────────

  /** Counts of queue `name` of `vhost`, or undefined if it does not exist (for views, tests and the scenario). */
  queueStats(name: string, vhost = DEFAULT_VHOST): QueueStats | undefined {
    const q = this.vhosts.get(vhost)?.queues.get(name);
    return q === undefined ? undefined : { ready: q.ready.length, unacked: q.unackedCount, consumers: q.consumers.length };
  }

  /**
   * Simulated ms at which the next ready message will expire from a queue that has a dead-letter exchange (the
   * earliest head of such a queue with a finite expiry), or undefined when none will. The expiry is a background
   * timer (it keeps no program alive), yet it moves the message on, possibly to a queue a waiting program
   * consumes: a delayed retry (https://www.rabbitmq.com/docs/dlx, https://www.rabbitmq.com/docs/ttl). For the
   * runner, which keeps a run with a waiting consumer going until then instead of ending it as quiescent.
   */
  nextDeadLetterExpiryAtMs(): number | undefined {
    let next = Infinity;
    if (!this.running) return undefined;
    for (const vhost of this.vhosts.values()) {
      for (const queue of vhost.queues.values()) {
        if (typeof queue.properties.arguments['x-dead-letter-exchange'] !== 'string') continue;
        const head = queue.ready.peek();
        if (head !== undefined && head.expiresAtMs < next) next = head.expiresAtMs;
      }
    }
    return next === Infinity ? undefined : next;
  }

  /** Ready message ids of queue `name` of `vhost` in order (tests). */
  readyIds(name: string, vhost = DEFAULT_VHOST): string[] {
    return this.vhosts.get(vhost)?.queues.get(name)?.ready.ids() ?? [];
  }

  /**
   * The queues the consumers of an open connection read from (one entry per consumer), or undefined when the
   * connection is closed or unknown. For the runner's "still waiting" notice.
   */
  consumersOfConnection(connectionId: string): string[] | undefined {
    const connection = this.connections.get(connectionId);
    if (connection === undefined || !connection.open) return undefined;
    const queues: string[] = [];
    for (const channel of connection.channels.values()) {
      if (!channel.open) continue;
      for (const consumer of channel.consumers.values()) queues.push(consumer.queue.name);
    }
    return queues;
  }

  /** Whether a channel is still open at the broker. */
  isChannelOpen(channelId: string): boolean {
    return this.channels.get(channelId)?.open === true;
  }

  // ───────────────────────────── internals ─────────────────────────────

  private toBroker(action: () => void): void {
    this.engine.schedule(this.latencyMs, action);
  }

  /** A frame to a client, arriving `latencyMs` later, batched per connection (see wire.ts). */
  private toClient(connection: BrokerConnection | undefined, action: () => void): void {
    sendToClient(this.engine, this.latencyMs, connection, action);
  }

  /**
   * Runs an RPC at the broker `latencyMs` from now and sends its reply back. A thrown AmqpServerError closes the
   * channel (or the connection) and is sent as the reply's error. Frames for a closed channel are ignored
   * (AMQP 0-9-1: after channel.close the peer discards everything but close-ok).
   */
  private rpc<T>(channelId: string, reply: Reply<T>, op: (channel: BrokerChannel) => T,
    after?: (channel: BrokerChannel) => void): void {
    this.toBroker(() => {
      const channel = this.channels.get(channelId);
      if (channel === undefined || !channel.open) return;
      let value: T;
      try {
        value = op(channel);
      } catch (error) {
        if (!(error instanceof AmqpServerError)) throw error;
        this.failChannel(channel, error, reply as Reply<unknown>);
        return;
      }
      this.toClient(channel.connection, () => reply(null, value));
      if (after) after(channel);
    });
  }

  /** Closes the channel (or its connection for a hard error) and tells the client. */
  private failChannel(channel: BrokerChannel, error: AmqpServerError, reply: Reply<unknown> | undefined): void {
    const reason: CloseReason = { code: error.code, text: error.replyText };
    if (error.closesConnection) {
      const connection = channel.connection;
      this.closeConnectionAtBroker(connection, reason);
      // A hard error answers with connection.close, not with a reply to the method (AMQP 0-9-1 §4.2.2).
      this.toClient(connection, () => connection.listener.onServerClose?.(reason));
      return;
    }
    this.closeChannelAtBroker(channel, reason);
    this.toClient(channel.connection, () => {
      if (reply) reply(error);
      channel.listener.onServerClose?.(reason, error.method);
    });
  }

  /**
   * AMQP 0-9-1's queue-name shortcut: '' in queue.purge / queue.delete / basic.consume / basic.get names the queue
   * this channel declared last (declare or passive declare; a later delete does not forget it). With none:
   * 404 "NOT_FOUND - no previously declared queue". Sources: AMQP 0-9-1 reference, queue.purge "queue" field
   * ("the client MUST NOT ... empty queue name ... unless ... previously declared a queue"); RabbitMQ
   * rabbit_channel expand_queue_name_shortcut; verified with RabbitMQ 3.10 (conformance program 21).
   */
  private expandQueueName(name: string, channel: BrokerChannel, method: AmqpMethodRef): string {
    if (name !== '') return name;
    if (channel.lastDeclaredQueue === '') throw new AmqpServerError(404, 'no previously declared queue', method);
    return channel.lastDeclaredQueue;
  }

  /** Queue `name` of the channel's vhost, or 404; 405 if it is another connection's exclusive queue. */
  private requireQueue(name: string, channel: BrokerChannel, method: AmqpMethodRef): BrokerQueue {
    const queue = channel.connection.vhost.queues.get(name);
    if (queue === undefined) throw noQueue(name, method, channel.connection.vhost.name);
    this.checkExclusiveAccess(queue, channel, method);
    return queue;
  }

  private checkExclusiveAccess(queue: BrokerQueue, channel: BrokerChannel, method: AmqpMethodRef): void {
    if (queue.owner !== null && queue.owner !== channel.connection.id) {
      throw resourceLocked(queue.name, method, queue.vhost.name);
    }
  }

  private queueInfo(queue: BrokerQueue): QueueInfo {
    if (queue.mayExpire) this.expireAndDispatch(queue);
    return { queue: queue.name, messageCount: queue.ready.length, consumerCount: queue.consumers.length };
  }

  /**
   * Delivers ready messages while some consumer has capacity (round-robin). In a queue with TTLs, a head that
   * expired before now is expired instead of delivered; one that expires at this very instant can still go to a
   * consumer (RabbitMQ: a TTL of 0 delivers to a waiting consumer, https://www.rabbitmq.com/docs/ttl).
   */
  private dispatch(queue: BrokerQueue): void {
    if (queue.deleted) return;
    queue.resumeConsumers();
    let moved: BrokerQueue[] | undefined;
    while (queue.ready.length > 0) {
      if (queue.mayExpire) {
        const to = this.expireHead(queue, false);
        if (to.length > 0) (moved ??= []).push(...to);
        if (queue.ready.length === 0) break;
      }
      const consumer = queue.nextConsumerWithCapacity();
      if (consumer === undefined) break;
      const message = queue.ready.shift() as BrokerMessage;
      const delivery = this.deliver(consumer.channel, queue, message, consumer, consumer.noAck);
      sendCallToClient(this.engine, this.latencyMs, consumer.channel.connection, callOnDeliver,
        consumer.channel.listener, delivery);
    }
    if (queue.mayExpire) this.ensureTtlTimer(queue);
    if (moved !== undefined) for (const q of moved) if (q !== queue) this.dispatch(q);
  }

  /**
   * When a message entering `queue` expires: the earlier of the queue's `x-message-ttl` and the message's
   * `expiration` from now, or Infinity (https://www.rabbitmq.com/docs/ttl).
   */
  private expiryFor(queue: BrokerQueue, properties: Record<string, unknown>): number {
    let at = Infinity;
    if (queue.messageTtlMs !== undefined) at = this.engine.nowMs + queue.messageTtlMs;
    const expiration = properties.expiration;
    if (typeof expiration === 'string') {
      const ms = Number(expiration); // validated when it was published (ttl.ts)
      if (Number.isFinite(ms)) at = Math.min(at, this.engine.nowMs + Math.max(0, ms));
    }
    if (at !== Infinity) queue.mayExpire = true;
    return at;
  }

  /**
   * Removes expired messages from the HEAD of `queue` (RabbitMQ expires only at the head: a message with a short
   * per-message TTL behind a longer one waits for it, https://www.rabbitmq.com/docs/ttl#per-message-ttl-caveats;
   * in a priority queue the head is that of the highest non-empty priority, see priority-ready-list.ts),
   * dead-lettering them with reason `expired` or dropping them. `inclusive`: a message due exactly now expires too.
   * Returns the queues dead-lettered messages went to.
   */
  private expireHead(queue: BrokerQueue, inclusive: boolean): BrokerQueue[] {
    const nowMs = this.engine.nowMs;
    let moved: BrokerQueue[] = [];
    for (let head = queue.ready.peek(); head !== undefined; head = queue.ready.peek()) {
      if (!(head.expiresAtMs < nowMs || (inclusive && head.expiresAtMs === nowMs))) break;
      queue.ready.shift();
      moved = moved.concat(this.deadLetterOrDrop(head, queue, 'expired'));
    }
    return moved;
  }

  /** Expires what is due in `queue` now and hands dead-lettered messages to their new queues' consumers. */
  private expireAndDispatch(queue: BrokerQueue): void {
    for (const q of this.expireHead(queue, true)) if (q !== queue) this.dispatch(q);
    this.ensureTtlTimer(queue);
  }

  /** Makes sure an engine event runs when the head of `queue` expires (one pending timer per queue at most). */
  private ensureTtlTimer(queue: BrokerQueue): void {
    const head = queue.ready.peek();
    if (head === undefined || head.expiresAtMs === Infinity || head.expiresAtMs >= queue.ttlTimerAtMs) return;
    queue.ttlTimerAtMs = head.expiresAtMs;
    this.engine.scheduleCall(Math.max(0, head.expiresAtMs - this.engine.nowMs), this.ttlTimerFired, queue, true);
  }

  /**
   * The head of a queue reached its expiry time (see `ensureTtlTimer`). A stopped broker expires nothing; `start`
   * expires what came due meanwhile.
   */
  private readonly ttlTimerFired = (queue: BrokerQueue): void => {
    if (queue.ttlTimerAtMs <= this.engine.nowMs) queue.ttlTimerAtMs = Infinity;
    if (queue.deleted || !this.running) return;
    this.expireAndDispatch(queue);
  };

  /** Assigns a delivery tag, records `delivered` and tracks the message as unacked unless noAck. */
  private deliver(channel: BrokerChannel, queue: BrokerQueue, message: BrokerMessage, consumer: Consumer | null,
    noAck: boolean): Delivery {
    const deliveryTag = channel.nextDeliveryTag++;
    const nowMs = this.engine.nowMs;
    const trace = this.engine.trace;
    trace.delivered(nowMs, message.num, queue.traceKey, channel.traceKey, consumer === null ? -1 : consumer.tagKey,
      deliveryTag, message.redelivered, nowMs + this.latencyMs);
    if (noAck) {
      // The broker forgets a noAck delivery the moment it sends it (https://www.rabbitmq.com/docs/confirms).
      this.messagesHeld--;
      trace.dropped(nowMs, message.num, 'acked-on-delivery');
    } else {
      let u = this.spareUnacked.pop();
      if (u === undefined) u = { message, queue, consumer, deliveryTag };
      else {
        u.message = message;
        u.queue = queue;
        u.consumer = consumer;
        u.deliveryTag = deliveryTag;
      }
      channel.unacked.set(deliveryTag, u);
      queue.unackedCount++;
      if (consumer !== null) {
        consumer.unacked++;
        channel.consumerUnacked++;
      }
    }
    return {
      msgNum: message.num, consumerTag: consumer === null ? null : consumer.tag, deliveryTag,
      redelivered: message.redelivered, exchange: message.exchange, routingKey: message.routingKey,
      content: message.content,
      properties: queue.type === 'quorum'
        ? withDeliveryCount(message.properties, message.deliveryCount ?? 0, consumer === null) : message.properties,
    };
  }

  private settle(channelId: string, deliveryTag: number, multiple: boolean, kind: 'ack' | 'nack', requeue: boolean,
    method: AmqpMethodRef): void {
    let pending = this.spareSettles.pop();
    if (pending === undefined) {
      pending = { channelId, deliveryTag, multiple, kind, requeue, method, sentAtMs: this.engine.nowMs };
    } else {
      pending.channelId = channelId;
      pending.deliveryTag = deliveryTag;
      pending.multiple = multiple;
      pending.kind = kind;
      pending.requeue = requeue;
      pending.method = method;
      pending.sentAtMs = this.engine.nowMs;
    }
    this.engine.scheduleCall(this.latencyMs, this.settleArrived, pending);
  }

  /** A basic.ack / nack / reject frame reaches the broker (see `settle`); one shared function, no closure each. */
  private readonly settleArrived = (p: PendingSettle): void => {
    const { channelId, deliveryTag, multiple, kind, requeue, method, sentAtMs } = p;
    if (this.spareSettles.length < SPARE_RECORDS_MAX) this.spareSettles.push(p);
    const channel = this.channels.get(channelId);
    if (channel === undefined || !channel.open) return;
    if (!multiple && kind === 'ack') {
      // The common case (one basic.ack), without the bookkeeping of the general path; same effects and trace.
      const u = channel.unacked.get(deliveryTag);
      if (u === undefined) {
        this.failChannel(channel, unknownDeliveryTag(deliveryTag, method), undefined);
        return;
      }
      this.forget(channel, u);
      const queue = u.queue;
      this.engine.trace.settled(this.engine.nowMs, u.message.num, queue.traceKey, channel.traceKey, deliveryTag,
        sentAtMs, false, false);
      this.messagesHeld--;
      // Nothing refers to `u` any more (it left the channel's map): keep it for the next delivery.
      if (this.spareUnacked.length < SPARE_RECORDS_MAX) {
        u.message = NO_MESSAGE;
        u.consumer = null;
        this.spareUnacked.push(u);
      }
      this.dispatch(queue);
      if (channel.globalPrefetch > 0) for (const c of channel.consumers.values()) this.dispatch(c.queue);
      return;
    }
    const settled = collectUnacked(channel, deliveryTag, multiple);
    if (settled === undefined) {
      this.failChannel(channel, unknownDeliveryTag(deliveryTag, method), undefined);
      return;
    }
    const touched = new Set<BrokerQueue>();
    const toRequeue: Unacked[] = [];
    for (const u of settled) {
      this.forget(channel, u);
      touched.add(u.queue);
      this.engine.trace.settled(this.engine.nowMs, u.message.num, u.queue.traceKey, channel.traceKey, u.deliveryTag,
        sentAtMs, kind === 'nack', requeue);
      if (kind === 'ack') {
        this.messagesHeld--;
      } else {
        if (requeue) toRequeue.push(u);
        else for (const q of this.deadLetterOrDrop(u.message, u.queue, 'rejected')) touched.add(q);
      }
    }
    this.requeueAll(toRequeue);
    for (const q of touched) this.dispatch(q);
    if (channel.globalPrefetch > 0) for (const c of channel.consumers.values()) this.dispatch(c.queue);
  };

  /**
   * A message leaves `queue` for `reason` without being requeued: dropped, or — when the queue has a dead-letter
   * exchange — republished there with `x-death` headers (dead-letter.ts). Records `dead-lettered` and then
   * `routed` / `enqueued` (or `dropped` if nothing takes it). Returns the queues it went to (to dispatch).
   */
  private deadLetterOrDrop(message: BrokerMessage, queue: BrokerQueue, reason: DeathReason): BrokerQueue[] {
    this.messagesHeld--;
    const nowMs = this.engine.nowMs;
    const msgId = `m${message.num}`;
    // A deleted queue dead-letters nothing: an unacked message of it that is rejected later is just gone.
    const target = queue.deleted ? null : deadLetterTarget(queue.properties.arguments, message);
    if (target === null) {
      // A rejected message's `nacked` entry already says it is gone; an expired one needs its own entry.
      if (reason !== 'rejected') this.engine.record({ kind: 'dropped', msgId, reason, queue: queue.traceName });
      return [];
    }
    this.engine.record({
      kind: 'dead-lettered', msgId, queue: queue.traceName, exchange: queue.vhost.traceName(target.exchange),
      routingKey: target.routingKey, reason,
    });
    // The copy's properties (with its x-death) are also what a headers exchange routes on.
    const properties = deadLetterProperties(message, queue.name, reason, nowMs, target.ccKeys === undefined);
    let names: string[] = [];
    const path: RoutePath = { via: new Map(), hops: [] };
    if (target.exchange === DEFAULT_EXCHANGE) {
      names = [...new Set(target.routingKeys)].sort((a, b) => compareCodePoints(b, a));
    } else {
      const exchange = queue.vhost.exchanges.get(target.exchange);
      if (exchange !== undefined) {
        names = this.routeGraph(queue.vhost, exchange, target.routingKeys, properties.headers, path).map((q) => q.name);
      }
    }
    const queues: BrokerQueue[] = [];
    for (const name of names) {
      const q = queue.vhost.queues.get(name);
      if (q !== undefined && !q.deleted && !deadLetterCycle(message, queue.name, name, reason)) queues.push(q);
    }
    if (queues.length === 0) {
      this.engine.trace.dropped(nowMs, message.num, 'unroutable');
      return [];
    }
    if (target.exchange !== DEFAULT_EXCHANGE) this.recordRouted(msgId, queue.vhost, target.exchange, queues, path);
    const moved: BrokerQueue[] = [...queues];
    for (const q of queues) {
      this.messagesHeld++;
      this.enqueueCopy(q, message.num, target.exchange, target.routingKey, message.content, properties,
        message.preview, moved, target.ccKeys);
    }
    return moved;
  }

  /** Removes an unacked entry from its channel and counters. */
  private forget(channel: BrokerChannel, u: Unacked): void {
    channel.unacked.delete(u.deliveryTag);
    u.queue.unackedCount--;
    if (u.consumer !== null) {
      u.consumer.unacked--;
      channel.consumerUnacked--;
    }
  }

  /**
   * Puts messages back at their original positions, marked redelivered (dropped if their queue is gone). Recorded
   * newest first, so a view that puts each `requeued` message at the head of its queue ends with the right order.
   * Many messages into one queue are merged in one pass (a crashed consumer with a large prefetch).
   */
  private requeueAll(list: readonly Unacked[]): void {
    if (list.length === 0) return;
    const byQueue = new Map<BrokerQueue, BrokerMessage[]>();
    const moved: BrokerQueue[] = [];
    for (const u of list) {
      u.message.redelivered = true;
      if (u.queue.deleted) {
        this.messagesHeld--;
        this.engine.trace.dropped(this.engine.nowMs, u.message.num, 'queue-deleted');
        continue;
      }
      if (u.queue.type === 'quorum' && !this.returnToQuorumQueue(u.queue, u.message, moved)) continue;
      const messages = byQueue.get(u.queue);
      if (messages) messages.push(u.message);
      else byQueue.set(u.queue, [u.message]);
    }
    for (const [queue, messages] of byQueue) {
      messages.sort((a, b) => a.seq - b.seq);
      const depthBefore = queue.ready.length;
      queue.ready.insertManyBySeq(messages);
      for (let i = messages.length - 1, n = 1; i >= 0; i--, n++) {
        this.engine.trace.enqueued(this.engine.nowMs, messages[i].num, queue.traceKey, depthBefore + n, true);
      }
      // Back over a drop-head length limit: the head goes at once, before any consumer gets it (RabbitMQ 3.10).
      if (queue.overflow === 'drop-head') this.dropHeadOverLimit(queue, moved);
    }
    for (const q of moved) this.dispatch(q);
  }

  /**
   * A message comes back to quorum queue `queue` (https://www.rabbitmq.com/docs/quorum-queues#poison-message-handling):
   * its delivery count goes up; past the queue's `x-delivery-limit` it is dead-lettered (reason `delivery_limit`,
   * or dropped without a dead-letter exchange; `moved` collects where it went) and false is returned; else it gets a
   * return position (see `BrokerQueue.takeReturnSeq`) and true is returned.
   * Verified against RabbitMQ 3.10 by test/conformance/amqp/43-quorum-queues.mjs.
   */
  private returnToQuorumQueue(queue: BrokerQueue, message: BrokerMessage, moved: BrokerQueue[]): boolean {
    const count = (message.deliveryCount ?? 0) + 1;
    if (queue.deliveryLimit !== undefined && count > queue.deliveryLimit) {
      moved.push(...this.deadLetterOrDrop(message, queue, 'delivery_limit'));
      return false;
    }
    message.deliveryCount = count;
    message.seq = queue.takeReturnSeq();
    return true;
  }

  private removeConsumer(consumer: Consumer, reason: 'cancelled' | 'channel-closed' | 'queue-deleted'): void {
    const queue = consumer.queue;
    queue.removeConsumer(consumer);
    consumer.channel.consumers.delete(consumer.tag);
    this.engine.record({
      kind: 'consumer-cancelled', queue: queue.traceName, consumerTag: consumer.tag, channel: consumer.channel.id, reason,
    });
    if (reason !== 'queue-deleted' && queue.properties.autoDelete && queue.consumers.length === 0 && !queue.deleted) {
      this.deleteQueueAtBroker(queue, consumer.channel);
    } else if (queue.consumers.length === 0) {
      this.touchQueue(queue);
    }
  }

  /**
   * Queue TTL (`x-expires`, https://www.rabbitmq.com/docs/ttl#queue-ttl): a queue unused for `expiresMs` is
   * deleted with its messages. Using it — declaring it (also passively), basic.get, its last consumer leaving —
   * starts the wait again; while it has consumers it never expires; publishing to it does not count as use.
   * Verified against RabbitMQ 3.10 by test/conformance/amqp/36-queue-expiry.mjs. The check is a background engine
   * event: it keeps no program alive.
   */
  private touchQueue(queue: BrokerQueue): void {
    if (queue.expiresMs === undefined) return;
    queue.lastUsedAtMs = this.engine.nowMs;
    this.scheduleExpiryCheck(queue);
  }

  private scheduleExpiryCheck(queue: BrokerQueue): void {
    const atMs = queue.lastUsedAtMs + (queue.expiresMs as number);
    if (atMs >= queue.expiryCheckAtMs) return;
    queue.expiryCheckAtMs = atMs;
    this.engine.scheduleCall(atMs - this.engine.nowMs, this.expiryCheckFired, queue, true);
  }

  /**
   * A queue's expiry check came due: delete it if it stayed unused, else wait for the new deadline. A stopped
   * broker checks nothing (`start` starts the wait again).
   */
  private readonly expiryCheckFired = (queue: BrokerQueue): void => {
    if (queue.expiryCheckAtMs <= this.engine.nowMs) queue.expiryCheckAtMs = Infinity;
    if (queue.deleted || queue.consumers.length > 0 || !this.running) return;
    if (this.engine.nowMs - queue.lastUsedAtMs >= (queue.expiresMs as number)) this.deleteQueueAtBroker(queue, null);
    else this.scheduleExpiryCheck(queue);
  };

  /**
   * Closes a channel at the broker: consumers cancelled first, then unacked messages requeued (each to its original
   * position) and handed to the remaining consumers.
   */
  private closeChannelAtBroker(channel: BrokerChannel, reason: CloseReason | undefined): void {
    channel.open = false;
    for (const consumer of [...channel.consumers.values()]) this.removeConsumer(consumer, 'channel-closed');
    this.replies.end(channel, 'channel-closed');
    const touched = new Set<BrokerQueue>();
    const held = [...channel.unacked.values()];
    for (const u of held) {
      this.forget(channel, u);
      touched.add(u.queue);
    }
    this.requeueAll(held);
    this.engine.record(reason === undefined
      ? { kind: 'channel-closed', channel: channel.id }
      : { kind: 'channel-closed', channel: channel.id, reason });
    for (const q of touched) this.dispatch(q);
  }

  private closeConnectionAtBroker(connection: BrokerConnection, reason: CloseReason | undefined): void {
    connection.open = false;
    for (const channel of connection.channels.values()) {
      if (channel.open) this.closeChannelAtBroker(channel, undefined);
    }
    for (const queue of [...connection.vhost.queues.values()]) {
      if (queue.owner === connection.id) this.deleteQueueAtBroker(queue, null);
    }
    this.engine.record(reason === undefined
      ? { kind: 'connection-closed', connection: connection.id }
      : { kind: 'connection-closed', connection: connection.id, reason });
  }

  /** Deletes a queue; consumers on other channels than `closing` get basic.cancel. Returns its ready count. */
  private deleteQueueAtBroker(queue: BrokerQueue, closing: BrokerChannel | null): number {
    queue.deleted = true;
    queue.vhost.queues.delete(queue.name);
    for (const consumer of [...queue.consumers]) {
      this.removeConsumer(consumer, 'queue-deleted');
      const channel = consumer.channel;
      if (channel !== closing && channel.open) {
        this.toClient(channel.connection, () => channel.listener.onConsumerCancelled?.(consumer.tag));
      }
    }
    const messageCount = queue.ready.clear();
    this.messagesHeld -= messageCount;
    this.engine.record({ kind: 'queue-deleted', queue: queue.traceName, messageCount });
    this.removeBindingsTo(queue.vhost, queue.name, 'queue'); // its bindings go with it
    return messageCount;
  }
}

/** Whether `queue` holds more ready messages (or body bytes) than its length limits allow. */
function overLimit(queue: BrokerQueue): boolean {
  return (queue.maxLength !== undefined && queue.ready.length > queue.maxLength) ||
    (queue.maxLengthBytes !== undefined && queue.ready.sum(bodyBytes) > queue.maxLengthBytes);
}

/** Body size in bytes for `x-max-length-bytes` (a Buffer from the amqplib facade, a string in the scenario). */
function bodyBytes(message: BrokerMessage): number {
  const content = message.content as { length?: unknown } | string | null | undefined;
  if (typeof content === 'string') return content.length;
  return typeof content?.length === 'number' ? content.length : 0;
}

/** 403 for what cannot be done to the default exchange (declare, delete, bind, unbind; RabbitMQ 3.10). */
function defaultExchangeRefused(method: AmqpMethodRef): AmqpServerError {
  return new AmqpServerError(403, 'operation not permitted on the default exchange', method);
}

/** Default time a `restart` keeps the broker down, in simulated ms. */
const RESTART_DOWN_MS_DEFAULT = 3_000;

/** Most spare records of each kind a broker keeps for reuse. */
const SPARE_RECORDS_MAX = 1024;

/** Flags of a publish that passes none (shared, so the hot path allocates no default object). */
const NO_FLAGS: PublishFlags = Object.freeze({});

/** Placeholder properties of a spare publish record (never read). */
const NO_PROPERTIES: Record<string, unknown> = Object.freeze({});

/** Placeholder message of a spare unacked record (never read). */
const NO_MESSAGE: BrokerMessage = Object.freeze({
  num: 0, exchange: '', routingKey: '', content: undefined, properties: NO_PROPERTIES, preview: '',
  redelivered: false, seq: 0, expiresAtMs: Infinity,
}) as BrokerMessage;

/** A basic.publish on its way to the broker (`AmqpBroker.publish` → `publishArrived`). */
interface PendingPublish {
  /** N of the message id `mN` (the trace stores the number). */
  num: number;
  channelId: string;
  exchange: string;
  routingKey: string;
  content: unknown;
  properties: Record<string, unknown>;
  preview: string;
  mandatory: boolean;
  onConfirmed: ((nacked: boolean) => void) | undefined;
}

/** A basic.ack / nack / reject on its way to the broker (`settle` → `settleArrived`). */
interface PendingSettle {
  channelId: string;
  deliveryTag: number;
  multiple: boolean;
  kind: 'ack' | 'nack';
  requeue: boolean;
  method: AmqpMethodRef;
  /** When the client sent it (simulated ms), recorded as `sentAtMs`. */
  sentAtMs: number;
}

/** A basic.deliver frame arriving at the client: `this` is the channel's listener. */
function callOnDeliver(this: ChannelListener, delivery: Delivery): void {
  this.onDeliver?.(delivery);
}

/**
 * How a message crossed the exchange graph, for its `routed` trace entry: the exchange whose binding delivered each
 * queue, and the exchange → exchange hops (bindings to exchanges and alternate exchanges) in the order taken.
 */
interface RoutePath {
  via: Map<BrokerQueue, string>;
  hops: Array<{ from: string; to: string }>;
}

/**
 * Compares two names by Unicode code point (= the byte order of their UTF-8 encodings, how Erlang compares
 * binaries); JavaScript's `<` compares UTF-16 code units, which differs for characters beyond U+FFFF.
 */
function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
