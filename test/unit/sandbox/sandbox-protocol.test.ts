/**
 * The page's guards on everything the sandbox sends (src/workers/sandbox-protocol.ts): learner code can post any
 * value on the worker's real global, so only the protocol's exact shapes get through.
 */
import { describe, expect, it } from 'vitest';
import { isRunResult, parseFrameMessage, parseWorkerMessage } from '../../../src/workers/sandbox-protocol.ts';

const result = {
  status: 'completed',
  endedAtMs: 12,
  trace: [{ t: 0, kind: 'console', level: 'log', text: 'hi' }],
  console: [{ t: 0, level: 'log', text: 'hi' }],
};

describe('parseWorkerMessage', () => {
  it('accepts the protocol messages and normalises console lines to a batch', () => {
    expect(parseWorkerMessage({ type: 'started' })).toEqual({ type: 'started' });
    expect(parseWorkerMessage({ type: 'console', line: { t: 1, level: 'warn', text: 'a' } }))
      .toEqual({ type: 'console', lines: [{ t: 1, level: 'warn', text: 'a' }] });
    expect(parseWorkerMessage({ type: 'console', lines: [{ t: 1, level: 'log', text: 'a' }] }))
      .toEqual({ type: 'console', lines: [{ t: 1, level: 'log', text: 'a' }] });
    expect(parseWorkerMessage({ type: 'done', result })).toEqual({ type: 'done', result });
    expect(parseWorkerMessage({ type: 'failed', error: { name: 'E', message: 'm' } }))
      .toEqual({ type: 'failed', error: { name: 'E', message: 'm' } });
  });

  it('refuses unknown types, wrong field types and non-objects', () => {
    for (const bad of [null, undefined, 42, 'done', [], { type: 'done' }, { type: 'evil' },
      { type: 'console', lines: [{ t: 'x', level: 'log', text: 'a' }] },
      { type: 'console', lines: [{ t: 1, level: 'shout', text: 'a' }] },
      { type: 'console', lines: 'many' },
      { type: 'failed', error: { name: 1, message: 'm' } }]) {
      expect(parseWorkerMessage(bad)).toBeUndefined();
    }
  });
});

describe('isRunResult', () => {
  it('refuses a result whose trace, console, status, time or error is malformed', () => {
    expect(isRunResult(result)).toBe(true);
    expect(isRunResult({ ...result, trace: 'not a trace' })).toBe(false);
    expect(isRunResult({ ...result, trace: [{ t: Number.NaN, kind: 'x' }] })).toBe(false);
    expect(isRunResult({ ...result, trace: [{ t: 1 }] })).toBe(false);
    expect(isRunResult({ ...result, console: [{ t: 0, level: 'log' }] })).toBe(false);
    expect(isRunResult({ ...result, status: 'owned' })).toBe(false);
    expect(isRunResult({ ...result, endedAtMs: -1 })).toBe(false);
    expect(isRunResult({ ...result, endedAtMs: Infinity })).toBe(false);
    expect(isRunResult({ ...result, error: { name: 'E', message: 'm', line: 1.5 } })).toBe(false);
    expect(isRunResult({ ...result, status: 'error', error: { name: 'E', message: 'm', line: 3, column: 1 } })).toBe(true);
  });
});

describe('parseFrameMessage', () => {
  it('accepts ready, pong and error; cuts long error text; refuses the rest', () => {
    expect(parseFrameMessage({ type: 'mqlab-sandbox:ready' })).toEqual({ type: 'mqlab-sandbox:ready' });
    expect(parseFrameMessage({ type: 'mqlab-sandbox:pong', n: 3 })).toEqual({ type: 'mqlab-sandbox:pong', n: 3 });
    expect(parseFrameMessage({ type: 'mqlab-sandbox:pong', n: 'x' })).toBeUndefined();
    const long = parseFrameMessage({ type: 'mqlab-sandbox:error', message: 'e'.repeat(10_000) });
    expect(long?.type === 'mqlab-sandbox:error' && long.message.length).toBe(2_000);
    expect(parseFrameMessage({ type: 'mqlab-sandbox:run' })).toBeUndefined();
    expect(parseFrameMessage(null)).toBeUndefined();
  });
});
