/**
 * kafkajs 2.2's error classes, with the same names, hierarchy, constructor arguments and fields, so a program's
 * `instanceof`, `e.name`, `e.retriable`, `e.type` checks and its printed errors behave as with the real library
 * (node_modules/kafkajs/src/errors.js, protocol/error.js). Written for MQ Lab; every class's behaviour is checked
 * against kafkajs's own in test/unit/kafka/kafkajs-errors.test.ts.
 *
 * Fields are `declare`d (no class-field initializers), so own properties are created in the order kafkajs assigns
 * them and `cause` stays the non-enumerable property `Error` creates: a printed error looks the same.
 *
 * Shapes: `KafkaJSError(messageOrError, { retriable = true, cause })` — `message` is the error's message or the
 * string; `retriable`, `helpUrl` (from an error argument), `cause`. `KafkaJSProtocolError` adds `type` and `code`
 * (the Kafka error's name and number). `KafkaJSNumberOfRetriesExceeded` keeps `retryCount` / `retryTime` and a
 * stack "KafkaJSNonRetriableError\n  Caused by: <cause's stack>", as kafkajs builds it.
 */
import { KAFKA_ERRORS, type KafkaErrorType } from '../model/errors.ts';

type ErrorLike = string | { message?: string; helpUrl?: string; retriable?: boolean; type?: string; code?: unknown; stack?: string };

function messageOf(e: ErrorLike): string {
  return typeof e === 'string' ? e : (e.message || (e as unknown as string));
}

function capture(error: Error, ctor: unknown): void {
  const c = Error as unknown as { captureStackTrace?: (target: object, ctor?: unknown) => void };
  if (typeof c.captureStackTrace === 'function') c.captureStackTrace(error, ctor);
}

/** kafkajs's `KafkaJSError` (extends `Error`; same name, fields and message). */
export class KafkaJSError extends Error {
  declare retriable: boolean;
  declare helpUrl: string | undefined;
  constructor(e: ErrorLike, { retriable = true, cause }: { retriable?: boolean; cause?: unknown } = {}) {
    super(e as string, { cause });
    capture(this, new.target);
    this.message = messageOf(e);
    this.name = 'KafkaJSError';
    this.retriable = retriable;
    this.helpUrl = typeof e === 'string' ? undefined : e.helpUrl;
    this.cause = cause;
  }
}

/** kafkajs's `KafkaJSNonRetriableError` (extends `KafkaJSError`; same name, fields and message). */
export class KafkaJSNonRetriableError extends KafkaJSError {
  constructor(e: ErrorLike, { cause }: { cause?: unknown } = {}) {
    super(e, { retriable: false, cause });
    this.name = 'KafkaJSNonRetriableError';
  }
}

/** kafkajs's `KafkaJSProtocolError` (extends `KafkaJSError`; same name, fields and message). */
export class KafkaJSProtocolError extends KafkaJSError {
  declare type: string | undefined;
  declare code: unknown;
  constructor(e: ErrorLike, { retriable = typeof e === 'string' ? undefined : e.retriable }: { retriable?: boolean } = {}) {
    super(e, { retriable });
    this.type = typeof e === 'string' ? undefined : e.type;
    this.code = typeof e === 'string' ? undefined : e.code;
    this.name = 'KafkaJSProtocolError';
  }
}

/** kafkajs's `KafkaJSOffsetOutOfRange` (extends `KafkaJSProtocolError`; same name, fields and message). */
export class KafkaJSOffsetOutOfRange extends KafkaJSProtocolError {
  declare topic: string;
  declare partition: number;
  constructor(e: ErrorLike, { topic, partition }: { topic: string; partition: number }) {
    super(e);
    this.topic = topic;
    this.partition = partition;
    this.name = 'KafkaJSOffsetOutOfRange';
  }
}

/** kafkajs's `KafkaJSMemberIdRequired` (extends `KafkaJSProtocolError`; same name, fields and message). */
export class KafkaJSMemberIdRequired extends KafkaJSProtocolError {
  declare memberId: string;
  constructor(e: ErrorLike, { memberId }: { memberId: string }) {
    super(e);
    this.memberId = memberId;
    this.name = 'KafkaJSMemberIdRequired';
  }
}

/** kafkajs's `KafkaJSNumberOfRetriesExceeded` (extends `KafkaJSNonRetriableError`; same name, fields and message). */
export class KafkaJSNumberOfRetriesExceeded extends KafkaJSNonRetriableError {
  declare retryCount: number;
  declare retryTime: number;
  constructor(e: Error & ErrorLike, { retryCount, retryTime }: { retryCount: number; retryTime: number }) {
    super(e, { cause: e });
    this.stack = `${this.name}\n  Caused by: ${e.stack}`;
    this.retryCount = retryCount;
    this.retryTime = retryTime;
    this.name = 'KafkaJSNumberOfRetriesExceeded';
  }
}

