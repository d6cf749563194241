import { describe, expect, it } from 'vitest';
import { buildTermIndex, findTermSlug, termSlug } from '../../../src/lib/glossary.ts';
import { rehypeGlossaryLinks } from '../../../src/lib/glossary-links.ts';

describe('glossary index', () => {
  const index = buildTermIndex([
    { term: 'routing key', definition: 'd' },
    { term: 'acknowledgement', aliases: ['ack'], definition: 'd' },
    { term: 'queue', definition: 'd' },
  ]);

  it('slugs terms for URLs', () => {
    expect(termSlug('Routing key')).toBe('routing-key');
    expect(termSlug('publish/subscribe')).toBe('publish-subscribe');
  });

  it('finds terms by name, alias and simple plural, case-insensitively', () => {
    expect(findTermSlug(index, 'Routing Keys')).toBe('routing-key');
    expect(findTermSlug(index, 'acks')).toBe('acknowledgement');
    expect(findTermSlug(index, 'queues')).toBe('queue');
    expect(findTermSlug(index, 'Workers')).toBeUndefined();
  });

  it('rejects two terms claiming the same spelling', () => {
    expect(() => buildTermIndex([{ term: 'ack', definition: 'd' }, { term: 'acknowledgement', aliases: ['ack'], definition: 'd' }]))
      .toThrow(/"ack" is claimed by both ack and acknowledgement/);
  });
});

describe('rehypeGlossaryLinks', () => {
  type Node = { type: string; tagName?: string; value?: string; properties?: Record<string, unknown>; children?: Node[] };
  const strong = (text: string): Node => ({ type: 'element', tagName: 'strong', children: [{ type: 'text', value: text }] });
  const tree = (): Node => ({ type: 'root', children: [
    { type: 'element', tagName: 'p', children: [strong('queue'), strong('Try:'), strong('queues')] },
    { type: 'element', tagName: 'h2', children: [strong('prefetch')] },
    { type: 'element', tagName: 'p', children: [strong('prefetch')] },
  ] });

  it('links the first bold mention of each term to its glossary entry under the base path', () => {
    const t = tree();
    rehypeGlossaryLinks({ base: '/mq-lab/' })(t as never);
    const [p1, h2, p2] = t.children!;
    const link = p1.children![0].children![0];
    expect(link).toMatchObject({ tagName: 'a', properties: { href: '/mq-lab/glossary/#queue' } });
    expect(p1.children![1].children![0].type).toBe('text'); // "Try:" is no term
    expect(p1.children![2].children![0].type).toBe('text'); // second mention of queue stays plain
    expect(h2.children![0].children![0].type).toBe('text'); // headings are left alone
    expect(p2.children![0].children![0]).toMatchObject({ tagName: 'a', properties: { href: '/mq-lab/glossary/#prefetch' } });
  });
});
