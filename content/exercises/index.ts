/**
 * Every exercise by id. The exercise UI (`src/components/exercise/`) looks definitions up here, so adding an
 * exercise is: write `content/exercises/<id>.ts`, add it below, place `<Exercise id="<id>" />` in its lesson.
 */
import { workQueueExercise } from './01-work-queue.ts';
import { asyncProcessingExercise } from './06-async-processing.ts';
import { loadLevelingExercise } from './07-load-leveling.ts';
import type { ExerciseDefinition } from './types.ts';

export const exercises: Readonly<Record<string, ExerciseDefinition>> = {
  [workQueueExercise.id]: workQueueExercise,
  [asyncProcessingExercise.id]: asyncProcessingExercise,
  [loadLevelingExercise.id]: loadLevelingExercise,
};

/** The exercise `id`, or a clear error naming the known ids. */
export function getExercise(id: string): ExerciseDefinition {
  const exercise = exercises[id];
  if (!exercise) {
    throw new Error(`Unknown exercise ${JSON.stringify(id)}; known: ${Object.keys(exercises).join(', ')}`);
  }
  return exercise;
}

export type { CheckResult, CheckableRun, ExerciseDefinition } from './types.ts';
