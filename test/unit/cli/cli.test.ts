import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliUsageError, parseCliArgs, parseDurationMs } from '../../../simulator/runner/cli-args.ts';

const repoRoot = resolve(import.meta.dirname, '../../..');
const cliPath = join(repoRoot, 'simulator/cli.ts');

/** Runs the CLI as `npm run sim` would: cwd = package root, INIT_CWD = the user's directory. */
function sim(args: string[], userDir: string) {
  const run = spawnSync(process.execPath, [cliPath, ...args], {
    cwd: repoRoot,
    env: { ...process.env, INIT_CWD: userDir },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function userDirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mqlab-cli-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const amqpProgram = `
const amqp = require('amqplib');
const conn = await amqp.connect(process.env.AMQP_URL ?? 'amqp://localhost');
const ch = await conn.createChannel();
await ch.assertQueue('cli-q');
ch.sendToQueue('cli-q', Buffer.from('hello'));
const msg = await new Promise((resolve) => setTimeout(async () => resolve(await ch.get('cli-q')), 300));
console.log(msg.content.toString(), msg.fields.messageCount);
console.warn('a warning');
await conn.close();
`;

describe('sim CLI', () => {
  it('runs each program argument as a process: "file args" strings, prefixed output, --at start times', () => {
    const dir = userDirWith({
      'hello.js': "console.log('hello', process.argv.slice(2).join('+'), Date.now() % 100000);",
    });
    const { code, stdout, stderr } = sim(['hello.js', '--at', '2s', 'hello.js a b', "hello.js 'c d'"], dir);
    expect(stderr).toBe('');
    expect(stdout).toBe('hello.js#1 | hello  0\nhello.js#2 | hello a+b 2000\nhello.js#3 | hello c d 2000\n');
    expect(code).toBe(0);
  });

  it('tells in --help how several programs run', () => {
    const { stdout } = sim(['--help'], repoRoot);
    expect(stdout).toContain('npm run sim -- worker.mjs worker.mjs "new_task.mjs Hello there"');
    expect(stdout).toContain('--at TIME');
  });

  it('prints only the program console output on stdout and resolves the file against INIT_CWD', () => {
    const dir = userDirWith({ 'prog.js': amqpProgram });
    const { code, stdout, stderr } = sim(['prog.js'], dir);
    expect(stderr).toBe('a warning\n');
    expect(stdout).toBe('hello 0\n');
    expect(code).toBe(0);
  });

  it('writes the trace JSON with --trace, relative to INIT_CWD', () => {
    const dir = userDirWith({ 'prog.js': amqpProgram });
    const { code } = sim(['prog.js', '--trace', 'out.json', '--seed', '5'], dir);
    expect(code).toBe(0);
    const trace = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { kind: string; t: number }[];
    expect(trace.some((e) => e.kind === 'published')).toBe(true);
    expect(trace.filter((e) => e.kind === 'console')).toHaveLength(2);
    expect(existsSync(join(repoRoot, 'out.json'))).toBe(false);
  });

  it('stops at --until with a notice on stderr and exit code 0', () => {
    const dir = userDirWith({ 'tick.js': "setInterval(() => console.log('tick'), 1000);" });
    const { code, stdout, stderr } = sim(['tick.js', '--until', '2.5s'], dir);
    expect(stdout).toBe('tick\ntick\n');
    expect(stderr).toMatch(/time limit \(2500 ms simulated\)/);
    expect(code).toBe(0);
  });

  it('reports a program error on stderr with the learner line and exits 1', () => {
    const dir = userDirWith({ 'bad.ts': "const n: number = 1;\nconsole.log('before');\nthrow new Error('broken');\n" });
    const { code, stdout, stderr } = sim(['bad.ts'], dir);
    expect(stdout).toBe('before\n');
    expect(stderr).toContain(`${join(dir, 'bad.ts')}:3:7`);
    expect(stderr).toContain("throw new Error('broken');");
    expect(stderr).toContain('Error: broken');
    expect(code).toBe(1);
  });

  it.each([
    [[], /missing the program file/],
    [['prog.js', '--seed', 'abc'], /--seed expects an integer/],
    [['prog.js', '--until', '-5s'], /--until expects a duration/],
    [['prog.js', '--bogus'], /unknown option '--bogus'/],
    [['prog.js', '--trace'], /--trace needs a value/],
    [['does-not-exist.js'], /cannot read .*does-not-exist\.js: ENOENT/],
  ])('exits 2 with a usage message for bad arguments %j', (args, message) => {
    const dir = userDirWith({ 'prog.js': "console.log('x');" });
    const { code, stdout, stderr } = sim(args, dir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).toContain('Usage: npm run sim');
  });
});

describe('CLI argument parsing', () => {
  it('parses durations in ms, s, m and plain ms', () => {
    expect(parseDurationMs('500ms', '--until')).toBe(500);
    expect(parseDurationMs('60s', '--until')).toBe(60_000);
    expect(parseDurationMs('2m', '--until')).toBe(120_000);
    expect(parseDurationMs('1.5s', '--until')).toBe(1500);
    expect(parseDurationMs('750', '--until')).toBe(750);
    for (const bad of ['', '-1s', '5h', 'soon', '1e3']) {
      expect(() => parseDurationMs(bad, '--until')).toThrow(CliUsageError);
    }
  });

  it('parses flags with separate or inline values', () => {
    expect(parseCliArgs(['p.js', '--seed', '7', '--until=2m', '--trace', 't.json', '--latency', '5'])).toEqual({
      file: 'p.js',
      programs: [{ file: 'p.js', args: [] }],
      seed: 7,
      untilMs: 120_000,
      tracePath: 't.json',
      latencyMs: 5,
      help: false,
    });
    expect(parseCliArgs(['a.js', '--at=1.5s', 'b.js x "y z"']).programs).toEqual([
      { file: 'a.js', args: [] }, { file: 'b.js', args: ['x', 'y z'], startAtMs: 1500 },
    ]);
    expect(() => parseCliArgs(['a.js', '--at', '1s'])).toThrow(/--at must be followed by a program/);
    expect(() => parseCliArgs(['   '])).toThrow(/empty program argument/);
    expect(parseCliArgs(['--help']).help).toBe(true);
  });
});
