import { describe, expect, it } from 'vitest';
import { compressToEncodedURIComponent } from 'lz-string';
import { decodeShare, encodeShare, SHARE_CHARS_MAX, shareUrl, type ShareState } from '../../../src/lib/share.ts';

const STATE: ShareState = {
  v: 1,
  sims: { '01-work-queue': { knobs: { consumerCount: 3, ackMode: 'auto' }, faults: [{ id: 'crash-worker', target: '1', atMs: 2000 }], atMs: 2500, seed: 42 } },
  code: { '01-first-worker': { files: [{ name: 'photo-workers.mjs', code: 'console.log("hi");\n' }] } },
};

describe('share links', () => {
  it('round-trip knobs, faults, seed, time and code through the URL hash', async () => {
    const url = await shareUrl(STATE, { origin: 'https://example.org', pathname: '/mq-lab/lessons/01-work-queue/', search: '' });
    expect(url.startsWith('https://example.org/mq-lab/lessons/01-work-queue/#share=')).toBe(true);
    const decoded = await decodeShare(url.slice(url.indexOf('#share=') + '#share='.length));
    expect(decoded).toEqual(STATE);
  });

  it('refuse a damaged, foreign, newer or oversized link with a sentence, never throwing', async () => {
    const good = await encodeShare(STATE);
    const cases: Array<[string, RegExp]> = [
      [good.slice(0, good.length / 2) + '%%', /damaged/],
      ['!!!', /damaged/],
      [compressToEncodedURIComponent('{not json'), /damaged \(its contents are not readable\)/],
      [compressToEncodedURIComponent(JSON.stringify({ v: 2 })), /not a share link of MQ Lab/],
      [compressToEncodedURIComponent('[1,2]'), /not a share link of MQ Lab/],
      ['A'.repeat(SHARE_CHARS_MAX + 1), /too long \(100,001 characters/],
    ];
    for (const [text, message] of cases) {
      const decoded = await decodeShare(text);
      expect(decoded, text.slice(0, 20)).toBeInstanceOf(Error);
      expect((decoded as Error).message).toMatch(message);
    }
  });

  it('drop the parts of a link that have the wrong shape and keep the rest', async () => {
    const text = compressToEncodedURIComponent(JSON.stringify({
      v: 1,
      sims: { a: { knobs: 7, atMs: -5, seed: 'x', faults: 'no' }, b: 'junk', c: { atMs: 100, seed: 9 } },
      code: { r: { files: [{ name: 'a.mjs', code: 1 }, { name: 'b.mjs', code: 'ok' }] }, s: { files: 'x' } },
    }));
    expect(await decodeShare(text)).toEqual({
      v: 1,
      sims: { a: {}, c: { atMs: 100, seed: 9 } },
      code: { r: { files: [{ name: 'b.mjs', code: 'ok' }] } },
    });
  });
});
