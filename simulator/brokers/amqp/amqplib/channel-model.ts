import { BaseConnection } from './base-connection.ts';
import { Channel, ConfirmChannel } from './channel.ts';

export { connectionState, crashConnection, Connection } from './base-connection.ts';

/**
 * amqplib 0.10's ChannelModel (the promise-API connection, node_modules/amqplib/lib/channel_model.js) over the
 * broker model: what `await amqp.connect(url)` gives. The machinery (events, frame handling, closing) is in
 * base-connection.ts.
 */
export class ChannelModel extends BaseConnection {
  /** Opens a channel (one round trip); rejects with IllegalOperationError once the connection is closing/closed. */
  createChannel(): Promise<Channel> {
    return new Promise<Channel>((resolve, reject) => {
      try {
        this.openChannelWith<Channel>((host, id, number, onOpen) => new Channel(host, id, number, onOpen),
          (ch) => resolve(ch));
      } catch (error) {
        reject(error);
      }
    });
  }

  /** Opens a channel in confirm mode (two round trips: channel.open, confirm.select). */
  createConfirmChannel(): Promise<ConfirmChannel> {
    return new Promise<ConfirmChannel>((resolve, reject) => {
      try {
        this.openChannelWith<ConfirmChannel>((host, id, number, onOpen) => new ConfirmChannel(host, id, number,
          (ch) => this.afterRoundTrip(() => onOpen(ch))), (ch) => resolve(ch));
      } catch (error) {
        reject(error);
      }
    });
  }

  /** connection.close: closes every channel ('close' on each), then emits 'close' and resolves. */
  close(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      try {
        this.closeConnection(resolve);
      } catch (error) {
        reject(error);
      }
    });
  }
}
