import { describe, expect, it } from 'vitest';
import { rankSubResults, resultCountText, safeExcerpt } from '../../../src/components/site/search.ts';

describe('search sub-results', () => {
  it('lists the section named exactly by the query first, then sections containing it, then by number of matches, without the page itself', () => {
    const subs = [
      { title: 'Glossary', url: '/g/', excerpt: '', locations: [1] },
      { title: 'acknowledgement', url: '/g/#ack', excerpt: '', locations: [1, 2] },
      { title: 'broker', url: '/g/#broker', excerpt: '', locations: [1, 2, 3] },
      { title: 'consumer group', url: '/g/#consumer-group', excerpt: '', locations: [4] },
      { title: 'consumer group lag', url: '/g/#consumer-group-lag', excerpt: '', locations: [4, 5, 6, 7] },
    ];
    expect(rankSubResults(subs, '/g/', 'Glossary', 'Consumer group').map((s) => s.title)).toEqual(['consumer group', 'consumer group lag', 'broker', 'acknowledgement']);
  });
  it('keeps only <mark> from an excerpt', () => {
    expect(safeExcerpt('a <mark>queue</mark> <img src=x onerror=alert(1)> &amp; b')).toBe('a <mark>queue</mark> &lt;img src=x onerror=alert(1)&gt; &amp; b');
  });
  it('says how many pages match, with the verb agreeing ("1 page matches", "2 pages match")', () => {
    expect(resultCountText(0, 'x')).toBe('No results for “x”.');
    expect(resultCountText(1, 'ack')).toBe('1 page matches “ack”.');
    expect(resultCountText(2, 'ack')).toBe('2 pages match “ack”.');
  });
});