/** kafkajs's `KafkaJSConnectionError` (extends `KafkaJSError`; same name, fields and message). */
export class KafkaJSConnectionError extends KafkaJSError {
  declare broker: string | undefined;
  declare code: string | undefined;
  constructor(e: ErrorLike, { broker, code }: { broker?: string; code?: string } = {}) {
    super(e);
    this.broker = broker;
    this.code = code;
    this.name = 'KafkaJSConnectionError';
  }
}

/** kafkajs's `KafkaJSConnectionClosedError` (extends `KafkaJSConnectionError`; same name, fields and message). */
export class KafkaJSConnectionClosedError extends KafkaJSConnectionError {
  declare host: string | undefined;
  declare port: number | undefined;
  constructor(e: ErrorLike, { host, port }: { host?: string; port?: number } = {}) {
    super(e, { broker: `${host}:${port}` });
    this.host = host;
    this.port = port;
    this.name = 'KafkaJSConnectionClosedError';
  }
}

/** kafkajs's `KafkaJSRequestTimeoutError` (extends `KafkaJSError`; same name, fields and message). */
export class KafkaJSRequestTimeoutError extends KafkaJSError {
  declare broker: string | undefined;
  declare correlationId: number | undefined;
  declare createdAt: number | undefined;
  declare sentAt: number | undefined;
  declare pendingDuration: number | undefined;
  constructor(e: ErrorLike, o: { broker?: string; correlationId?: number; createdAt?: number; sentAt?: number; pendingDuration?: number } = {}) {
    super(e);
    this.broker = o.broker;
    this.correlationId = o.correlationId;
    this.createdAt = o.createdAt;
    this.sentAt = o.sentAt;
    this.pendingDuration = o.pendingDuration;
    this.name = 'KafkaJSRequestTimeoutError';
  }
}

/** kafkajs's `KafkaJSMetadataNotLoaded` (extends `KafkaJSError`; same name, fields and message). */
export class KafkaJSMetadataNotLoaded extends KafkaJSError {
  constructor(e: ErrorLike, options?: { retriable?: boolean; cause?: unknown }) {
    super(e, options);
    this.name = 'KafkaJSMetadataNotLoaded';
  }
}

/** kafkajs's `KafkaJSTopicMetadataNotLoaded` (extends `KafkaJSMetadataNotLoaded`; same name, fields and message). */
export class KafkaJSTopicMetadataNotLoaded extends KafkaJSMetadataNotLoaded {
  declare topic: string | undefined;
  constructor(e: ErrorLike, { topic }: { topic?: string } = {}) {
    super(e);
    this.topic = topic;
    this.name = 'KafkaJSTopicMetadataNotLoaded';
  }
}

/** kafkajs's `KafkaJSStaleTopicMetadataAssignment` (extends `KafkaJSError`; same name, fields and message). */
export class KafkaJSStaleTopicMetadataAssignment extends KafkaJSError {
  declare topic: string | undefined;
  declare unknownPartitions: number[] | undefined;
  constructor(e: ErrorLike, { topic, unknownPartitions }: { topic?: string; unknownPartitions?: number[] } = {}) {
    super(e);
    this.topic = topic;
    this.unknownPartitions = unknownPartitions;
    this.name = 'KafkaJSStaleTopicMetadataAssignment';
  }
}

/** kafkajs's `KafkaJSDeleteGroupsError` (extends `KafkaJSError`; same name, fields and message). */
export class KafkaJSDeleteGroupsError extends KafkaJSError {
  declare groups: unknown[];
  constructor(e: ErrorLike, groups: unknown[] = []) {
    super(e);
    this.groups = groups;
    this.name = 'KafkaJSDeleteGroupsError';
  }
}

/** kafkajs's `KafkaJSServerDoesNotSupportApiKey` (extends `KafkaJSNonRetriableError`; same name, fields and message). */
export class KafkaJSServerDoesNotSupportApiKey extends KafkaJSNonRetriableError {
  declare apiKey: number | undefined;
  declare apiName: string | undefined;
  constructor(e: ErrorLike, { apiKey, apiName }: { apiKey?: number; apiName?: string } = {}) {
    super(e);
    this.apiKey = apiKey;
    this.apiName = apiName;
    this.name = 'KafkaJSServerDoesNotSupportApiKey';
  }
}

/** kafkajs's `KafkaJSBrokerNotFound` (extends `KafkaJSError`; same name, fields and message). */
export class KafkaJSBrokerNotFound extends KafkaJSError {
  constructor(e: ErrorLike, options?: { retriable?: boolean; cause?: unknown }) {
    super(e, options);
    this.name = 'KafkaJSBrokerNotFound';
  }
}

