/**
 * Types of MQ Lab's simulated `amqplib` (the promise API of amqplib 0.10), for the code editor's completion and
 * hover. Self-contained: it declares the small Buffer and event-emitter shapes it needs. Written for MQ Lab from
 * amqplib's documented API (https://amqp-node.github.io/amqplib/channel_api.html) and RabbitMQ's docs.
 */
declare module 'amqplib' {
  /** Bytes of a message body. Create one with `Buffer.from('text')`. */
  interface Buffer extends Uint8Array {
    /** Decodes the bytes, UTF-8 by default: `msg.content.toString()`. */
    toString(encoding?: string, start?: number, end?: number): string;
  }

  /** The event methods connections and channels have (Node's EventEmitter). */
  interface Emitter {
    /** Calls `listener` every time `event` is emitted. */
    on(event: string, listener: (...args: any[]) => void): this;
    /** Calls `listener` the next time `event` is emitted only. */
    once(event: string, listener: (...args: any[]) => void): this;
    /** Removes a listener added with `on` or `once`. */
    off(event: string, listener: (...args: any[]) => void): this;
    removeListener(event: string, listener: (...args: any[]) => void): this;
    removeAllListeners(event?: string): this;
    listenerCount(event: string): number;
  }

  /** Options of `channel.assertQueue`. */
  interface AssertQueueOptions {
    /** Survives a broker restart. Default **true** in amqplib. */
    durable?: boolean;
    /** Only this connection may use the queue; it is deleted when the connection closes. Default false. */
    exclusive?: boolean;
    /** Deleted when its last consumer goes away. Default false. */
    autoDelete?: boolean;
    /** Extra queue arguments (`x-…`), compared when the queue is declared again. */
    arguments?: Record<string, unknown>;
    /** Sets `x-message-ttl` (ms). */
    messageTtl?: number;
    /** Sets `x-expires` (ms). */
    expires?: number;
    /** Sets `x-dead-letter-exchange`. */
    deadLetterExchange?: string;
    /** Sets `x-dead-letter-routing-key`. */
    deadLetterRoutingKey?: string;
    /** Sets `x-max-length`. */
    maxLength?: number;
    /** Sets `x-max-priority`. */
    maxPriority?: number;
  }

  /** Options of `channel.assertExchange`. */
  interface AssertExchangeOptions {
    /** Survives a broker restart. Default **true** in amqplib. */
    durable?: boolean;
    /** Deleted when its last binding is removed. Default false. */
    autoDelete?: boolean;
    /** Only other exchanges may publish to it. Default false. */
    internal?: boolean;
    /** Where messages this exchange cannot route go instead (sets `alternate-exchange`). */
    alternateExchange?: string;
    /** Extra exchange arguments. */
    arguments?: Record<string, unknown>;
  }

  /** Answer of `assertQueue` / `checkQueue`. */
  interface AssertQueueReply {
    /** The queue name (server-generated `amq.gen-…` when you passed ''). */
    queue: string;
    /** Messages ready for delivery (not counting unacknowledged ones). */
    messageCount: number;
    /** Consumers subscribed to the queue. */
    consumerCount: number;
  }

  /** Options of `publish` / `sendToQueue`. */
  interface PublishOptions {
    /** Ask the broker to write the message to disk (deliveryMode 2). */
    persistent?: boolean;
    /** 1 = transient, 2 = persistent (or true for 2). */
    deliveryMode?: boolean | number;
    /** MIME type of the body, e.g. 'application/json'. */
    contentType?: string;
    contentEncoding?: string;
    /** Application headers. */
    headers?: Record<string, unknown>;
    priority?: number;
    /** Usually the id of the request this message answers. */
    correlationId?: string;
    /** Queue a reply should go to. */
    replyTo?: string;
    /** Per-message TTL in ms (as a string or number). */
    expiration?: string | number;
    messageId?: string;
    /** Seconds since the epoch. */
    timestamp?: number;
    type?: string;
    userId?: string;
    appId?: string;
    /** Return the message (event 'return') if no queue gets it. */
    mandatory?: boolean;
    CC?: string | string[];
    BCC?: string | string[];
  }

  /** Options of `channel.consume`. */
  interface ConsumeOptions {
    /** Automatic acknowledgement: the broker forgets each message as soon as it sends it. Default false. */
    noAck?: boolean;
    /** Your own consumer tag; by default the server makes `amq.ctag-…`. */
    consumerTag?: string;
    /** Be the only consumer of the queue. */
    exclusive?: boolean;
    /** Sets the `x-priority` consumer argument. */
    priority?: number;
    /** Extra consumer arguments (`x-…`). */
    arguments?: Record<string, unknown>;
  }

  /** Options of `channel.deleteQueue`. */
  interface DeleteQueueOptions {
    /** Fail (406) if the queue has consumers. */
    ifUnused?: boolean;
    /** Fail (406) if the queue has ready messages. */
    ifEmpty?: boolean;
  }

