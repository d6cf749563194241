/**
 * Every exercise by id, for the build and for tests (the page loads one exercise at a time through `load.ts`).
 * Adding an exercise is: write `content/exercises/<id>.ts` exporting its `ExerciseDefinition` (the file name is its
 * id), place `<Exercise id="<id>" />` in its lesson. Nothing to register: the modules are found by a glob.
 */
import type { ExerciseDefinition } from './types.ts';

const modules = import.meta.glob<Record<string, unknown>>(['./*.ts', '!./index.ts', '!./load.ts', '!./types.ts'], { eager: true });

/** Whether a module export is an exercise definition. */
export function isExerciseDefinition(value: unknown): value is ExerciseDefinition {
  return typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
    && typeof (value as { check?: unknown }).check === 'function';
}

export const exercises: Readonly<Record<string, ExerciseDefinition>> = Object.fromEntries(
  Object.values(modules).flatMap((mod) => Object.values(mod).filter(isExerciseDefinition)).map((e) => [e.id, e]),
);

/** The exercise `id`, or a clear error naming the known ids. */
export function getExercise(id: string): ExerciseDefinition {
  const exercise = exercises[id];
  if (!exercise) {
    throw new Error(`Unknown exercise ${JSON.stringify(id)}; known: ${Object.keys(exercises).join(', ')}`);
  }
  return exercise;
}

export type { CheckResult, CheckableRun, ExerciseDefinition } from './types.ts';
