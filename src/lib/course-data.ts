/**
 * Build-time course data for pages (uses `astro:content`, so only Astro pages and layouts import it): the course
 * map merged from `content/course.ts` and the written lessons, and each lesson's previous/next neighbours.
 */
import { getCollection } from 'astro:content';
import { COURSE } from '../../content/course.ts';
import { availableLessons, buildCourseMap, type CourseEntry, type CourseMapModule } from './course-map.ts';

export async function loadCourseMap(): Promise<CourseMapModule[]> {
  const lessons = await getCollection('lessons');
  return buildCourseMap(COURSE, lessons);
}

/** Previous and next available lessons of `id`, and the first planned lesson after it (shown as "coming next"). */
export function neighbours(map: readonly CourseMapModule[], id: string): {
  previous?: CourseEntry;
  next?: CourseEntry;
  upcoming?: CourseEntry;
} {
  const available = availableLessons(map);
  const index = available.findIndex((entry) => entry.id === id);
  const all = map.flatMap((module) => module.entries);
  const position = all.findIndex((entry) => entry.id === id);
  return {
    previous: index > 0 ? available[index - 1] : undefined,
    next: index >= 0 ? available[index + 1] : undefined,
    upcoming: all.slice(position + 1).find((entry) => !entry.available),
  };
}
