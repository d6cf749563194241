/**
 * Kafka protocol errors the model returns, with the numeric code of the Kafka protocol
 * (https://kafka.apache.org/protocol#protocol_error_codes) and the type name, retriable flag and message kafkajs
 * 2.2 attaches to them (node_modules/kafkajs/src/protocol/error.js; kafkajs keeps the pre-2.0 names for codes 15
 * and 16: GROUP_COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR_FOR_GROUP). The model answers requests with the type
 * name; the kafkajs facade turns it into a `KafkaJSProtocolError` carrying these fields, so a program sees what
 * kafkajs would show. test/unit/kafka/errors.test.ts checks every entry against kafkajs's table.
 */

/** One protocol error: code, whether kafkajs retries it, its message (and kafkajs's help link, if any). */
export interface KafkaErrorInfo {
  code: number;
  retriable: boolean;
  message: string;
  helpUrl?: string;
}

/** Error type → code, retriable flag, message (kafkajs's), help link. */
export const KAFKA_ERRORS = {
  OFFSET_OUT_OF_RANGE: {
    code: 1, retriable: false,
    message: 'The requested offset is not within the range of offsets maintained by the server',
  },
  UNKNOWN_TOPIC_OR_PARTITION: {
    code: 3, retriable: true,
    message: 'This server does not host this topic-partition',
  },
  LEADER_NOT_AVAILABLE: {
    code: 5, retriable: true,
    message: 'There is no leader for this topic-partition as we are in the middle of a leadership election',
  },
  NOT_LEADER_FOR_PARTITION: {
    code: 6, retriable: true,
    message: 'This server is not the leader for that topic-partition',
  },
  REQUEST_TIMED_OUT: {
    code: 7, retriable: true,
    message: 'The request timed out',
  },
  MESSAGE_TOO_LARGE: {
    code: 10, retriable: false,
    message: 'The request included a message larger than the max message size the server will accept',
  },
  GROUP_COORDINATOR_NOT_AVAILABLE: {
    code: 15, retriable: true,
    message: 'The group coordinator is not available',
  },
  NOT_COORDINATOR_FOR_GROUP: {
    code: 16, retriable: true,
    message: 'This is not the correct coordinator for this group',
  },
  INVALID_TOPIC_EXCEPTION: {
    code: 17, retriable: false,
    message: 'The request attempted to perform an operation on an invalid topic',
  },
  NOT_ENOUGH_REPLICAS: {
    code: 19, retriable: true,
    message: 'Messages are rejected since there are fewer in-sync replicas than required',
  },
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: {
    code: 20, retriable: true,
    message: 'Messages are written to the log, but to fewer in-sync replicas than required',
  },
  INVALID_REQUIRED_ACKS: {
    code: 21, retriable: false,
    message: 'Produce request specified an invalid value for required acks',
  },
  ILLEGAL_GENERATION: {
    code: 22, retriable: false,
    message: 'Specified group generation id is not valid',
  },
  INCONSISTENT_GROUP_PROTOCOL: {
    code: 23, retriable: false,
    message: "The group member's supported protocols are incompatible with those of existing members",
  },
  INVALID_GROUP_ID: {
    code: 24, retriable: false,
    message: 'The configured groupId is invalid',
  },
  UNKNOWN_MEMBER_ID: {
    code: 25, retriable: false,
    message: 'The coordinator is not aware of this member',
  },
  INVALID_SESSION_TIMEOUT: {
    code: 26, retriable: false,
    message: 'The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms)',
  },
  REBALANCE_IN_PROGRESS: {
    code: 27, retriable: false,
    message: 'The group is rebalancing, so a rejoin is needed',
    helpUrl: 'https://kafka.js.org/docs/faq#what-does-it-mean-to-get-rebalance-in-progress-errors',
  },
  TOPIC_ALREADY_EXISTS: {
    code: 36, retriable: false,
    message: 'Topic with this name already exists',
  },
  INVALID_PARTITIONS: {
    code: 37, retriable: false,
    message: 'Number of partitions is invalid',
  },
  INVALID_REPLICATION_FACTOR: {
    code: 38, retriable: false,
    message: 'Replication-factor is invalid',
  },
  INVALID_CONFIG: {
    code: 40, retriable: false,
    message: 'Configuration is invalid',
  },
  NOT_CONTROLLER: {
    code: 41, retriable: true,
    message: 'This is not the correct controller for this cluster',
  },
  OUT_OF_ORDER_SEQUENCE_NUMBER: {
    code: 45, retriable: false,
    message: 'The broker received an out of order sequence number',
  },
  DUPLICATE_SEQUENCE_NUMBER: {
    code: 46, retriable: false,
    message: 'The broker received a duplicate sequence number',
  },
  NON_EMPTY_GROUP: {
    code: 68, retriable: false,
    message: 'The group is not empty',
  },
  GROUP_ID_NOT_FOUND: {
    code: 69, retriable: false,
    message: 'The group id was not found',
  },
  MEMBER_ID_REQUIRED: {
    code: 79, retriable: false,
    message: 'The group member needs to have a valid member id before actually entering a consumer group',
  },
  INVALID_PRODUCER_EPOCH: {
    code: 47, retriable: false,
    message:
      "Producer attempted an operation with an old epoch. Either there is a newer producer with the same transactionalId, or the producer's transaction has been expired by the broker",
  },
  INVALID_REQUEST: {
    code: 42, retriable: false,
    message:
      'This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details',
  },
} as const satisfies Record<string, KafkaErrorInfo>;

/** The name of a Kafka protocol error the model can return. */
export type KafkaErrorType = keyof typeof KAFKA_ERRORS;

/** The protocol code of an error type (0 for none). */
export function kafkaErrorCode(type: KafkaErrorType | undefined): number {
  return type === undefined ? 0 : KAFKA_ERRORS[type].code;
}
