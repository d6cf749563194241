import type { AmqpMethodRef } from '../model/errors.ts';
import type { CloseReason } from '../../../trace.ts';

/**
 * amqplib's IllegalOperationError (node_modules/amqplib/lib/error.js): thrown (or rejected) when using a channel or
 * connection that is closed or closing; `message` is e.g. "Channel closed" or "Connection closed (by client)".
 */
export class IllegalOperationError extends Error {
  /** amqplib keeps the stack captured when the object changed state; here a short description of it. */
  readonly stackAtStateChange: string;
  constructor(message: string, stackAtStateChange = '') {
    super(message);
    this.name = 'IllegalOperationError';
    this.stackAtStateChange = stackAtStateChange;
  }
}

/** amqplib's names for reply codes (node_modules/amqplib/lib/defs.js `constant_strs`). */
const CONSTANT_STRS: Readonly<Record<number, string>> = {
  200: 'REPLY-SUCCESS', 311: 'CONTENT-TOO-LARGE', 312: 'NO-ROUTE', 313: 'NO-CONSUMERS', 320: 'CONNECTION-FORCED',
  402: 'INVALID-PATH', 403: 'ACCESS-REFUSED', 404: 'NOT-FOUND', 405: 'RESOURCE-LOCKED', 406: 'PRECONDITION-FAILED',
  501: 'FRAME-ERROR', 502: 'SYNTAX-ERROR', 503: 'COMMAND-INVALID', 504: 'CHANNEL-ERROR', 505: 'UNEXPECTED-FRAME',
  506: 'RESOURCE-ERROR', 530: 'NOT-ALLOWED', 540: 'NOT-IMPLEMENTED', 541: 'INTERNAL-ERROR',
};

/** `404 (NOT-FOUND) with message "NOT_FOUND - …"` (amqplib lib/format.js closeMessage). */
export function closeMessage(reason: CloseReason): string {
  return `${reason.code} (${CONSTANT_STRS[reason.code]}) with message "${reason.text}"`;
}

/** An Error carrying `code`, `classId`, `methodId` like amqplib's close-frame errors (lib/channel.js). */
export interface ServerCloseError extends Error {
  code: number;
  classId?: number;
  methodId?: number;
}

/** Builds the Error amqplib makes from a close frame. */
export function serverCloseError(message: string, reason: CloseReason, method?: AmqpMethodRef): ServerCloseError {
  const error = new Error(message) as ServerCloseError;
  error.code = reason.code;
  if (method) {
    error.classId = method.classId;
    error.methodId = method.methodId;
  }
  return error;
}
