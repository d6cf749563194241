import type { AmqpBroker } from '../model/broker.ts';
import type { CloseReason } from '../../../trace.ts';
import type { BaseConnection } from './base-connection.ts';
import { CallbackModel } from './callback-model.ts';
import { ChannelModel } from './channel-model.ts';
import { IllegalOperationError } from './errors.ts';

export { ChannelModel, crashConnection } from './channel-model.ts';
export { CallbackModel } from './callback-model.ts';
export { Channel, ConfirmChannel, type Message, type MessageFields } from './channel.ts';
export { CallbackChannel, CallbackConfirmChannel } from './callback-channel.ts';
export { IllegalOperationError } from './errors.ts';

/** Socket options of `connect`; only `clientProperties.connection_name` matters (it labels the connection). */
export interface SocketOptions {
  clientProperties?: { connection_name?: string; [key: string]: unknown };
  [key: string]: unknown;
}

/** What `connect` takes as its URL: a string, or amqplib's object form. */
export type ConnectTarget = string | { protocol?: string; hostname?: string; [key: string]: unknown };

/** amqplib's `credentials` helpers (lib/credentials.js). */
interface Credentials {
  plain(username: string, password: string): { mechanism: string; username: string; password: string };
  amqplain(username: string, password: string): { mechanism: string; username: string; password: string };
  external(): { mechanism: string };
}

/** The module object `require('amqplib')` resolves to in a simulated program. */
export interface AmqplibModule {
  connect(url?: ConnectTarget, socketOptions?: SocketOptions): Promise<ChannelModel>;
  credentials: Credentials;
  IllegalOperationError: typeof IllegalOperationError;
}

/** The module object `require('amqplib/callback_api')` resolves to (node_modules/amqplib/callback_api.js). */
export interface CallbackApiModule {
  /** `connect(cb)`, `connect(url, cb)` or `connect(url, socketOptions, cb)`; `cb(err)` or `cb(null, connection)`. */
  connect(url?: unknown, socketOptions?: unknown, cb?: unknown): void;
  credentials: Credentials;
  IllegalOperationError: typeof IllegalOperationError;
}

/** Options of `createAmqplib` (for the runner; programs never see them). */
export interface AmqplibOptions {
  /** Label of the n-th connection (1-based) opened without a `connection_name`; default "connection n". */
  defaultLabel?: (n: number) => string;
  /** Called with every connection as it is created, of either API (the runtime tracks which process holds which). */
  onConnect?: (model: BaseConnection) => void;
}

/** Ports the simulated broker listens on (RabbitMQ's defaults): https://www.rabbitmq.com/docs/networking#ports */
export const AMQP_PORT = 5672;
export const AMQPS_PORT = 5671;

/**
 * Builds an amqplib 0.10 promise-API module (`require('amqplib')`) whose connections talk to `broker`.
 *
 * Which URLs connect (so that "only the URL differs" between a lesson and a real program):
 * - the protocol must be amqp: or amqps: (else amqplib's Error "Expected amqp: or amqps: as the protocol; got
 *   http:", thrown inside the promise, so `connect` rejects);
 * - any host name reaches the simulated broker (localhost, 127.0.0.1, rabbitmq, …); user and password are not
 *   checked (the simulator has no users);
 * - the URL's path is the virtual host, unescaped (`amqp://host/shop`, `amqp://host/%2f` = '/', no path = '/'; an
 *   object URL's `vhost`), as amqplib reads it (lib/connect.js openFrames). A vhost the broker does not have (see
 *   `AmqpBroker.addVhost`) fails the handshake: RabbitMQ answers connection.open with connection.close (530), which
 *   amqplib reports as Error "Expected ConnectionOpenOk; got <ConnectionClose channel:0>" (no code);
 * - the broker listens on RabbitMQ's standard ports 5672 (amqp) and 5671 (amqps). No port (or 0) means the
 *   protocol's default, as in amqplib (lib/connect.js). Any other port rejects one round trip later like a refused
 *   TCP connection: Error "connect ECONNREFUSED 127.0.0.1:1" (code 'ECONNREFUSED', errno -111, syscall 'connect',
 *   address, port; host names other than IP literals are shown as 127.0.0.1). A port above 65535 is Node's
 *   RangeError "Port should be >= 0 and < 65536. Received type number (99999)." (code ERR_SOCKET_BAD_PORT); a port
 *   that is not digits fails name resolution: "getaddrinfo ENOTFOUND localhost:abc" (code 'ENOTFOUND'). While the
 *   broker is stopped (`AmqpBroker.stop`), its ports refuse connections the same way.
 * Each verified with amqplib 0.10.9 against RabbitMQ 3.10 on the default ports (conformance programs 20, 46, 48).
 *
 * The connection is labelled with `socketOptions.clientProperties.connection_name` if given, else "connection N".
 * Opening takes one round trip. Source: node_modules/amqplib/channel_api.js, lib/connect.js.
 */
