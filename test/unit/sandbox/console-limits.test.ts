/**
 * Console limits of the runner (simulator/runner/program-console.ts): a flood of lines stops at `consoleLinesMax`
 * with one notice; a huge line, or endless `process.stdout.write` without a newline, is cut at
 * `CONSOLE_LINE_CHARS_MAX` characters with a notice.
 */
import { describe, expect, it } from 'vitest';
import { runProgram } from '../../../simulator/runner/run-program.ts';
import { CONSOLE_LINE_CHARS_MAX, CONSOLE_TAIL_LINES_KEPT } from '../../../simulator/runner/program-console.ts';

describe('console limits', () => {
  it('keeps the first consoleLinesMax lines, then a notice with the count left out, then the last lines', async () => {
    const streamed: string[] = [];
    const result = await runProgram("for (let i = 0; i < 1000; i++) console.log(i); console.log('end');", {
      consoleLinesMax: 50,
      onConsole: (line) => streamed.push(line.text),
    });
    expect(result.status).toBe('completed');
    const kept = result.console.map((line) => line.text);
    expect(kept.slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    // 1001 lines: 50 first, 50 last (951..999 and 'end'), 901 left out.
    expect(kept[50]).toBe(`[console output too long: 901 lines left out here (a run keeps the first 50 lines and the last ${CONSOLE_TAIL_LINES_KEPT})]`);
    expect(result.console[50].level).toBe('warn');
    expect(kept.slice(51)).toEqual([...Array.from({ length: 49 }, (_, i) => String(951 + i)), 'end']);
    expect(streamed).toEqual(kept);
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
