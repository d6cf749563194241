import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/conformance/**/*.test.ts'],
    environment: 'node',
    // Several tests spawn Node processes (CLI, fresh-process determinism); on a loaded 2-core machine they need
    // more than vitest's default 5 s. Tests assert behaviour, never speed (speed lives in npm run bench).
    testTimeout: 30_000,
  },
});
