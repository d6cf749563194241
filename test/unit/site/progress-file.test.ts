import { describe, expect, it } from 'vitest';
import { parseProgressFile, serializeProgressFile } from '../../../src/lib/progress-file.ts';
import { continueTarget } from '../../../src/lib/continue.ts';

describe('progress file', () => {
  it('round-trips exported progress', () => {
    const progress = { lessons: { '01-work-queue': { read: true, exercisePassed: true }, '02-x': { read: true } } };
    const text = serializeProgressFile(progress, '2026-01-01T00:00:00.000Z');
    expect(parseProgressFile(text)).toEqual({ ok: true, progress });
  });

  it.each([
    ['not JSON', 'hello', /not valid JSON/],
    ['another format', '{"format":"x","version":1,"lessons":{}}', /"format" must be "mq-lab-progress"/],
    ['a newer version', '{"format":"mq-lab-progress","version":2,"lessons":{}}', /version 2/],
    ['no lessons', '{"format":"mq-lab-progress","version":1}', /no "lessons" object/],
    ['a bad id', '{"format":"mq-lab-progress","version":1,"lessons":{"../x":{}}}', /invalid lesson id/],
    ['a non-boolean flag', '{"format":"mq-lab-progress","version":1,"lessons":{"01-a":{"read":"yes"}}}', /"read" must be true or false/],
    ['an unknown field', '{"format":"mq-lab-progress","version":1,"lessons":{"01-a":{"score":3}}}', /unknown field "score"/],
  ])('rejects %s with a clear message', (_name, text, message) => {
    const result = parseProgressFile(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it('rejects files over the size limit', () => {
    const result = parseProgressFile(' '.repeat(300 * 1024));
    expect(result.ok).toBe(false);
  });
});

describe('continueTarget', () => {
  const ids = ['01-a', '02-b', '03-c'];
  it('starts at the first lesson without progress', () => {
    expect(continueTarget(ids, { lessons: {} })).toEqual({ id: '01-a', started: false });
  });
  it('returns to the furthest lesson whose exercise is not passed', () => {
    expect(continueTarget(ids, { lessons: { '01-a': { exercisePassed: true }, '02-b': { read: true } } })).toEqual({ id: '02-b', started: true });
  });
  it('moves on after a passed exercise, and is undefined when everything is passed', () => {
    expect(continueTarget(ids, { lessons: { '01-a': { read: true, exercisePassed: true } } })).toEqual({ id: '02-b', started: true });
    expect(continueTarget(ids, { lessons: { '01-a': { exercisePassed: true }, '02-b': { exercisePassed: true }, '03-c': { exercisePassed: true } } })).toBeUndefined();
  });
});
