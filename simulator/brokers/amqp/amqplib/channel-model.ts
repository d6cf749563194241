import type { AmqpBroker } from '../model/broker.ts';
import type { CloseReason } from '../../../trace.ts';
import { Channel, ConfirmChannel, type ChannelHost } from './channel.ts';
import { closeMessage, IllegalOperationError, type ServerCloseError } from './errors.ts';
import { EventEmitter } from './events.ts';

/** Key of the hidden crash hook (not part of amqplib's API, so learners do not see it). */
const CRASH = Symbol('mqlab.crash');

/**
 * Simulates the death of the process that owns `model` (for lessons about consumer crashes): from now on its
 * program sees nothing more on this connection (no events, no replies, no deliveries), and the broker notices the
 * dropped TCP connection one latency later and requeues its unacked messages (AmqpBroker.dropConnection).
 */
export function crashConnection(model: ChannelModel): void {
  model[CRASH]();
}

/** Key of the hidden state probe (see `connectionState`). */
const STATE = Symbol('mqlab.state');

/**
 * Where `model` stands: 'opening' until connection.open-ok, 'open', 'closing' once the program called `close()`,
 * 'closed'. For the runner (is the process still holding a socket?), not part of amqplib's API.
 */
export function connectionState(model: ChannelModel): 'opening' | 'open' | 'closing' | 'closed' {
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
  readonly channels: Array<{ channel: Channel | { accept: string } } | null> = [{ channel: { accept: 'control' } }];
}

/**
 * amqplib 0.10's ChannelModel (the promise-API connection, node_modules/amqplib/lib/channel_model.js) over the
 * broker model. Emits 'error' and 'close'. After it closed, its methods fail with IllegalOperationError
 * "Connection closed (by client)" or "Connection closed (Error: …)" as in amqplib.
 *
 * Frame handling (lib/connection.js `acceptLoop`): everything the broker sends this connection runs through
 * `#frame`, which catches what a frame handler throws — a channel 'error' nobody listens to, an exception from a
 * consume callback's `null` (cancel) call, an RPC that cannot be encoded when its turn comes — and treats it like
 * amqplib's 'frameError' → `onSocketError`: the connection emits 'error' (with no listener that throw ends the
 * program, like Node's unhandled 'error' event), then every channel closes ('close', pending RPCs rejected with
 * "Channel ended, no reply will be forthcoming"), then the connection emits 'close' with the error and is dead
 * (the socket is ended; the broker sees the connection go). A server connection.close (e.g. 530) emits 'error'
 * (unless 320/200), then the same closing.
 *
 * Own enumerable properties are amqplib's public ones (`connection`); internals are private (#) fields.
 */
export class ChannelModel extends EventEmitter {
  /** Stand-in for amqplib's low-level Connection (read-only information). */
  readonly connection: Connection;
  readonly #broker: AmqpBroker;
  readonly #id: string;
  #state: 'opening' | 'open' | 'closing' | 'closed' = 'opening';
  #closedInfo = 'Connection closed (by client)';
  /** amqplib's `expectSocketClose`: once set, frame errors are ignored. */
  #socketClosed = false;
  readonly #channels = new Set<Channel>();
  readonly #host: ChannelHost;

  /**
   * @internal created by `connect`; `onOpenFailed` gets what the broker said when the connection did not open
   * (null: refused, the broker is stopped; else the connection.close it sent, e.g. 530 for an unknown vhost).
   */
  constructor(broker: AmqpBroker, label: string, onOpen: (model: ChannelModel) => void, user = 'guest', vhost = '/',
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

  /** Opens a channel (one round trip). */
  createChannel(): Promise<Channel> {
    return this.#open((onOpen) => new Channel(this.#host, this.#id, onOpen));
  }

  /** Opens a channel in confirm mode (two round trips: channel.open, confirm.select). */
  createConfirmChannel(): Promise<ConfirmChannel> {
    return this.#open((onOpen) => new ConfirmChannel(this.#host, this.#id, (ch) => {
      // confirm.select / select-ok: one more round trip.
      this.#broker.engine.schedule(2 * this.#broker.latencyMs, () => this.#frame(onOpen, ch as ConfirmChannel));
    }));
  }

  /** connection.close: closes every channel ('close' on each), then emits 'close' and resolves. */
  close(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      try {
        this.#checkSend();
      } catch (error) {
        reject(error);
        return;
      }
      this.#state = 'closing';
      this.#broker.closeConnection(this.#id, () => this.#frame(() => {
        resolve();
        this.#toClosed(undefined);
      }, undefined));
    });
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

  #open<C extends Channel>(make: (onOpen: (ch: C) => void) => C): Promise<C> {
    return new Promise<C>((resolve, reject) => {
      try {
        this.#checkSend();
      } catch (error) {
        reject(error);
        return;
      }
      const channel = make((ch) => {
        if (this.#state === 'open') resolve(ch);
      });
      this.#channels.add(channel);
    });
  }

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
