import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { topicMatches, topicWords } from '../../../simulator/brokers/amqp/model/exchange.ts';

/** The definition, by plain recursion: `*` one word, `#` zero or more words, anything else the same word. */
function reference(p: readonly string[], k: readonly string[]): boolean {
  if (p.length === 0) return k.length === 0;
  const [head, ...rest] = p;
  if (head === '#') return reference(rest, k) || (k.length > 0 && reference(p, k.slice(1)));
  if (k.length === 0) return false;
  return (head === '*' || head === k[0]) && reference(rest, k.slice(1));
}

const word = fc.constantFrom('', 'a', 'b', 'kern');
const key = fc.array(word, { maxLength: 5 }).map((w) => w.join('.'));
const pattern = fc.array(fc.oneof(word, fc.constant('*'), fc.constant('#')), { maxLength: 5 }).map((w) => w.join('.'));

describe('topic exchange matching', () => {
  it('agrees with the recursive definition on generated patterns and keys (empty words included)', () => {
    fc.assert(fc.property(pattern, key, (p, k) => {
      expect(topicMatches(topicWords(p), topicWords(k))).toBe(reference(topicWords(p), topicWords(k)));
    }), { numRuns: 3000 });
  });

  it('treats "" as no word at all and "." as two empty words, as RabbitMQ 3.10 does', () => {
    const m = (p: string, k: string) => topicMatches(topicWords(p), topicWords(k));
    expect(m('*', '')).toBe(false);
    expect(m('#', '')).toBe(true);
    expect(m('', '')).toBe(true);
    expect(m('*.*', '.')).toBe(true);
    expect(m('kern.*', 'kern.')).toBe(true);
    expect(m('a.*.#', 'a.')).toBe(true);
    expect(m('#.x', '.x')).toBe(true);
    expect(m('*.critical', 'critical')).toBe(false);
  });
});
