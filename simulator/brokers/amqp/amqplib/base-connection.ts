import type { AmqpBroker } from '../model/broker.ts';
import type { CloseReason } from '../../../trace.ts';
import type { BaseChannel, ChannelHost } from './base-channel.ts';
import { closeMessage, IllegalOperationError, type ServerCloseError } from './errors.ts';
import { EventEmitter } from './events.ts';

/** Key of the hidden crash hook (not part of amqplib's API, so learners do not see it). */
const CRASH = Symbol('mqlab.crash');

/**
 * Simulates the death of the process that owns `model` (for lessons about consumer crashes): from now on its
 * program sees nothing more on this connection (no events, no replies, no deliveries), and the broker notices the
 * dropped TCP connection one latency later and requeues its unacked messages (AmqpBroker.dropConnection).
 */
export function crashConnection(model: BaseConnection): void {
  model[CRASH]();
}

/** Key of the hidden state probe (see `connectionState`). */
const STATE = Symbol('mqlab.state');

/**
 * Where `model` stands: 'opening' until connection.open-ok, 'open', 'closing' once the program called `close()`,
 * 'closed' (also when it never opened). For the runner (is the process still holding a socket?), not part of
 * amqplib's API.
 */
export function connectionState(model: BaseConnection): 'opening' | 'open' | 'closing' | 'closed' {
  return model[STATE]();
}

/**
 * What `conn.connection` shows: a small read-only stand-in for amqplib's low-level Connection (lib/connection.js),
 * with the negotiated values amqplib 0.10.9 + RabbitMQ 3.10 gave (channelMax 2047, frameMax 131072, heartbeat 60)
 * and `channels` indexed by channel number (0: the control channel, closed channels null) like amqplib's, so
 * `JSON.stringify(conn)` fails with "Converting circular structure to JSON" as it does for real.
 */
export class Connection {
  readonly serverProperties = { product: 'RabbitMQ (MQ Lab simulator)', version: '3.10.8', platform: 'simulated' };
  readonly channelMax = 2047;
  readonly frameMax = 131072;
  readonly heartbeat = 60;
  readonly channels: Array<{ channel: BaseChannel | { accept: string } } | null> = [{ channel: { accept: 'control' } }];
}

/** Makes a channel of some API flavour (see `BaseConnection.openChannelWith`). */
export type ChannelMaker<C extends BaseChannel> =
  (host: ChannelHost, connectionId: string, number: number, onOpen: (channel: BaseChannel) => void) => C;

/**
 * The connection machinery amqplib 0.10's two connection objects share (the promise API's ChannelModel,
 * node_modules/amqplib/lib/channel_model.js, and the callback API's CallbackModel, lib/callback_model.js, both
 * over lib/connection.js), on the broker model; channel-model.ts and callback-model.ts add their methods. Emits
 * 'error' and 'close'. After it closed, its methods fail with IllegalOperationError "Connection closed (by
 * client)" or "Connection closed (Error: …)" as in amqplib.
 *
 * Frame handling (lib/connection.js `acceptLoop`): everything the broker sends this connection runs through
 * `#frame`, which catches what a frame handler throws — a channel 'error' nobody listens to, an exception from a
 * consume callback's `null` (cancel) call or from a callback-API callback, an RPC that cannot be encoded when its
 * turn comes — and treats it like amqplib's 'frameError' → `onSocketError`: the connection emits 'error' (with no
 * listener that throw ends the program, like Node's unhandled 'error' event), then every channel closes ('close',
 * pending RPCs failed with "Channel ended, no reply will be forthcoming"), then the connection emits 'close' with
 * the error and is dead (the socket is ended; the broker sees the connection go). A server connection.close (e.g.
 * 530, or 320 when the broker stops) emits 'error' (unless 320/200, which amqplib does not count as fatal), then
 * the same closing.
 *
 * Channel numbers are amqplib's: the lowest one not in use on the connection (a closed channel's number is used
 * again, lib/connection.js freshChannel).
 *
 * Own enumerable properties are amqplib's public ones (`connection`); internals are private (#) fields.
 */
export class BaseConnection extends EventEmitter {
  /** Stand-in for amqplib's low-level Connection (read-only information). */
  readonly connection: Connection;
  readonly #broker: AmqpBroker;
  readonly #id: string;
  #state: 'opening' | 'open' | 'closing' | 'closed' = 'opening';
  #closedInfo = 'Connection closed (by client)';
  /** amqplib's `expectSocketClose`: once set, frame errors are ignored. */
  #socketClosed = false;
  readonly #channels = new Set<BaseChannel>();
  readonly #host: ChannelHost;

