/** console.table prints what Node 22 prints (compared with a real `node` child process running the same calls). */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../../simulator/runner/run-program.ts';

const CALLS = `
console.table([{ a: 1, b: 2 }]);
console.table([{ a: 1, b: 'xyz' }, { a: 'long value', c: true }]);
console.table(['apples', 'oranges']);
console.table({ x: { v: 1 }, y: 2 });
console.table(new Map([['k', { deep: { er: 1 } }]]));
console.table(new Set([1, 'two']));
console.table([{ a: 1, b: 2 }], ['a']);
console.table(5);
console.table('text');
console.table([[1, 2], [3, 4, 5]]);
console.table([{ name: '日本', n: [1, 2, 3, 4, 5], o: { p: 1, q: 2, r: 3 } }]);
console.table([]);
`;

describe('console.table', () => {
  it('prints the same box tables as Node for arrays, objects, Map, Set, properties and non-objects', async () => {
    const node = spawnSync(process.execPath, ['-e', CALLS], { encoding: 'utf8' });
    expect(node.status).toBe(0);
    const result = await runProgram(CALLS);
    expect(result.status).toBe('completed');
    expect(result.console.map((line) => `${line.text}\n`).join('')).toBe(node.stdout);
  });

  it('prints the table of [{ a: 1, b: 2 }] as a box, not as an inspected array', async () => {
    const result = await runProgram('console.table([{ a: 1, b: 2 }]);');
    expect(result.console[0].text).toBe([
      '┌─────────┬───┬───┐',
      '│ (index) │ a │ b │',
      '├─────────┼───┼───┤',
      '│ 0       │ 1 │ 2 │',
      '└─────────┴───┴───┘',
    ].join('\n'));
  });

  it('throws Node\'s TypeError when properties is not an array', async () => {
    const result = await runProgram(`console.table([{ a: 1 }], 'a');`);
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(/"properties" argument must be an instance of Array/);
  });
});
