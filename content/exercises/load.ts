/**
 * The page's way to an exercise: `loadExercise(id)` imports only `content/exercises/<id>.ts` (each exercise is its
 * own chunk, so a lesson page downloads its exercise and no other).
 */
import type { ExerciseDefinition } from './types.ts';

const modules = import.meta.glob<Record<string, unknown>>(['./*.ts', '!./index.ts', '!./load.ts', '!./types.ts']);

/** The exercise `id` (its module's exported definition). @throws Error for an unknown id. */
export async function loadExercise(id: string): Promise<ExerciseDefinition> {
  const load = modules[`./${id}.ts`];
  if (load === undefined) throw new Error(`Unknown exercise ${JSON.stringify(id)}`);
  const found = Object.values(await load()).find((value): value is ExerciseDefinition =>
    typeof value === 'object' && value !== null && (value as { id?: unknown }).id === id
      && typeof (value as { check?: unknown }).check === 'function');
  if (found === undefined) throw new Error(`content/exercises/${id}.ts exports no exercise with the id ${JSON.stringify(id)}`);
  return found;
}
