import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { lessonSchema } from './lib/lesson-schema.ts';

/**
 * Lessons: one MDX file each in `content/lessons/`, id = file name without extension (e.g. `01-work-queue`), which
 * is also the URL slug (`lessons/01-work-queue/`) and the key in the progress store (`mqlab:progress:v1`).
 * The frontmatter schema lives in `lib/lesson-schema.ts` (shared with tests); a lesson that breaks it fails the
 * build with Astro's message naming the file and the field.
 */
const lessons = defineCollection({
  loader: glob({ pattern: '*.mdx', base: './content/lessons' }),
  schema: lessonSchema,
});

export const collections = { lessons };
