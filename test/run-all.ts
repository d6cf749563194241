/**
 * `npm test`: the type check (`astro sync` + `tsc --noEmit`, counted as one test), unit, property and
 * recorded-conformance tests (vitest), then the browser tests (Chromium). Closes with one line `N passed, M failed`
 * summing all of them, and exits non-zero if anything failed.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, 'test-results');
mkdirSync(resultsDir, { recursive: true });

/** Runs a command with inherited stderr, echoing stdout; resolves with its exit code and captured stdout. */
function run(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk; process.stdout.write(chunk); });
    child.on('close', (code) => ok({ code: code ?? 1, stdout }));
  });
}

// Type check first: vitest strips types without checking them, so a broken contract would otherwise pass.
process.env.ASTRO_TELEMETRY_DISABLED = '1';
const synced = await run([join(root, 'node_modules/astro/bin/astro.mjs'), 'sync']);
const typecheck = synced.code === 0
  ? await run([join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', '.'])
  : synced;
const typesPassed = typecheck.code === 0 ? 1 : 0;
console.log(`typecheck: ${typesPassed ? 'passed' : 'FAILED (errors above)'}`);

const vitestJson = join(resultsDir, 'vitest.json');
const unit = await run([join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=default', '--reporter=json',
  `--outputFile.json=${vitestJson}`]);
let unitPassed = 0;
let unitFailed = 0;
try {
  const report = JSON.parse(readFileSync(vitestJson, 'utf8')) as { numPassedTests: number; numFailedTests: number };
  unitPassed = report.numPassedTests;
  unitFailed = report.numFailedTests;
} catch {
  unitFailed = 1;
}
if (unit.code !== 0 && unitFailed === 0) unitFailed = 1; // e.g. a file failed to import

const browser = await run([join(root, 'test/browser/run.ts'), ...process.argv.slice(2)]);
const m = /(\d+) passed, (\d+) failed/.exec(browser.stdout.split('\n').filter(Boolean).pop() ?? '');
const browserPassed = m ? Number(m[1]) : 0;
const browserFailed = m ? Number(m[2]) : browser.code === 0 ? 0 : 1;

const passed = typesPassed + unitPassed + browserPassed;
const failed = (1 - typesPassed) + unitFailed + browserFailed;
console.log(`\ntypecheck: ${typesPassed ? 'passed' : 'failed'}; unit+conformance: ${unitPassed} passed, ${unitFailed} failed; `
  + `browser: ${browserPassed} passed, ${browserFailed} failed`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 && typecheck.code === 0 && unit.code === 0 && browser.code === 0 ? 0 : 1;
