/**
 * Rehype plugin: links the first bold mention (`**queue**`) of each glossary term on a page to its glossary entry
 * (`<base>glossary/#<slug>`), as `<strong><a class="term-link" href=…>queue</a></strong>`. Bold text that names no
 * term (or alias, or simple plural) is left alone, as is bold text already inside a link or a heading.
 * Registered in `astro.config.mjs` (`markdown.rehypePlugins`, which MDX inherits).
 */
import { GLOSSARY } from '../../content/glossary/terms.ts';
import { buildTermIndex, findTermSlug } from './glossary.ts';

/** The minimal hast shapes this plugin touches. */
interface HastNode { type: string; tagName?: string; value?: string; properties?: Record<string, unknown>; children?: HastNode[] }

const SKIP = new Set(['a', 'code', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'button', 'script', 'style']);

/** `base` is the site's base path ending with "/" (e.g. "/mq-lab/"). */
export function rehypeGlossaryLinks(options: { base: string }) {
  const index = buildTermIndex(GLOSSARY);
  const href = (slug: string) => `${options.base}glossary/#${slug}`;
  return (tree: HastNode) => {
    const linked = new Set<string>();
    const visit = (node: HastNode) => {
      if (node.type === 'element' && node.tagName && SKIP.has(node.tagName)) return;
      if (node.type === 'element' && node.tagName === 'strong' && node.children?.length === 1 && node.children[0].type === 'text') {
        const text = node.children[0].value ?? '';
        const slug = findTermSlug(index, text);
        if (slug !== undefined && !linked.has(slug)) {
          linked.add(slug);
          node.children = [{
            type: 'element', tagName: 'a',
            properties: { href: href(slug), className: ['term-link'], title: 'Glossary entry' },
            children: [{ type: 'text', value: text }],
          }];
        }
        return;
      }
      for (const child of node.children ?? []) visit(child);
    };
    visit(tree);
  };
}
