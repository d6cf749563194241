/**
 * The facade's error classes and protocol error table against kafkajs 2.2's (node_modules/kafkajs/src/errors.js,
 * protocol/error.js): the same names, messages, `retriable`, `type`, `code`, hierarchy and exported set.
 */
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { KAFKA_ERRORS } from '../../../simulator/brokers/kafka/model/errors.ts';
import * as ours from '../../../simulator/brokers/kafka/kafkajs/errors.ts';

const require = createRequire(import.meta.url);
const theirs = require('kafkajs/src/errors.js') as Record<string, new (...args: unknown[]) => Error>;
const { errorCodes, createErrorFromCode } = require('kafkajs/src/protocol/error.js') as {
  errorCodes: Array<{ type: string; code: number; retriable: boolean; message: string; helpUrl?: string }>;
  createErrorFromCode(code: number): Error & Record<string, unknown>;
};
const kafkajsIndex = require('kafkajs') as Record<string, unknown>;

const pick = (e: Error & Record<string, unknown>) => ({
  name: e.name, message: e.message, retriable: e.retriable, type: e.type, code: e.code, helpUrl: e.helpUrl,
  retryCount: e.retryCount, retryTime: e.retryTime, topic: e.topic, partition: e.partition,
});

describe('kafkajs errors', () => {
  test('every protocol error the model uses has kafkajs\'s code, retriable flag, message and help link', () => {
    for (const [type, info] of Object.entries(KAFKA_ERRORS)) {
      const k = errorCodes.find((e) => e.type === type);
      expect(k, type).toBeDefined();
      expect({ type, ...info }).toEqual({ type: k?.type, code: k?.code, retriable: k?.retriable, message: k?.message,
        ...(k?.helpUrl !== undefined ? { helpUrl: k.helpUrl } : {}) });
      expect(pick(ours.protocolError(type as keyof typeof KAFKA_ERRORS) as never)).toEqual(pick(createErrorFromCode(info.code)));
    }
  });

  test('the module exports the same error classes as kafkajs', () => {
    const names = Object.keys(kafkajsIndex).filter((k) => k.startsWith('KafkaJS'));
    expect(Object.keys(ours.ERROR_EXPORTS).sort()).toEqual(names.sort());
  });

  test('classes build the same errors (names, messages, fields, instanceof chains)', () => {
    const protocol = () => createErrorFromCode(25);
    const cases: Array<[string, unknown[]]> = [
      ['KafkaJSError', ['boom']],
      ['KafkaJSError', [{ message: 'from object', helpUrl: 'http://x' }, { retriable: false }]],
      ['KafkaJSNonRetriableError', ['no retry']],
      ['KafkaJSProtocolError', [{ type: 'X', code: 1, retriable: true, message: 'proto' }]],
      ['KafkaJSOffsetOutOfRange', [{ type: 'OFFSET_OUT_OF_RANGE', code: 1, retriable: false, message: 'oor' }, { topic: 't', partition: 2 }]],
      ['KafkaJSNumberOfRetriesExceeded', [new Error('inner'), { retryCount: 5, retryTime: 9000 }]],
      ['KafkaJSConnectionError', ['Connection error: connect ECONNREFUSED 127.0.0.1:9092', { broker: 'localhost:9092', code: 'ECONNREFUSED' }]],
      ['KafkaJSConnectionClosedError', ['Closed connection', { host: 'localhost', port: 9092 }]],
      ['KafkaJSTopicMetadataNotLoaded', ['Topic metadata not loaded', { topic: 't' }]],
      ['KafkaJSBrokerNotFound', ['Broker 3 not found in the cached metadata']],
      ['KafkaJSGroupCoordinatorNotFound', ['Failed to find group coordinator']],
      ['KafkaJSNotImplemented', ['not here']],
      ['KafkaJSLockTimeout', ['lock']],
      ['KafkaJSInvariantViolation', ['oops']],
      ['KafkaJSCreateTopicError', [{ type: 'TOPIC_ALREADY_EXISTS', code: 36, retriable: false, message: 'Topic with this name already exists' }, 'orders']],
      ['KafkaJSAggregateError', ['Topic creation errors', []]],
      ['KafkaJSNoBrokerAvailableError', []],
      ['KafkaJSMemberIdRequired', [{ type: 'MEMBER_ID_REQUIRED', code: 79, message: 'm' }, { memberId: 'c-1' }]],
    ];
    for (const [name, args] of cases) {
      const T = theirs[name];
      const O = (ours.ERROR_EXPORTS as unknown as Record<string, new (...a: unknown[]) => Error>)[name];
      const a = new T(...args) as Error & Record<string, unknown>;
      const b = new O(...args) as Error & Record<string, unknown>;
      expect(pick(b), name).toEqual(pick(a));
      expect(Object.keys(b), name).toEqual(Object.keys(a));
      for (const parent of ['KafkaJSError', 'KafkaJSNonRetriableError', 'KafkaJSProtocolError', 'KafkaJSConnectionError']) {
        expect(b instanceof (ours.ERROR_EXPORTS as unknown as Record<string, new () => Error>)[parent], `${name} instanceof ${parent}`)
          .toBe(a instanceof theirs[parent]);
      }
    }
    void protocol;
  });

  test('KafkaJSNumberOfRetriesExceeded keeps kafkajs\'s stack layout', () => {
    const inner = new Error('inner');
    const a = new theirs.KafkaJSNumberOfRetriesExceeded(inner, { retryCount: 1, retryTime: 2 });
    const b = new ours.KafkaJSNumberOfRetriesExceeded(inner, { retryCount: 1, retryTime: 2 });
    expect(b.stack).toBe(a.stack);
  });
});
