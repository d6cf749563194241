/**
 * Display names of a run's processes: the file's base name (`worker.mjs`), and `worker.mjs#1`, `worker.mjs#2`, …
 * when one file runs as several processes (two workers), so every console line and diagram node says whose it is.
 */

/** The names of processes started from `filenames` (in order; a path's directories are dropped). */
export function processNames(filenames: readonly string[]): string[] {
  const bases = filenames.map((file) => file.split(/[\\/]/).pop() || file);
  const total = new Map<string, number>();
  for (const base of bases) total.set(base, (total.get(base) ?? 0) + 1);
  const seen = new Map<string, number>();
  return bases.map((base) => {
    if (total.get(base) === 1) return base;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return `${base}#${n}`;
  });
}