  /** Delivery information of a message. */
  interface MessageFields {
    /** Number to pass back when you ack/nack (via the message). Counts from 1 per channel. */
    deliveryTag: number;
    /** True if this message was delivered before and returned to the queue (nack/reject with requeue, or a
     * consumer that went away without acking). */
    redelivered: boolean;
    /** Exchange it was published to ('' = the default exchange). */
    exchange: string;
    /** Routing key it was published with (for the default exchange: the queue name). */
    routingKey: string;
  }

  /** Properties the publisher set; unset ones are `undefined`. */
  interface MessageProperties {
    contentType: string | undefined;
    contentEncoding: string | undefined;
    headers: Record<string, unknown> | undefined;
    deliveryMode: number | undefined;
    priority: number | undefined;
    correlationId: string | undefined;
    replyTo: string | undefined;
    expiration: string | undefined;
    messageId: string | undefined;
    timestamp: number | undefined;
    type: string | undefined;
    userId: string | undefined;
    appId: string | undefined;
    clusterId: string | undefined;
  }

  /** A message as received. */
  interface Message {
    fields: MessageFields;
    properties: MessageProperties;
    /** The body. `msg.content.toString()` for text. */
    content: Buffer;
  }

  /** A message delivered to a consumer. */
  interface ConsumeMessage extends Message {
    fields: MessageFields & {
      /** Tag of the consumer it was delivered to. */
      consumerTag: string;
    };
  }

  /** A message fetched with `channel.get`. */
  interface GetMessage extends Message {
    fields: MessageFields & {
      /** Messages still ready in the queue after this one. */
      messageCount: number;
    };
  }