export function createAmqplib(broker: AmqpBroker, options: AmqplibOptions = {}): AmqplibModule {
  return createAmqplibModules(broker, options).amqplib;
}

/**
 * Both flavours of amqplib for one process, sharing its connection numbering: `amqplib` (the promise API, see
 * `createAmqplib`) and `callbackApi` (`require('amqplib/callback_api')`, node_modules/amqplib/callback_api.js):
 * the same connections and channels with node-style callbacks (callback-model.ts, callback-channel.ts). Its
 * `connect` takes `(cb)`, `(url, cb)` or `(url, socketOptions, cb)` and calls `cb(null, connection)` or `cb(err)`
 * with the errors the promise API rejects with — except those amqplib throws before any I/O, which it throws
 * synchronously here too: a protocol other than amqp:/amqps:, a port above 65535.
 */
export function createAmqplibModules(broker: AmqpBroker, options: AmqplibOptions = {}): {
  amqplib: AmqplibModule;
  callbackApi: CallbackApiModule;
} {
  let connections = 0;
  const defaultLabel = options.defaultLabel ?? ((n: number) => `connection ${n}`);
  /**
   * Starts a connection to `url`: throws what amqplib throws before any I/O; a refused one calls `fail` one round
   * trip later; else builds it with `make` (which reports opening and failing).
   */
  const open = <M extends BaseConnection>(url: unknown, socketOptions: SocketOptions | undefined,
    fail: (error: Error) => void,
    make: (label: string, onFailed: (reason: CloseReason | null) => void) => M): void => {
    const target = parseTarget(url);
    if (target.protocol !== 'amqp:' && target.protocol !== 'amqps:') {
      throw new Error(`Expected amqp: or amqps: as the protocol; got ${target.protocol}`);
    }
    const failure = unreachable(target);
    if (failure !== undefined) {
      if (failure instanceof RangeError) throw failure;
      // A refused connection (RST) comes back after one round trip.
      broker.engine.schedule(2 * broker.latencyMs, () => fail(failure));
      return;
    }
    connections++;
    const name = socketOptions?.clientProperties?.connection_name;
    const label = typeof name === 'string' && name !== '' ? name : defaultLabel(connections);
    const model = make(label, (reason) => fail(reason === null ? refusedError(target)
      : new Error('Expected ConnectionOpenOk; got <ConnectionClose channel:0>')));
    options.onConnect?.(model);
  };
  const credentials: Credentials = {
    plain: (username, password) => ({ mechanism: 'PLAIN', username, password }),
    amqplain: (username, password) => ({ mechanism: 'AMQPLAIN', username, password }),
    external: () => ({ mechanism: 'EXTERNAL' }),
  };
  const amqplib: AmqplibModule = {
    connect(url, socketOptions) {
      return new Promise<ChannelModel>((resolve, reject) => {
        open(url, socketOptions, reject, (label, onFailed) => new ChannelModel(broker, label,
          (model) => resolve(model as ChannelModel), userOf(url), vhostOf(url), onFailed));
      });
    },
    credentials,
    IllegalOperationError,
  };
  const callbackApi: CallbackApiModule = {
    connect(url?: unknown, socketOptions?: unknown, cb?: unknown) {
      if (typeof url === 'function') {
        cb = url;
        url = undefined;
        socketOptions = undefined;
      } else if (typeof socketOptions === 'function') {
        cb = socketOptions;
        socketOptions = undefined;
      }
      // Like amqplib, a missing callback fails only when it is called: TypeError "cb is not a function" in the I/O
      // callback (so the name `cb` matters).
      type Done = (err: Error | null, connection?: CallbackModel) => void;
      open(url, (socketOptions || undefined) as SocketOptions | undefined, (error) => (cb as Done)(error),
        (label, onFailed) => new CallbackModel(broker, label, (model) => (cb as Done)(null, model as CallbackModel),
          userOf(url), vhostOf(url), onFailed));
    },
    credentials,
    IllegalOperationError,
  };
  return { amqplib, callbackApi };
}

