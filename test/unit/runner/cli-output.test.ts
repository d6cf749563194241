/** `npm run sim` prints ALL console output (README): the browser's console line cap does not apply to the CLI. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONSOLE_LINES_MAX_DEFAULT } from '../../../simulator/runner/program-console.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');

describe('sim CLI output', () => {
  it('prints every console line of a program that prints more than the browser cap, in order', () => {
    const lines = CONSOLE_LINES_MAX_DEFAULT + 2_000;
    const dir = mkdtempSync(join(tmpdir(), 'mqlab-cli-output-'));
    writeFileSync(join(dir, 'many.js'), `for (let i = 0; i < ${lines}; i++) console.log('line', i);\nconsole.log('end');\n`);
    const run = spawnSync(process.execPath, [join(repoRoot, 'simulator/cli.ts'), 'many.js'], {
      cwd: repoRoot, env: { ...process.env, INIT_CWD: dir }, encoding: 'utf8', timeout: 60_000,
    });
    const out = run.stdout.split('\n').filter((line) => line !== '');
    expect(out).toHaveLength(lines + 1);
    expect(out[lines - 1]).toBe(`line ${lines - 1}`);
    expect(out[lines]).toBe('end');
    expect(run.stderr).not.toMatch(/left out/);
    expect(run.status).toBe(0);
  }, 60_000);
});
