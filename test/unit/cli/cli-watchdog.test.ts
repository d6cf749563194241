import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractTimeout, TIMEOUT_MS_DEFAULT } from '../../../simulator/cli.ts';
import { CliUsageError } from '../../../simulator/runner/cli-args.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const cliPath = join(repoRoot, 'simulator/cli.ts');

function simFile(name: string, text: string, args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'mqlab-cli-watchdog-'));
  writeFileSync(join(dir, name), text);
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [cliPath, name, ...args], {
    cwd: repoRoot, env: { ...process.env, INIT_CWD: dir }, encoding: 'utf8', timeout: 30_000,
  });
  const elapsedMs = Number((process.hrtime.bigint() - started) / 1_000_000n);
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, elapsedMs };
}

describe('sim CLI watchdog (wall-clock --timeout)', () => {
  it('stops an endless loop after --timeout, keeps the output printed before it, and exits 1', () => {
    const { code, stdout, stderr, elapsedMs } = simFile('loop.js', "console.log('before the loop');\nwhile (true) {}\n",
      ['--timeout', '2s']);
    expect(stdout).toBe('before the loop\n');
    expect(stderr).toMatch(/^sim: stopped after 2 s of real time: the program never gave control back/);
    expect(stderr).toContain('--timeout 30s');
    expect(code).toBe(1);
    expect(elapsedMs).toBeLessThan(15_000);
  });

  it('does not interfere with a program that finishes in time (--timeout=5s form)', () => {
    const { code, stdout, stderr } = simFile('ok.js', "setTimeout(() => console.log('done'), 30000);\n", ['--timeout=5s']);
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: 'done\n', stderr: '' });
  });

  it('rejects a missing, malformed or zero --timeout with exit code 2', () => {
    for (const args of [['--timeout'], ['--timeout', 'soon'], ['--timeout', '0']]) {
      const { code, stdout, stderr } = simFile('ok.js', 'console.log(1);\n', args);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^sim: --timeout/);
    }
  });

  it('extractTimeout leaves the other flags and defaults to 10 s', () => {
    expect(extractTimeout(['a.js', '--seed', '3'])).toEqual({ timeoutMs: TIMEOUT_MS_DEFAULT, rest: ['a.js', '--seed', '3'] });
    expect(extractTimeout(['--timeout', '2m', 'a.js'])).toEqual({ timeoutMs: 120_000, rest: ['a.js'] });
    expect(() => extractTimeout(['--timeout', '2h'])).toThrow(CliUsageError);
  });
});