  /**
   * @internal created by `connect`; `onOpen` runs once connection.open-ok arrived, `onOpenFailed` with what the
   * broker said when the connection did not open (null: refused, the broker is stopped; else the connection.close
   * it sent, e.g. 530 for an unknown vhost).
   */
  constructor(broker: AmqpBroker, label: string, onOpen: (model: BaseConnection) => void, user = 'guest', vhost = '/',
    onOpenFailed?: (reason: CloseReason | null) => void) {
    super();
    this.#broker = broker;
    this.connection = new Connection();
    const connection = this.connection;
    this.#host = {
      broker,
      connection,
      checkSend: () => this.#checkSend(),
      acceptsFrames: () => this.#state === 'open',
      frame: (handle, arg) => this.#frame(handle, arg),
      errorListened: () => this.listenerCount('error') > 0,
      adopt: (channel) => {
        connection.channels[channel.ch] = { channel };
      },
      forget: (channel) => {
        this.#channels.delete(channel);
        if (connection.channels[channel.ch]?.channel === channel) connection.channels[channel.ch] = null;
      },
    };
    this.#id = broker.connect(label, {
      onServerClose: (reason) => this.#frame((r: CloseReason) => this.#handleServerClose(r), reason),
      onOpenFailed: (reason) => {
        this.#state = 'closed';
        this.#socketClosed = true;
        onOpenFailed?.(reason);
      },
    }, () => {
      if (this.#state === 'opening') this.#state = 'open';
      onOpen(this);
    }, user, vhost);
  }

  /** Broker connection id (`c1`), as in the trace (not an amqplib property; not enumerable). */
  get id(): string {
    return this.#id;
  }

  /** @internal see `connectionState`. */
  [STATE](): 'opening' | 'open' | 'closing' | 'closed' {
    return this.#state;
  }

  /** @internal see `crashConnection`. */
  [CRASH](): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#socketClosed = true;
    this.#closedInfo = 'Connection closed (Error: read ECONNRESET)';
    this.#broker.dropConnection(this.#id);
  }

  // ───────────── for the APIs ─────────────

  /**
   * Opens a channel made by `make` (channel.open, one round trip): throws IllegalOperationError when the connection
   * is closing or closed (amqplib's invalidated sendMethod), else returns it at once; `onOpen` runs once it is open
   * (and the connection still is).
   */
  protected openChannelWith<C extends BaseChannel>(make: ChannelMaker<C>, onOpen: (channel: C) => void): C {
    this.#checkSend();
    const channels = this.connection.channels;
    let number = 1;
    while (channels[number] !== undefined && channels[number] !== null) number++;
    const channel = make(this.#host, this.#id, number, (ch) => {
      if (this.#state === 'open') onOpen(ch as C);
    });
    this.#channels.add(channel);
    return channel;
  }

  /** Runs `action` one round trip from now as a frame of this connection (confirm.select / select-ok). */
  protected afterRoundTrip(action: () => void): void {
    this.#broker.engine.schedule(2 * this.#broker.latencyMs, () => this.#frame(action, undefined));
  }

  /**
   * connection.close (lib/connection.js close, "Cheers, thanks"): throws IllegalOperationError when closing or
   * closed; once the server confirmed, `onClosed` runs, then every channel closes and the connection emits 'close'.
   */
  protected closeConnection(onClosed: () => void): void {
    this.#checkSend();
    this.#state = 'closing';
    this.#broker.closeConnection(this.#id, () => this.#frame(() => {
      onClosed();
      this.#toClosed(undefined);
    }, undefined));
  }

  /** Whether the connection is closed, and the IllegalOperationError amqplib gives for using it then. */
  protected closedError(): IllegalOperationError | null {
    return this.#state === 'closed' ? new IllegalOperationError(this.#closedInfo, this.#closedInfo) : null;
  }

  // ───────────── internals ─────────────

  #checkSend(): void {
    if (this.#state === 'closed') throw new IllegalOperationError(this.#closedInfo, this.#closedInfo);
    if (this.#state === 'closing') throw new IllegalOperationError('Connection closing', 'closeBecause called: Cheers, thanks');
  }

  /**
   * Runs the handling of one incoming frame like amqplib's accept loop: frames after the connection closed are
   * dropped; an exception becomes a connection error (`#socketError`). Rethrows only when that error itself is
   * unhandled (no 'error' listener): the program then dies, as Node does on an unhandled 'error' event.
   */
  #frame<A>(handle: (arg: A) => void, arg: A): void {
    if (this.#state === 'closed') return;
    try {
      handle(arg);
    } catch (error) {
      this.#socketError(error);
    }
  }

  /** lib/connection.js onSocketError: 'error', then every channel and the connection close; the socket ends. */
  #socketError(error: unknown): void {
    if (this.#socketClosed) return;
    this.#socketClosed = true;
    this.emit('error', error);
    if (this.#state !== 'closed') this.#broker.closeConnection(this.#id);
    this.#toClosed(error instanceof Error ? error : new Error(String(error)));
  }

  /** connection.close from the server (lib/connection.js channel0): 'error' (unless 320/200), then closing. */
  #handleServerClose(reason: CloseReason): void {
    if (this.#state === 'closed' || this.#state === 'closing') return;
    const error = new Error(`Connection closed: ${closeMessage(reason)}`) as ServerCloseError;
    error.code = reason.code;
    if (reason.code !== 320 && reason.code !== 200) this.emit('error', error);
    this.#toClosed(error);
  }

  #toClosed(error: Error | undefined): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#socketClosed = true;
    this.#closedInfo = `Connection closed (${error ? error.toString() : 'by client'})`;
    for (const channel of [...this.#channels]) channel.toClosed();
    this.emit('close', error);
  }
}
