/**
 * The course map: the plan (`content/course.ts`) merged with the lessons that exist. Pure, so it is unit-tested
 * and used by the home page, the lesson layout (previous/next) and the glossary.
 */
import type { CourseModule } from '../../content/course.ts';

/** What the map needs from a written lesson (its collection id and frontmatter). */
export interface WrittenLesson {
  id: string;
  data: { title: string; module: string; order: number; durationMin: number; concepts: string[]; summary?: string };
}

/** One entry of the map. `available` lessons have a page; the others are shown as "coming soon". */
export interface CourseEntry {
  id: string;
  title: string;
  module: string;
  durationMin: number;
  concepts: string[];
  summary?: string;
  available: boolean;
  /** 1-based position in the whole course. */
  number: number;
}

export interface CourseMapModule {
  title: string;
  summary: string;
  entries: CourseEntry[];
}

/**
 * Merges `plan` and `written`. A written lesson's frontmatter wins over its plan entry; a written lesson missing
 * from the plan is appended to its frontmatter module (or to a new module of that name), so nothing written is
 * ever hidden. Throws nothing.
 */
export function buildCourseMap(plan: readonly CourseModule[], written: readonly WrittenLesson[]): CourseMapModule[] {
  const byId = new Map(written.map((lesson) => [lesson.id, lesson]));
  const planned = new Set(plan.flatMap((module) => module.lessons.map((lesson) => lesson.id)));
  const modules: CourseMapModule[] = plan.map((module) => ({
    title: module.title,
    summary: module.summary,
    entries: module.lessons.map((lesson) => {
      const real = byId.get(lesson.id);
      return real
        ? { id: real.id, title: real.data.title, module: module.title, durationMin: real.data.durationMin,
            concepts: real.data.concepts, summary: real.data.summary, available: true, number: 0 }
        : { id: lesson.id, title: lesson.title, module: module.title, durationMin: lesson.durationMin,
            concepts: lesson.concepts, available: false, number: 0 };
    }),
  }));
  const extras = [...written].filter((lesson) => !planned.has(lesson.id)).sort((a, b) => a.data.order - b.data.order);
  for (const lesson of extras) {
    let module = modules.find((m) => m.title === lesson.data.module);
    if (!module) {
      module = { title: lesson.data.module, summary: '', entries: [] };
      modules.push(module);
    }
    module.entries.push({ id: lesson.id, title: lesson.data.title, module: module.title, durationMin: lesson.data.durationMin,
      concepts: lesson.data.concepts, summary: lesson.data.summary, available: true, number: 0 });
  }
  let number = 0;
  for (const module of modules) for (const entry of module.entries) entry.number = ++number;
  return modules;
}

/** The available lessons in course order (for previous/next links and "continue"). */
export function availableLessons(map: readonly CourseMapModule[]): CourseEntry[] {
  return map.flatMap((module) => module.entries.filter((entry) => entry.available));
}

/** Total estimated minutes of the given entries. */
export function totalMinutes(entries: readonly CourseEntry[]): number {
  return entries.reduce((sum, entry) => sum + entry.durationMin, 0);
}

/** A planned lesson without a page of its own, with its module: a "coming soon" page stands in for it. */
export interface ComingSoonLesson {
  entry: CourseEntry;
  module: CourseMapModule;
  /** The last written lesson before it in course order (or the first written one), to read meanwhile. */
  meanwhile?: CourseEntry;
}

/**
 * The planned lessons of `map` that have no lesson file: one "coming soon" page each. A lesson that is written
 * (available) is never among them, so its page is the lesson and no route is generated twice.
 */
export function comingSoonLessons(map: readonly CourseMapModule[]): ComingSoonLesson[] {
  const all = map.flatMap((module) => module.entries.map((entry) => ({ entry, module })));
  const available = availableLessons(map);
  return all
    .filter(({ entry }) => !entry.available)
    .map(({ entry, module }) => ({
      entry,
      module,
      meanwhile: [...available].reverse().find((lesson) => lesson.number < entry.number) ?? available[0],
    }));
}
