/**
 * "Continue where you left off": which lesson to suggest from the stored progress.
 */
import type { Progress } from './progress.ts';

/**
 * Given the available lesson ids in course order: the furthest lesson with any progress if its exercise is not
 * passed yet, else the next lesson after it; the first lesson when there is no progress (`started: false`);
 * `undefined` when every lesson's exercise is passed.
 */
export function continueTarget(ids: readonly string[], progress: Progress): { id: string; started: boolean } | undefined {
  let furthest = -1;
  ids.forEach((id, i) => {
    const entry = progress.lessons[id];
    if (entry && (entry.read || entry.exercisePassed)) furthest = i;
  });
  if (furthest === -1) return ids.length > 0 ? { id: ids[0], started: false } : undefined;
  if (!progress.lessons[ids[furthest]]?.exercisePassed) return { id: ids[furthest], started: true };
  const next = ids.slice(furthest + 1).find((id) => !progress.lessons[id]?.exercisePassed);
  if (next !== undefined) return { id: next, started: true };
  const earlier = ids.find((id) => !progress.lessons[id]?.exercisePassed);
  return earlier === undefined ? undefined : { id: earlier, started: true };
}
