import { BaseConnection } from './base-connection.ts';
import { CallbackChannel, CallbackConfirmChannel, type Callback } from './callback-channel.ts';

/**
 * amqplib 0.10's CallbackModel (node_modules/amqplib/lib/callback_model.js) over the broker model: what
 * `require('amqplib/callback_api').connect(url, cb)` hands to `cb`. The machinery (events, frame handling,
 * closing) is in base-connection.ts. Unlike the promise API:
 * - `createChannel(cb)` / `createConfirmChannel(cb)` return the new channel at once (usable right away: what it
 *   sends goes after channel.open) and call `cb(null, channel)` once it is open; on a closing or closed connection
 *   they throw IllegalOperationError synchronously. An optional first argument (channel options) is accepted.
 * - `close(cb)` calls `cb(null)` once closed; on a closed connection it calls `cb` with the IllegalOperationError
 *   (lib/connection.js replaces `close` then), while closing it throws.
 */
export class CallbackModel extends BaseConnection {
  /**
   * Opens a channel; `cb(null, channel)` once open. Returns the channel at once. With one argument, that is the
   * callback (as amqplib decides by the number of arguments; a non-function fails with TypeError "cb is not a
   * function" when it is called).
   */
  createChannel(...args: unknown[]): CallbackChannel {
    const cb = (args.length === 1 ? args[0] : args[1]) as Callback<CallbackChannel> | undefined;
    return this.openChannelWith<CallbackChannel>((host, id, number, onOpen) => new CallbackChannel(host, id, number, onOpen),
      (ch) => {
        if (cb) cb(null, ch);
      });
  }

  /** Opens a channel in confirm mode (channel.open, then confirm.select); `cb(null, channel)` once both are done. */
  createConfirmChannel(...args: unknown[]): CallbackConfirmChannel {
    const cb = (args.length === 1 ? args[0] : args[1]) as Callback<CallbackConfirmChannel> | undefined;
    return this.openChannelWith<CallbackConfirmChannel>((host, id, number, onOpen) => new CallbackConfirmChannel(host, id,
      number, (ch) => this.afterRoundTrip(() => onOpen(ch))), (ch) => {
      if (cb) cb(null, ch);
    });
  }

  /** connection.close: `cb(null)` once closed (every channel closed, 'close' emitted after `cb`). */
  close(cb?: (err: Error | null) => void): void {
    const closed = this.closedError();
    if (closed !== null) {
      if (cb) cb(closed);
      return;
    }
    this.closeConnection(() => {
      if (cb) cb(null);
    });
  }
}
