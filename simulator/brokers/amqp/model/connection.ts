import type { CloseReason } from '../../../trace.ts';
import type { BrokerChannel } from './channel.ts';
import type { VirtualHost } from './vhost.ts';

/** Callbacks for connection-level frames from the broker, called `latencyMs` after it sent them. */
export interface ConnectionListener {
  /** connection.close from the server (a hard error such as 530 NOT_ALLOWED, or 320 when the broker stops). */
  onServerClose?(reason: CloseReason): void;
  /**
   * The connection never opened: `null` when nothing listened (the broker is stopped: the TCP connection is
   * refused), else the connection.close the broker sent during the handshake (530 NOT_ALLOWED for an unknown
   * vhost). Called instead of `onOpen`, one round trip after `connect`.
   */
  onOpenFailed?(reason: CloseReason | null): void;
}

/**
 * Frames to one connection arriving at one instant: `items` holds `fn, thisArg, arg` triples in its first `count`
 * slots (the array is kept between batches, so a reused batch allocates nothing).
 */
export interface OutboxBatch {
  /** null while the batch is spare. */
  connection: BrokerConnection | null;
  items: unknown[];
  count: number;
}

/** Broker-side state of one client connection. */
export class BrokerConnection {
  readonly id: string;
  /** Human label shown in the view ("producer", "worker 1"). */
  readonly label: string;
  readonly listener: ConnectionListener;
  open = true;
  readonly channels = new Map<string, BrokerChannel>();
  /** Channel numbers only grow within a run so channel ids in the trace stay unique. */
  nextChannelNumber = 1;
  /** Frames to this client that arrive together at `outboxAtMs` (see `sendCallToClient` in wire.ts). */
  outbox: OutboxBatch | null = null;
  outboxAtMs = -1;

  /** The user it authenticated as (any credentials are accepted; amqplib's default is guest). */
  readonly user: string;
  /**
   * The virtual host it opens (connection.open's `virtual-host`); every name it uses is looked up there. Set again
   * when connection.open reaches the broker (until then, a vhost of that name or a detached stand-in).
   */
  vhost: VirtualHost;
  /** True once its connection.open reached the broker and was accepted (before that a stop does not close it). */
  established = false;

  constructor(id: string, label: string, listener: ConnectionListener, user: string, vhost: VirtualHost) {
    this.id = id;
    this.label = label;
    this.listener = listener;
    this.user = user;
    this.vhost = vhost;
  }
}
