import type { AmqpBroker } from '../../amqp/broker.ts';
import type { CloseReason } from '../../trace.ts';
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

/**
 * amqplib 0.10's ChannelModel (the promise-API connection, node_modules/amqplib/lib/channel_model.js) over the
 * broker model. Emits 'error' (a server connection error such as 530 NOT_ALLOWED) and 'close' (with that error,
 * or nothing after `close()`). After it closed, its methods fail with IllegalOperationError
 * "Connection closed (by client)" or "Connection closed (Error: Connection closed: 530 …)" as in amqplib.
 */
export class ChannelModel extends EventEmitter {
  /** Broker connection id (`c1`), as in the trace. */
  readonly id: string;
  /** Stand-in for amqplib's low-level Connection (read-only information). */
  readonly connection: { serverProperties: { product: string; version: string; platform: string } };
  private readonly broker: AmqpBroker;
  private state: 'opening' | 'open' | 'closing' | 'closed' = 'opening';
  private closedInfo = 'Connection closed (by client)';
  private readonly channels = new Set<Channel>();
  private readonly host: ChannelHost;

  /** @internal created by `connect`. */
  constructor(broker: AmqpBroker, label: string, onOpen: (model: ChannelModel) => void) {
    super();
    this.broker = broker;
    this.connection = { serverProperties: { product: 'RabbitMQ (MQ Lab simulator)', version: '3.10.8', platform: 'simulated' } };
    this.host = {
      broker,
      checkSend: () => this.checkSend(),
      acceptsFrames: () => this.state === 'open',
      forget: (channel) => {
        this.channels.delete(channel);
      },
    };
    this.id = broker.connect(label, { onServerClose: (reason) => this.handleServerClose(reason) }, () => {
      if (this.state === 'opening') this.state = 'open';
      onOpen(this);
    });
  }

  /** Opens a channel (one round trip). */
  createChannel(): Promise<Channel> {
    return this.open((onOpen) => new Channel(this.host, this.id, onOpen));
  }

  /** Opens a channel in confirm mode (two round trips: channel.open, confirm.select). */
  createConfirmChannel(): Promise<ConfirmChannel> {
    return this.open((onOpen) => new ConfirmChannel(this.host, this.id, (ch) => {
      // confirm.select / select-ok: one more round trip.
      this.broker.engine.schedule(2 * this.broker.latencyMs, () => onOpen(ch as ConfirmChannel));
    }));
  }

  /** connection.close: closes every channel ('close' on each), then emits 'close' and resolves. */
  close(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      try {
        this.checkSend();
      } catch (error) {
        reject(error);
        return;
      }
      this.state = 'closing';
      this.broker.closeConnection(this.id, () => {
        resolve();
        this.toClosed(undefined);
      });
    });
  }

  /** @internal see `crashConnection`. */
  [CRASH](): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closedInfo = 'Connection closed (Error: read ECONNRESET)';
    this.broker.dropConnection(this.id);
  }

  private open<C extends Channel>(make: (onOpen: (ch: C) => void) => C): Promise<C> {
    return new Promise<C>((resolve, reject) => {
      try {
        this.checkSend();
      } catch (error) {
        reject(error);
        return;
      }
      const channel = make((ch) => {
        if (this.state === 'open') resolve(ch);
      });
      this.channels.add(channel);
    });
  }

  private checkSend(): void {
    if (this.state === 'closed') throw new IllegalOperationError(this.closedInfo, this.closedInfo);
    if (this.state === 'closing') throw new IllegalOperationError('Connection closing', 'closeBecause called: Cheers, thanks');
  }

  /** connection.close from the server (lib/connection.js): 'error' (unless 320/200), then channels and 'close'. */
  private handleServerClose(reason: CloseReason): void {
    if (this.state === 'closed' || this.state === 'closing') return;
    const error = new Error(`Connection closed: ${closeMessage(reason)}`) as ServerCloseError;
    error.code = reason.code;
    try {
      if (reason.code !== 320 && reason.code !== 200) this.emit('error', error);
    } finally {
      this.toClosed(error);
    }
  }

  private toClosed(error: Error | undefined): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closedInfo = `Connection closed (${error ? error.toString() : 'by client'})`;
    for (const channel of [...this.channels]) channel.toClosed();
    this.emit('close', error);
  }
}
