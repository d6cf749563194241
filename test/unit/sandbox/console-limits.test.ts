/**
 * Console limits of the runner (simulator/runner/program-console.ts): a flood of lines stops at `consoleLinesMax`
 * with one notice; a huge line, or endless `process.stdout.write` without a newline, is cut at
 * `CONSOLE_LINE_CHARS_MAX` characters with a notice.
 */
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../../simulator/runner/run-program.ts';
import { CONSOLE_LINE_CHARS_MAX } from '../../../simulator/runner/program-console.ts';

describe('console limits', () => {
  it('keeps at most consoleLinesMax lines, then one truncation notice', async () => {
    const streamed: string[] = [];
    const result = await runProgram('for (let i = 0; i < 1000; i++) console.log(i);', {
      consoleLinesMax: 50,
      onConsole: (line) => streamed.push(line.text),
    });
    expect(result.status).toBe('completed');
    expect(result.console).toHaveLength(51);
    expect(result.console[50].text).toMatch(/truncated: more than 50 lines/);
    expect(streamed).toHaveLength(51);
  });

  it('cuts a line longer than CONSOLE_LINE_CHARS_MAX and says how much was left out', async () => {
    const result = await runProgram(`console.log('z'.repeat(${CONSOLE_LINE_CHARS_MAX + 1234})); console.log('next');`);
    const [long, next] = result.console;
    expect(long.text.startsWith('z'.repeat(CONSOLE_LINE_CHARS_MAX))).toBe(true);
    expect(long.text).toMatch(/… \[1234 more characters not shown\]$/);
    expect(next.text).toBe('next');
  });

  it('emits stdout text without a newline once it reaches the line limit', async () => {
    const result = await runProgram(`for (let i = 0; i < ${CONSOLE_LINE_CHARS_MAX / 10 + 5}; i++) process.stdout.write('abcdefghij');`);
    expect(result.console.length).toBeGreaterThanOrEqual(2);
    expect(result.console[0].text.length).toBeLessThanOrEqual(CONSOLE_LINE_CHARS_MAX + 60);
  });
});