  /**
   * A channel: a lightweight session inside a connection where you declare queues, publish, consume and
   * acknowledge. A server error (for example a missing queue) closes the channel: listen with
   * `channel.on('error', …)`, otherwise it becomes an error of the whole connection (and, with no
   * `connection.on('error', …)` either, crashes the program). An exception thrown by a consume callback closes the
   * channel too (541 INTERNAL_ERROR).
   */
  interface Channel extends Emitter {
    /** The channel number on its connection. */
    readonly ch: number;
    /** Declares a queue (creates it if missing). '' lets the server pick a name. */
    assertQueue(queue?: string, options?: AssertQueueOptions): Promise<AssertQueueReply>;
    /** Checks a queue exists; a missing queue fails with 404 NOT_FOUND and closes the channel. */
    checkQueue(queue: string): Promise<AssertQueueReply>;
    /** Deletes a queue; its consumers are cancelled (their callback receives `null`). */
    deleteQueue(queue: string, options?: DeleteQueueOptions): Promise<{ messageCount: number }>;
    /** Removes the ready messages of a queue (not the unacknowledged ones). */
    purgeQueue(queue: string): Promise<{ messageCount: number }>;
    /**
     * Declares an exchange: 'direct' (routing key = binding key), 'fanout' (every bound queue), 'topic' (binding
     * keys are patterns: `*` one word, `#` zero or more words) or 'headers' (bindQueue's `args` are matched against
     * the message headers, `'x-match': 'all'` or `'any'`). Redeclaring with other options fails with 406.
     */
    assertExchange(exchange: string, type: 'direct' | 'fanout' | 'topic' | 'headers' | string, options?: AssertExchangeOptions): Promise<{ exchange: string }>;
    /** Checks an exchange exists; a missing one fails with 404 NOT_FOUND and closes the channel. */
    checkExchange(exchange: string): Promise<{}>;
    /** Deletes an exchange and its bindings; `ifUnused` refuses (406) while it has bindings. */
    deleteExchange(exchange: string, options?: { ifUnused?: boolean }): Promise<{}>;
    /** Binds a queue to an exchange with a binding key (`pattern`); binding twice is harmless. */
    bindQueue(queue: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<{}>;
    /** Removes a binding (nothing happens if it does not exist). */
    unbindQueue(queue: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<{}>;
    /**
     * Binds exchange `destination` to exchange `source` (a RabbitMQ extension): messages `source` routes with a key
     * matching `pattern` also go through `destination`, which routes them again by its own type.
     */
    bindExchange(destination: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<{}>;
    /** Removes an exchange-to-exchange binding (nothing happens if it does not exist). */
    unbindExchange(destination: string, source: string, pattern: string, args?: Record<string, unknown>): Promise<{}>;
    /**
     * Publishes a message to an exchange ('' = default exchange, where the routing key is a queue name).
     * `content` must be a Buffer (else TypeError "content is not a buffer"). Returns true.
     */
    publish(exchange: string, routingKey: string, content: Buffer, options?: PublishOptions): boolean;
    /** Publishes to the default exchange: the message goes to the queue named `queue`, if it exists. */
    sendToQueue(queue: string, content: Buffer, options?: PublishOptions): boolean;
    /**
     * Subscribes to a queue. `onMessage` gets each message (ack it unless `noAck`), or `null` if the server
     * cancels the consumer (e.g. the queue was deleted).
     */
    consume(queue: string, onMessage: (msg: ConsumeMessage | null) => void, options?: ConsumeOptions): Promise<{ consumerTag: string }>;
    /** Stops a consumer. Messages it holds stay unacknowledged until you ack or close. */
    cancel(consumerTag: string): Promise<void>;
    /** Fetches one message, or `false` if the queue is empty. */
    get(queue: string, options?: { noAck?: boolean }): Promise<GetMessage | false>;
    /** Acknowledges a message (and every earlier one on this channel if `allUpTo`). Acking twice closes the
     * channel with 406 PRECONDITION_FAILED "unknown delivery tag". */
    ack(message: Message, allUpTo?: boolean): void;
    /** Acknowledges every outstanding message on this channel. */
    ackAll(): void;
    /** Rejects a message (and earlier ones if `allUpTo`); `requeue` (default true) puts it back in its queue. */
    nack(message: Message, allUpTo?: boolean, requeue?: boolean): void;
    /** Rejects every outstanding message; `requeue` defaults to true. */
    nackAll(requeue?: boolean): void;
    /** Rejects one message; `requeue` (default true) puts it back at its original position. */
    reject(message: Message, requeue?: boolean): void;
    /**
     * Limits unacknowledged messages per consumer created after this call (RabbitMQ); with `global` true, for
     * the whole channel. 0 = no limit.
     */
    prefetch(count: number, global?: boolean): Promise<{}>;
    /** Same as `prefetch`. */
    qos(count: number, global?: boolean): Promise<{}>;
    /** Sends every unacknowledged message of this channel back to its queue (redelivered). */
    recover(): Promise<{}>;
    /** Closes the channel; its unacknowledged messages go back to their queues. */
    close(): Promise<void>;
    /** 'error': the server closed the channel; 'close': the channel closed; 'return': an unroutable mandatory message. */
    on(event: 'error' | 'close' | 'return' | string, listener: (...args: any[]) => void): this;
  }

  /** A channel where the broker confirms each published message. */
  interface ConfirmChannel extends Channel {
    /** Publishes; `callback(null)` runs once the broker has taken the message. */
    publish(exchange: string, routingKey: string, content: Buffer, options?: PublishOptions, callback?: (err: Error | null) => void): boolean;
    sendToQueue(queue: string, content: Buffer, options?: PublishOptions, callback?: (err: Error | null) => void): boolean;
    /** Resolves once every message published so far is confirmed. */
    waitForConfirms(): Promise<void>;
  }

  /** A connection to the broker (what `connect` resolves to). */
  interface ChannelModel extends Emitter {
    /** Information about the underlying connection (server properties, negotiated limits). */
    readonly connection: { serverProperties: Record<string, unknown>; channelMax: number; frameMax: number; heartbeat: number };
    /** Opens a channel. */
    createChannel(): Promise<Channel>;
    /** Opens a channel with publisher confirms. */
    createConfirmChannel(): Promise<ConfirmChannel>;
    /** Closes the connection and all its channels (unacknowledged messages return to their queues). */
    close(): Promise<void>;
    /** 'error': the server closed the connection, or a channel error / consume-callback exception nobody handled;
     * 'close': it closed. */
    on(event: 'error' | 'close' | 'blocked' | 'unblocked' | string, listener: (...args: any[]) => void): this;
  }

  /** Thrown when using a channel or connection that is closed, e.g. "Channel closed". */
  class IllegalOperationError extends Error {
    constructor(message: string, stackAtStateChange?: string);
    stackAtStateChange: string;
  }

  /**
   * Connects to the broker (in MQ Lab: the simulated one), e.g. `await connect('amqp://localhost')`.
   * The URL must start with amqp:// or amqps://.
   */
  function connect(url?: string | { protocol?: string; hostname?: string; port?: number; username?: string; password?: string; vhost?: string }, socketOptions?: { clientProperties?: { connection_name?: string } }): Promise<ChannelModel>;

  /** SASL credentials (accepted and ignored by the simulator). */
  const credentials: {
    plain(username: string, password: string): { mechanism: string };
    amqplain(username: string, password: string): { mechanism: string };
    external(): { mechanism: string };
  };

  /** Older name of ChannelModel. */
  type Connection = ChannelModel;
}

/**
 * Types of MQ Lab's simulated `amqplib/callback_api` (amqplib 0.10's callback API): the same client with
 * node-style callbacks, `(err)` on failure and `(null, value)` on success. An ES module imports it as
 * `amqplib/callback_api.js`. Written for MQ Lab from amqplib's documented API
 * (https://amqp-node.github.io/amqplib/channel_api.html#callback-api).
 */
declare module 'amqplib/callback_api' {
  import type {
    AssertExchangeOptions, AssertQueueOptions, AssertQueueReply, Buffer, ConsumeMessage, ConsumeOptions,
    DeleteQueueOptions, Emitter, GetMessage, IllegalOperationError as PromiseIllegalOperationError, Message,
    PublishOptions,
  } from 'amqplib';

  /** A node-style callback. */
  type Callback<T> = (err: Error | null, value: T) => void;

  /** A channel of the callback API: each operation calls back once the broker answered, and returns the channel. */
  interface Channel extends Emitter {
    assertQueue(queue: string, options?: AssertQueueOptions, callback?: Callback<AssertQueueReply>): this;
    checkQueue(queue: string, callback?: Callback<AssertQueueReply>): this;
    deleteQueue(queue: string, options?: DeleteQueueOptions, callback?: Callback<{ messageCount: number }>): this;
    purgeQueue(queue: string, callback?: Callback<{ messageCount: number }>): this;
    bindQueue(queue: string, source: string, pattern: string, args?: Record<string, unknown>, callback?: Callback<{}>): this;
    unbindQueue(queue: string, source: string, pattern: string, args?: Record<string, unknown>, callback?: Callback<{}>): this;
    assertExchange(exchange: string, type: string, options?: AssertExchangeOptions, callback?: Callback<{ exchange: string }>): this;
    checkExchange(exchange: string, callback?: Callback<{}>): this;
    deleteExchange(exchange: string, options?: { ifUnused?: boolean }, callback?: Callback<{}>): this;
    bindExchange(destination: string, source: string, pattern: string, args?: Record<string, unknown>, callback?: Callback<{}>): this;
    unbindExchange(destination: string, source: string, pattern: string, args?: Record<string, unknown>, callback?: Callback<{}>): this;
    /** Publishes; returns true (the simulated socket never fills). */
    publish(exchange: string, routingKey: string, content: Buffer, options?: PublishOptions): boolean;
    sendToQueue(queue: string, content: Buffer, options?: PublishOptions): boolean;
    /** `onMessage` gets each message (null if the server cancels the consumer); `callback` the consumer tag. */
    consume(queue: string, onMessage: (msg: ConsumeMessage | null) => void, options?: ConsumeOptions,
      callback?: Callback<{ consumerTag: string }>): this;
    cancel(consumerTag: string, callback?: Callback<{ consumerTag: string }>): this;
    /** `callback(null, false)` when the queue is empty. Not called at all if the server refuses the get. */
    get(queue: string, options?: { noAck?: boolean }, callback?: Callback<GetMessage | false>): this;
    ack(message: Message, allUpTo?: boolean): this;
    ackAll(): this;
    nack(message: Message, allUpTo?: boolean, requeue?: boolean): this;
    nackAll(requeue?: boolean): this;
    reject(message: Message, requeue?: boolean): this;
    prefetch(count: number, global?: boolean, callback?: Callback<{}>): this;
    recover(callback?: Callback<{}>): this;
    close(callback?: (err: Error | null) => void): void;
  }

  /** A channel in confirm mode: publish takes a callback called once the broker confirmed (or nacked) it. */
  interface ConfirmChannel extends Channel {
    publish(exchange: string, routingKey: string, content: Buffer, options?: PublishOptions, callback?: (err: Error | null) => void): boolean;
    sendToQueue(queue: string, content: Buffer, options?: PublishOptions, callback?: (err: Error | null) => void): boolean;
    waitForConfirms(callback: (err?: Error) => void): void;
  }

  /** A connection of the callback API. */
  interface Connection extends Emitter {
    /** Returns the channel at once; `callback(null, channel)` once it is open. */
    createChannel(callback?: Callback<Channel>): Channel;
    createConfirmChannel(callback?: Callback<ConfirmChannel>): ConfirmChannel;
    close(callback?: (err: Error | null) => void): void;
  }

  /** Connects, e.g. `connect('amqp://localhost', (err, conn) => { … })`. */
  function connect(callback: Callback<Connection>): void;
  function connect(url: string | { hostname?: string; port?: number; vhost?: string; [key: string]: unknown }, callback: Callback<Connection>): void;
  function connect(url: string | { hostname?: string; port?: number; vhost?: string; [key: string]: unknown },
    socketOptions: { clientProperties?: { connection_name?: string } }, callback: Callback<Connection>): void;

  const credentials: {
    plain(username: string, password: string): { mechanism: string };
    amqplain(username: string, password: string): { mechanism: string };
    external(): { mechanism: string };
  };

  const IllegalOperationError: typeof PromiseIllegalOperationError;
}

declare module 'amqplib/callback_api.js' {
  export * from 'amqplib/callback_api';
}
