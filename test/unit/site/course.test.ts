import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFrontmatter } from '@astrojs/markdown-remark';
import { describe, expect, it } from 'vitest';
import { COURSE } from '../../../content/course.ts';
import { GLOSSARY } from '../../../content/glossary/terms.ts';
import { availableLessons, buildCourseMap, comingSoonLessons } from '../../../src/lib/course-map.ts';
import { buildTermIndex, lessonsByTerm } from '../../../src/lib/glossary.ts';
import { checkLessonFrontmatter, type LessonFrontmatter } from '../../../src/lib/lesson-schema.ts';

const LESSONS_DIR = 'content/lessons';

function frontmatterOf(file: string): unknown {
  return parseFrontmatter(readFileSync(join(LESSONS_DIR, file), 'utf8')).frontmatter;
}

const written = readdirSync(LESSONS_DIR).filter((f) => f.endsWith('.mdx')).map((file) => ({
  file,
  id: file.replace(/\.mdx$/, ''),
  data: frontmatterOf(file) as LessonFrontmatter,
}));

describe('course plan and lesson files', () => {
  it('every lesson file passes the frontmatter schema', () => {
    for (const lesson of written) expect(checkLessonFrontmatter(`${LESSONS_DIR}/${lesson.file}`, lesson.data)).toEqual([]);
  });

  it('every lesson file is in the plan, under its frontmatter module', () => {
    for (const lesson of written) {
      const module = COURSE.find((m) => m.lessons.some((l) => l.id === lesson.id));
      expect(module?.title, `${lesson.file} is not in content/course.ts`).toBe(lesson.data.module);
    }
  });

  it('lesson files are in the same order in the plan as their `order` fields', () => {
    const planOrder = COURSE.flatMap((m) => m.lessons.map((l) => l.id)).filter((id) => written.some((w) => w.id === id));
    const byOrder = [...written].sort((a, b) => a.data.order - b.data.order).map((w) => w.id);
    expect(planOrder).toEqual(byOrder);
  });

  it('plan ids are unique and look like file names', () => {
    const ids = COURSE.flatMap((m) => m.lessons.map((l) => l.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^\d\d-[a-z0-9-]+$/);
  });

  it('the plan covers the seed topics', () => {
    const text = JSON.stringify(COURSE).toLowerCase();
    for (const topic of ['decoupling', 'scalability', 'reliability', 'asynchronous', 'load leveling', 'point-to-point',
      'publish/subscribe', 'request-reply', 'rabbitmq', 'kafka', 'redis', 'sqs', 'activemq', 'google cloud pub/sub',
      'monitoring', 'security', 'error']) {
      expect(text, topic).toContain(topic);
    }
  });

  it('every concept of every lesson, written or planned, has a glossary entry', () => {
    const index = buildTermIndex(GLOSSARY);
    const map = buildCourseMap(COURSE, written);
    const { unknown } = lessonsByTerm(index, map.flatMap((m) => m.entries));
    expect(unknown).toEqual([]);
  });

  it('the glossary has the terms the issue names', () => {
    const index = buildTermIndex(GLOSSARY);
    for (const term of ['producer', 'consumer', 'broker', 'exchange', 'binding', 'routing key', 'prefetch', 'ack',
      'dead-letter', 'partition', 'offset', 'consumer group', 'lag', 'visibility timeout']) {
      expect(index.has(term), term).toBe(true);
    }
  });
});

describe('buildCourseMap', () => {
  const plan = [
    { title: 'A', summary: 'a', lessons: [{ id: '01-x', title: 'X planned', durationMin: 5, concepts: ['queue'] }, { id: '02-y', title: 'Y', durationMin: 7, concepts: [] }] },
  ];
  const lesson = (id: string, module: string, order: number) => ({ id, data: { title: `${id} real`, module, order, durationMin: 9, concepts: ['broker'], summary: 's' } });

  it('uses the written frontmatter over the plan and marks only written lessons available', () => {
    const map = buildCourseMap(plan, [lesson('01-x', 'A', 1)]);
    expect(map[0].entries.map((e) => [e.id, e.title, e.durationMin, e.available, e.number])).toEqual([
      ['01-x', '01-x real', 9, true, 1], ['02-y', 'Y', 7, false, 2]]);
    expect(availableLessons(map).map((e) => e.id)).toEqual(['01-x']);
  });

  it('never hides a written lesson missing from the plan', () => {
    const map = buildCourseMap(plan, [lesson('09-z', 'New module', 9)]);
    expect(map.map((m) => m.title)).toEqual(['A', 'New module']);
    expect(map[1].entries[0]).toMatchObject({ id: '09-z', available: true, number: 3 });
  });
});

describe('comingSoonLessons', () => {
  const plan = [
    { title: 'A', summary: 'a', lessons: [
      { id: '01-x', title: 'X', durationMin: 5, concepts: ['queue'] },
      { id: '02-y', title: 'Y', durationMin: 7, concepts: ['broker'] },
      { id: '03-z', title: 'Z', durationMin: 7, concepts: [] },
    ] },
  ];
  const lesson = (id: string) => ({ id, data: { title: id, module: 'A', order: 1, durationMin: 9, concepts: [], summary: 's' } });

  it('lists every planned lesson without a file, with its module and a written lesson to read meanwhile', () => {
    const soon = comingSoonLessons(buildCourseMap(plan, [lesson('02-y')]));
    expect(soon.map((s) => [s.entry.id, s.module.title, s.meanwhile?.id])).toEqual([['01-x', 'A', '02-y'], ['03-z', 'A', '02-y']]);
  });

  it('steps aside for a planned id as soon as its lesson file exists: one page per id', () => {
    const map = buildCourseMap(plan, [lesson('01-x'), lesson('03-z')]);
    expect(comingSoonLessons(map).map((s) => s.entry.id)).toEqual(['02-y']);
    const ids = [...availableLessons(map).map((e) => e.id), ...comingSoonLessons(map).map((s) => s.entry.id)];
    expect(ids.sort()).toEqual(['01-x', '02-y', '03-z']);
  });
});
