import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';

/**
 * Lessons: one MDX file each in `content/lessons/`, id = file name without extension (e.g. `01-work-queue`), which
 * is also the URL slug (`lessons/01-work-queue/`) and the key in the progress store (`mqlab:progress:v1`).
 */
const lessons = defineCollection({
  loader: glob({ pattern: '*.mdx', base: './content/lessons' }),
  schema: z.object({
    title: z.string().min(1),
    /** Module (part of the course) the lesson belongs to, e.g. "Foundations". */
    module: z.string().min(1),
    /** Position in the course; lessons are listed by ascending `order`. */
    order: z.number().int().nonnegative(),
    /** Estimated reading + exercise time in minutes. */
    durationMin: z.number().int().positive(),
    concepts: z.array(z.string().min(1)),
    objectives: z.array(z.string().min(1)).min(1),
    /** One or two sentences shown in the lesson list. */
    summary: z.string().min(1),
  }),
});

export const collections = { lessons };
