/**
 * Glossary lookups shared by the glossary page, the lesson link plugin (`glossary-links.ts`) and the tests.
 * Pure functions over `content/glossary/terms.ts`; no DOM, no Astro APIs.
 */
import type { GlossaryTerm } from '../../content/glossary/terms.ts';

/** URL fragment of a term: lower case, runs of anything but a–z/0–9 become "-" (`routing key` → `routing-key`). */
export function termSlug(term: string): string {
  return term.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
}

/** Normalises a phrase for matching: lower case, single spaces, curly quotes straightened, trimmed. */
export function normalizePhrase(text: string): string {
  return text.toLowerCase().replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim();
}

/**
 * Map from every spelling (term, aliases, and each with a trailing "s" added or removed) to the term's slug.
 * Throws `Error('glossary: "x" is claimed by both a and b')` when two terms claim the same spelling, and
 * `Error('glossary: duplicate slug …')` when two terms have the same slug, so a clash is caught by the build.
 */
export function buildTermIndex(terms: readonly GlossaryTerm[]): Map<string, string> {
  const index = new Map<string, string>();
  const exact = new Map<string, string>();
  const slugs = new Set<string>();
  for (const entry of terms) {
    const slug = termSlug(entry.term);
    if (slugs.has(slug)) throw new Error(`glossary: duplicate slug "${slug}" (term "${entry.term}")`);
    slugs.add(slug);
    for (const spelling of [entry.term, ...(entry.aliases ?? [])]) {
      const key = normalizePhrase(spelling);
      const owner = exact.get(key);
      if (owner !== undefined && owner !== slug) throw new Error(`glossary: "${key}" is claimed by both ${owner} and ${slug}`);
      exact.set(key, slug);
    }
  }
  // Plural/singular variants never override an exact spelling of another term.
  for (const [key, slug] of exact) {
    index.set(key, slug);
    const variant = key.endsWith('s') ? key.slice(0, -1) : `${key}s`;
    if (!exact.has(variant) && !index.has(variant)) index.set(variant, slug);
  }
  return index;
}

/** Slug of the term `phrase` names (term, alias or simple plural), or undefined. */
export function findTermSlug(index: Map<string, string>, phrase: string): string | undefined {
  return index.get(normalizePhrase(phrase));
}

/** A lesson (written or planned) as the glossary needs it. */
export interface LessonRef {
  id: string;
  title: string;
  concepts: readonly string[];
  /** True when the lesson page exists. */
  available: boolean;
}

/**
 * For each term slug, the lessons whose `concepts` name it (in course order). Concepts that match no term are
 * returned in `unknown` as `"lesson-id: concept"` (the course test requires it to be empty).
 */
export function lessonsByTerm(index: Map<string, string>, lessons: readonly LessonRef[]): {
  bySlug: Map<string, LessonRef[]>;
  unknown: string[];
} {
  const bySlug = new Map<string, LessonRef[]>();
  const unknown: string[] = [];
  for (const lesson of lessons) {
    for (const concept of lesson.concepts) {
      const slug = findTermSlug(index, concept);
      if (slug === undefined) {
        unknown.push(`${lesson.id}: ${concept}`);
        continue;
      }
      const list = bySlug.get(slug) ?? [];
      if (!list.includes(lesson)) list.push(lesson);
      bySlug.set(slug, list);
    }
  }
  return { bySlug, unknown };
}