/** kafkajs's `KafkaJSPartialMessageError` (extends `KafkaJSNonRetriableError`; same name, fields and message). */
export class KafkaJSPartialMessageError extends KafkaJSNonRetriableError {
  constructor(e: ErrorLike, options?: { cause?: unknown }) {
    super(e, options);
    this.name = 'KafkaJSPartialMessageError';
  }
}

/** kafkajs's `KafkaJSSASLAuthenticationError` (extends `KafkaJSNonRetriableError`; same name, fields and message). */
export class KafkaJSSASLAuthenticationError extends KafkaJSNonRetriableError {
  constructor(e: ErrorLike, options?: { cause?: unknown }) {
    super(e, options);
    this.name = 'KafkaJSSASLAuthenticationError';
  }
}

/** kafkajs's `KafkaJSGroupCoordinatorNotFound` (extends `KafkaJSNonRetriableError`; same name, fields and message). */
export class KafkaJSGroupCoordinatorNotFound extends KafkaJSNonRetriableError {
  constructor(e: ErrorLike, options?: { cause?: unknown }) {
    super(e, options);
    this.name = 'KafkaJSGroupCoordinatorNotFound';
  }
}

/** kafkajs's `KafkaJSNotImplemented` (extends `KafkaJSNonRetriableError`; same name, fields and message). */
export class KafkaJSNotImplemented extends KafkaJSNonRetriableError {
  constructor(e: ErrorLike, options?: { cause?: unknown }) {
    super(e, options);
    this.name = 'KafkaJSNotImplemented';
  }
}

/** kafkajs's `KafkaJSTimeout` (extends `KafkaJSNonRetriableError`; same name, fields and message). */
export class KafkaJSTimeout extends KafkaJSNonRetriableError {
  constructor(e: ErrorLike, options?: { cause?: unknown }) {
    super(e, options);
    this.name = 'KafkaJSTimeout';
  }
}

/** kafkajs's `KafkaJSLockTimeout` (extends `KafkaJSTimeout`; same name, fields and message). */
export class KafkaJSLockTimeout extends KafkaJSTimeout {
  constructor(e: ErrorLike, options?: { cause?: unknown }) {
    super(e, options);
    this.name = 'KafkaJSLockTimeout';
  }
}

/** kafkajs's `KafkaJSUnsupportedMagicByteInMessageSet` (extends `KafkaJSNonRetriableError`; same name, fields and message). */
export class KafkaJSUnsupportedMagicByteInMessageSet extends KafkaJSNonRetriableError {
  constructor(e: ErrorLike, options?: { cause?: unknown }) {
    super(e, options);
    this.name = 'KafkaJSUnsupportedMagicByteInMessageSet';
  }
}

/** kafkajs's `KafkaJSDeleteTopicRecordsError` (extends `KafkaJSError`; same name, fields and message). */
export class KafkaJSDeleteTopicRecordsError extends KafkaJSError {
  declare partitions: Array<{ error?: { retriable?: boolean } | null }>;
  constructor({ partitions }: { partitions: Array<{ error?: { retriable?: boolean } | null }> }) {
    const retriable = partitions.filter(({ error }) => error != null).every(({ error }) => error?.retriable === true);
    super('Error while deleting records', { retriable });
    this.name = 'KafkaJSDeleteTopicRecordsError';
    this.partitions = partitions;
  }
}

/** kafkajs's bug-report address (package.json `bugs.url`), used in `KafkaJSInvariantViolation.helpUrl`. */
const ISSUE_URL = 'https://github.com/tulios/kafkajs/issues';

/** kafkajs's `KafkaJSInvariantViolation` (extends `KafkaJSNonRetriableError`; same name, fields and message). */
export class KafkaJSInvariantViolation extends KafkaJSNonRetriableError {
  constructor(e: ErrorLike) {
    const message = messageOf(e);
    super(`Invariant violated: ${message}. This is likely a bug and should be reported.`);
    this.name = 'KafkaJSInvariantViolation';
    const issueTitle = encodeURIComponent(`Invariant violation: ${message}`);
    this.helpUrl = `${ISSUE_URL}/new?assignees=&labels=bug&template=bug_report.md&title=${issueTitle}`;
  }
}

/** kafkajs's `KafkaJSInvalidVarIntError` (extends `KafkaJSNonRetriableError`; same name, fields and message). */
export class KafkaJSInvalidVarIntError extends KafkaJSNonRetriableError {
  constructor(e: ErrorLike, options?: { cause?: unknown }) {
    super(e, options);
    this.name = 'KafkaJSNonRetriableError';
  }
}