/** Where a `connect` argument points: protocol as amqplib sees it, host, and the port text ('' = default). */
interface Target {
  protocol: string;
  host: string;
  port: string;
}

/** The URL's parts as amqplib (url-parse) reads them: 'amqp:' for no or an empty URL (amqplib's default
 * amqp://localhost); 'localhost' ⇒ protocol '' and 'localhost:5672' ⇒ 'localhost:' (verified with amqplib 0.10.9). */
export function parseTarget(url: unknown): Target {
  if (!url) return { protocol: 'amqp:', host: 'localhost', port: '' };
  if (typeof url === 'object') {
    const u = url as { protocol?: string; hostname?: string; port?: unknown };
    return {
      protocol: `${String(u.protocol || 'amqp')}:`,
      host: String(u.hostname ?? 'localhost'),
      port: u.port ? String(u.port) : '',
    };
  }
  const text = String(url);
  const match = /^([a-z][a-z0-9+.-]*:)/i.exec(text);
  const protocol = match ? match[1].toLowerCase() : '';
  const authority = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)(?::([^/?#]*))?/i.exec(text);
  return { protocol, host: authority?.[1] || 'localhost', port: authority?.[2] ?? '' };
}

/**
 * The user a `connect` argument authenticates as, as amqplib decides it (lib/connect.js credentialsFromUrl): the
 * URL's user name (unescaped), '' when only a password is given, 'guest' when neither is.
 */
export function userOf(url: unknown): string {
  if (url !== null && typeof url === 'object') {
    const u = url as { username?: unknown; password?: unknown };
    if (u.username == undefined && u.password == undefined) return 'guest';
    return typeof u.username === 'string' ? u.username : '';
  }
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^@/?#]*)@/i.exec(String(url ?? ''))?.[1];
  if (userinfo === undefined || userinfo === '' || userinfo === ':') return 'guest';
  const name = userinfo.split(':')[0];
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * The virtual host a `connect` argument opens, as amqplib decides it (lib/connect.js): a string URL's path without
 * its leading '/', an object's `vhost`; unescaped (querystring.unescape: `%2f` is '/'); '/' when empty or absent.
 */
export function vhostOf(url: unknown): string {
  let raw: unknown;
  if (url !== null && typeof url === 'object') raw = (url as { vhost?: unknown }).vhost;
  else if (url) raw = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(\/[^?#]*)?/i.exec(String(url))?.[1]?.slice(1);
  if (!raw) return '/';
  const text = String(raw);
  try {
    return decodeURIComponent(text);
  } catch {
    return text.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  }
}

/** Why a connection to `target` fails, or undefined when the simulated broker answers (see `createAmqplib`). */
function unreachable(target: Target): Error | undefined {
  const { host, port: portText } = target;
  if (portText === '') return undefined;
  if (!/^\d+$/.test(portText)) {
    return Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}:${portText}`),
      { errno: -3008, code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname: `${host}:${portText}` });
  }
  const port = Number(portText);
  if (port === 0 || port === AMQP_PORT || port === AMQPS_PORT) return undefined;
  if (port > 65535) {
    return Object.assign(new RangeError(`Port should be >= 0 and < 65536. Received type number (${port}).`),
      { code: 'ERR_SOCKET_BAD_PORT' });
  }
  return refusedError(target);
}

/**
 * Node's error for a refused TCP connection to `target` (nothing listens on that port): Error "connect
 * ECONNREFUSED 127.0.0.1:5672" with errno -111, code, syscall, address and port; host names other than IP literals
 * are shown as 127.0.0.1, the port is the protocol's default when none is given.
 */
function refusedError(target: Target): Error {
  const bare = target.host.replace(/^\[|\]$/g, '');
  const address = /^[\d.]+$/.test(bare) || bare.includes(':') ? bare : '127.0.0.1';
  const port = Number(target.port) || (target.protocol === 'amqps:' ? AMQPS_PORT : AMQP_PORT);
  return Object.assign(new Error(`connect ECONNREFUSED ${address}:${port}`),
    { errno: -111, code: 'ECONNREFUSED', syscall: 'connect', address, port });
}
