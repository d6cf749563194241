/**
 * The lesson frontmatter schema, shared by the content collection (`src/content.config.ts`, so `npm run build`
 * rejects a bad lesson) and by tests and scripts (`checkLessonFrontmatter`).
 *
 * Fields: title, module (a module title of `content/course.ts`), order (position in the course), durationMin
 * (estimated minutes), concepts (glossary terms taught), objectives (at least one), summary (one or two sentences).
 */
import { z } from 'astro/zod';

/** Longest estimated duration accepted, in minutes: a lesson longer than this should be split. */
export const LESSON_DURATION_MAX_MIN = 120;

export const lessonSchema = z.object({
  title: z.string().min(1),
  /** Module (part of the course) the lesson belongs to, e.g. "Foundations". */
  module: z.string().min(1),
  /** Position in the course; lessons are listed by ascending `order`. */
  order: z.number().int().nonnegative(),
  /** Estimated reading + exercise time in minutes. */
  durationMin: z.number().int().positive().max(LESSON_DURATION_MAX_MIN),
  /** Glossary terms the lesson teaches (each must have an entry in content/glossary/terms.ts). */
  concepts: z.array(z.string().min(1)).min(1),
  objectives: z.array(z.string().min(1)).min(1),
  /** One or two sentences shown in the course map. */
  summary: z.string().min(1),
}).strict();

export type LessonFrontmatter = z.infer<typeof lessonSchema>;

/**
 * Validates frontmatter `data` of the lesson at `file` with `lessonSchema`. Returns [] when valid, else one message
 * per problem, each naming the file and the field: `content/lessons/x.mdx: frontmatter field "order": Expected number, received string`.
 */
export function checkLessonFrontmatter(file: string, data: unknown): string[] {
  const result = lessonSchema.safeParse(data);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? (issue as { keys?: string[] }).keys ?? [] : [];
    const field = keys.length > 0 ? keys.join('", "') : issue.path.join('.') || '(root)';
    return `${file}: frontmatter field "${field}": ${issue.message}`;
  });
}
