/**
 * The glossary and the lessons agree: a term a lesson explains (its bold mention, which links to the glossary
 * entry) lists that lesson under "Taught in", derived exactly as the glossary page derives it (course map →
 * `lessonsByTerm`), and every glossary term is taught by some lesson, written or planned.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFrontmatter } from '@astrojs/markdown-remark';
import { describe, expect, it } from 'vitest';
import { COURSE } from '../../../content/course.ts';
import { GLOSSARY } from '../../../content/glossary/terms.ts';
import { buildCourseMap } from '../../../src/lib/course-map.ts';
import { buildTermIndex, findTermSlug, lessonsByTerm, termSlug } from '../../../src/lib/glossary.ts';
import type { LessonFrontmatter } from '../../../src/lib/lesson-schema.ts';

const LESSONS_DIR = 'content/lessons';
const index = buildTermIndex(GLOSSARY);
const written = readdirSync(LESSONS_DIR).filter((f) => f.endsWith('.mdx')).map((file) => {
  const { frontmatter, content } = parseFrontmatter(readFileSync(join(LESSONS_DIR, file), 'utf8'));
  return { id: file.replace(/\.mdx$/, ''), data: frontmatter as LessonFrontmatter, body: content };
});
/** "Taught in" of every term slug, as the glossary page computes it. */
const taughtIn = lessonsByTerm(index, buildCourseMap(COURSE, written).flatMap((m) => m.entries)).bySlug;

/** Slugs of the glossary terms a lesson body sets in bold (`**work queue**`), as the glossary links see them. */
function boldTerms(body: string): string[] {
  const slugs = [...body.matchAll(/\*\*([^*\n]+)\*\*/g)].map((m) => findTermSlug(index, m[1]));
  return [...new Set(slugs.filter((slug): slug is string => slug !== undefined))];
}

describe('glossary "Taught in" and the lessons', () => {
  it('finds bold glossary terms by name, alias and plural, and skips other bold text', () => {
    expect(boldTerms('A **work queue**, **Try:** **acks** and **Workers**, **queues**.')).toEqual(['work-queue', 'acknowledgement', 'queue']);
  });

  it.each(written.map((lesson) => [lesson.id, lesson] as const))('every term %s explains (sets in bold) lists it under "Taught in"', (_id, lesson) => {
    const missing = boldTerms(lesson.body).filter((slug) => !(taughtIn.get(slug) ?? []).some((l) => l.id === lesson.id));
    expect(missing, `bold in ${lesson.id} but not in its frontmatter concepts`).toEqual([]);
  });

  it('every glossary term is taught by at least one lesson, written or planned', () => {
    const orphans = GLOSSARY.map((t) => termSlug(t.term)).filter((slug) => (taughtIn.get(slug) ?? []).length === 0);
    expect(orphans).toEqual([]);
  });
});