/** kafkajs's `KafkaJSInvalidLongError` (extends `KafkaJSNonRetriableError`; same name, fields and message). */
export class KafkaJSInvalidLongError extends KafkaJSNonRetriableError {
  constructor(e: ErrorLike, options?: { cause?: unknown }) {
    super(e, options);
    this.name = 'KafkaJSNonRetriableError';
  }
}

/** kafkajs's `KafkaJSCreateTopicError` (extends `KafkaJSProtocolError`; same name, fields and message). */
export class KafkaJSCreateTopicError extends KafkaJSProtocolError {
  declare topic: string;
  constructor(e: ErrorLike, topicName: string) {
    super(e);
    this.topic = topicName;
    this.name = 'KafkaJSCreateTopicError';
  }
}

/** kafkajs's `KafkaJSAlterPartitionReassignmentsError` (extends `KafkaJSProtocolError`; same name, fields and message). */
export class KafkaJSAlterPartitionReassignmentsError extends KafkaJSProtocolError {
  declare topic: string | undefined;
  declare partition: number | undefined;
  constructor(e: ErrorLike, topicName?: string, partition?: number) {
    super(e);
    this.topic = topicName;
    this.partition = partition;
    this.name = 'KafkaJSAlterPartitionReassignmentsError';
  }
}

/** kafkajs's `KafkaJSAggregateError` (extends `Error`; same name, fields and message). */
export class KafkaJSAggregateError extends Error {
  declare errors: unknown[];
  constructor(message: string, errors: unknown[]) {
    super(message);
    this.errors = errors;
    this.name = 'KafkaJSAggregateError';
  }
}

/** kafkajs's `KafkaJSFetcherRebalanceError` (extends `Error`; same name, fields and message). */
export class KafkaJSFetcherRebalanceError extends Error {}

/** kafkajs's `KafkaJSNoBrokerAvailableError` (extends `KafkaJSError`; same name, fields and message). */
export class KafkaJSNoBrokerAvailableError extends KafkaJSError {
  constructor() {
    super('No broker available');
    this.name = 'KafkaJSNoBrokerAvailableError';
  }
}

/** kafkajs's `isRebalancing(e)`: the errors after which a consumer must rejoin its group. */
export function isRebalancing(e: { type?: unknown }): boolean {
  return e.type === 'REBALANCE_IN_PROGRESS' || e.type === 'NOT_COORDINATOR_FOR_GROUP' || e.type === 'ILLEGAL_GENERATION';
}

/** kafkajs's `isKafkaJSError(e)`. */
export function isKafkaJSError(e: unknown): boolean {
  return e instanceof KafkaJSError;
}

/** The `KafkaJSProtocolError` kafkajs builds for a Kafka error type (`createErrorFromCode`). */
export function protocolError(type: KafkaErrorType): KafkaJSProtocolError {
  const info = KAFKA_ERRORS[type];
  return new KafkaJSProtocolError({ type, code: info.code, retriable: info.retriable, message: info.message,
    ...('helpUrl' in info ? { helpUrl: info.helpUrl } : {}) });
}

/** Kafka error types whose metadata is stale (kafkajs `staleMetadata`): the client refreshes it and retries. */
export function isStaleMetadata(e: { type?: unknown }): boolean {
  return e.type === 'UNKNOWN_TOPIC_OR_PARTITION' || e.type === 'LEADER_NOT_AVAILABLE' || e.type === 'NOT_LEADER_FOR_PARTITION';
}

/** The error classes a kafkajs module exports (`require('kafkajs').KafkaJSError`, …). */
export const ERROR_EXPORTS = {
  KafkaJSError, KafkaJSNonRetriableError, KafkaJSPartialMessageError, KafkaJSBrokerNotFound, KafkaJSProtocolError,
  KafkaJSConnectionError, KafkaJSConnectionClosedError, KafkaJSRequestTimeoutError, KafkaJSSASLAuthenticationError,
  KafkaJSNumberOfRetriesExceeded, KafkaJSOffsetOutOfRange, KafkaJSMemberIdRequired, KafkaJSGroupCoordinatorNotFound,
  KafkaJSNotImplemented, KafkaJSMetadataNotLoaded, KafkaJSTopicMetadataNotLoaded, KafkaJSStaleTopicMetadataAssignment,
  KafkaJSDeleteGroupsError, KafkaJSTimeout, KafkaJSLockTimeout, KafkaJSServerDoesNotSupportApiKey,
  KafkaJSUnsupportedMagicByteInMessageSet, KafkaJSDeleteTopicRecordsError, KafkaJSInvariantViolation,
  KafkaJSInvalidVarIntError, KafkaJSInvalidLongError, KafkaJSCreateTopicError, KafkaJSAggregateError,
  KafkaJSFetcherRebalanceError, KafkaJSNoBrokerAvailableError, KafkaJSAlterPartitionReassignmentsError,
};
