/**
 * What a newcomer's set-up relies on stays true (issue 11): `.gitignore` ignores no tracked file, the README
 * describes npm's banner before `npm run sim` output as npm prints it, and it says how to preview a build.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8').replace(/\s+/g, ' ');
const gitAvailable = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: root, encoding: 'utf8' }).stdout?.trim() === 'true';

describe('set-up', () => {
  it.skipIf(!gitAvailable)('.gitignore lists no tracked file', () => {
    const ignored = spawnSync('git', ['ls-files', '--cached', '--ignored', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
    expect(ignored.status).toBe(0);
    expect(ignored.stdout.trim().split('\n').filter(Boolean)).toEqual([]);
  });

  it('the README describes the banner npm prints before `npm run sim` output, line by line', () => {
    const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };
    const dir = mkdtempSync(join(tmpdir(), 'mqlab-banner-'));
    try {
      const program = join(dir, 'hello.mjs');
      writeFileSync(program, 'console.log("hello");\n');
      // Under `npm test` npm names its own CLI; run directly, the npm on PATH.
      const npm = process.env.npm_execpath;
      const [command, args] = npm && /\.c?js$/.test(npm) ? [process.execPath, [npm]] : ['npm', []];
      const run = spawnSync(command, [...args, 'run', 'sim', '--', program], { cwd: root, encoding: 'utf8', timeout: 60_000 });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout.split('\n')).toEqual(['', `> ${name}@${version} sim`, `> node simulator/cli.ts ${program}`, '', 'hello', '']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const described = `npm itself prints a banner on stdout before the program's output: an empty line, \`> ${name}@${version} sim\`, `
      + '`> node simulator/cli.ts path/to/program.mjs …` and another empty line';
    expect(readme.includes(described), `README.md does not say: ${described}`).toBe(true);
  });

  it('the README says to build before previewing', () => {
    expect(readme.includes('npm run build && npm run preview'), 'README.md: npm run build && npm run preview').toBe(true);
    expect(/npm run preview +# serves that build/.test(readme), 'README.md: npm run preview in the build commands').toBe(true);
  });
});
