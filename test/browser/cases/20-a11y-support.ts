/**
 * Helpers for the accessibility, bad-input and self-hosting browser tests (20-a11y*, 21-bad-input*,
 * 22-self-hosting*): axe-core injection and reporting, a keyboard walk that checks each focus stop is visible, and
 * small page probes. Exports no cases of its own.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { assert } from '../assert.ts';
import type { BrowserCase } from '../context.ts';

export const cases: BrowserCase[] = [];

/** The lesson with the simulation, code runners and the exercise. */
export const LESSON = 'lessons/01-work-queue/';
/** Impacts that fail the accessibility bar (axe's `serious` and `critical`). */
const FAILING_IMPACTS = new Set(['serious', 'critical']);

let axeSource: string | undefined;

/** One axe violation, trimmed for printing. */
export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  helpUrl: string;
  nodes: { target: string; html: string; summary: string }[];
}

/**
 * Runs axe-core (all default rules: WCAG 2.x A/AA and best practices) on the page's current DOM and returns the
 * serious and critical violations. axe is evaluated through the DevTools protocol, which the page's CSP
 * (`script-src 'self'`) does not govern; an inline `<script>` would be blocked by it.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe === 'object'))) {
    await page.evaluate(axeSource);
  }
  const violations = await page.evaluate(async () => {
    type AxeNode = { target: unknown[]; html: string; failureSummary?: string };
    type AxeResult = { id: string; impact?: string | null; help: string; helpUrl: string; nodes: AxeNode[] };
    const axe = (globalThis as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: AxeResult[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? 'unknown',
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({
        target: n.target.map(String).join(' '),
        html: n.html.slice(0, 160),
        summary: (n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300),
      })),
    }));
  });
  return violations.filter((v) => FAILING_IMPACTS.has(v.impact));
}

/** Human-readable report of violations: rule, impact, help link, and up to 5 offending nodes each. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations.map((v) => [
    `[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`,
    ...v.nodes.slice(0, 5).map((n) => `    at ${n.target}\n      ${n.html}\n      ${n.summary}`),
    ...(v.nodes.length > 5 ? [`    … and ${v.nodes.length - 5} more nodes`] : []),
  ].join('\n')).join('\n');
}

/** Fails with a readable list when axe finds serious or critical violations on the page as it is now. */
export async function assertNoSeriousAxeViolations(page: Page, what: string): Promise<void> {
  const violations = await seriousAxeViolations(page);
  assert(violations.length === 0, `${what}: ${violations.length} serious/critical axe violation(s):\n${formatViolations(violations)}`);
}

/** What a keyboard walk saw at one focus stop. */
export interface FocusStop {
  /** Short description: tag, id/class/data-action, accessible text. */
  label: string;
  /** Why the focus is not visible, or '' if it is. */
  problem: string;
  inMonaco: boolean;
}

/**
 * Describes the focused element and whether its focus is visible: its computed outline, box-shadow, border,
 * background, colour or text decoration must differ from the same element without focus (measured by blurring it
 * and focusing it again, which keeps `:focus-visible` in keyboard modality), and it must have a non-empty box.
 * Inside Monaco the editor's own focus state (`.monaco-editor.focused`, its cursor) counts as the indicator.
 */
export async function inspectFocus(page: Page): Promise<FocusStop | null> {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const h = el as HTMLElement;
    const text = (h.getAttribute('aria-label') ?? h.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 50);
    const attrs = [h.id && `#${h.id}`, h.dataset.action && `[data-action=${h.dataset.action}]`,
      typeof h.className === 'string' && h.className && `.${h.className.split(/\s+/)[0]}`,
      h.getAttribute('name') && `[name=${h.getAttribute('name')}]`].filter(Boolean).join('');
    const label = `<${h.tagName.toLowerCase()}${attrs}> "${text}"`;
    const monaco = h.closest('.monaco-editor');
    if (monaco) {
      return { label, inMonaco: true, problem: monaco.classList.contains('focused') ? '' : 'Monaco has focus but is not marked focused' };
    }
    const rect = h.getBoundingClientRect();
    if (rect.width < 1 || rect.height < 1) return { label, inMonaco: false, problem: `focused element has an empty box (${rect.width}×${rect.height})` };
    // The element and its two nearest ancestors: a wrapper styled with :focus-within (e.g. a search field's box)
    // is a focus indicator too.
    const boxes = [h, h.parentElement, h.parentElement?.parentElement].filter((e): e is HTMLElement => e instanceof HTMLElement && e !== document.body);
    const look = () => boxes.map((box) => {
      const s = getComputedStyle(box);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0 && !/rgba\(.*,\s*0\)$/.test(s.outlineColor)
        ? `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}` : 'none';
      return [outline, s.boxShadow, s.borderColor, s.borderWidth, s.backgroundColor, s.color, s.textDecorationLine].join(' | ');
    }).join(' || ');
    const focused = look();
    h.blur();
    const unfocused = look();
    h.focus({ preventScroll: true });
    if (focused === unfocused) return { label, inMonaco: false, problem: `no visible change on focus (${focused.split(' || ')[0]})` };
    return { label, inMonaco: false, problem: '' };
  });
}

/** A stable key of the focused element (to see whether Tab moved the focus). */
export async function focusKey(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    const path: string[] = [];
    for (let n: Element | null = el; n && n !== document.body; n = n.parentElement) {
      path.unshift(`${n.tagName}:${n.parentElement ? [...n.parentElement.children].indexOf(n) : 0}`);
    }
    return path.join('/');
  });
}

/**
 * Presses Tab once, as a keyboard user would, and lets the page settle. A focused code `<pre>` loads Monaco and
 * hands its focus to the editor's host (never into the editor): wait for that swap. If the focus sits in Monaco
 * (only after Enter or a click), Tab indents there: the user presses Escape (the key the runner advertises) to give
 * the focus back to the code block; the inserted indent is undone first.
 */
export async function pressTab(page: Page, shift = false): Promise<void> {
  const key = shift ? 'Shift+Tab' : 'Tab';
  const before = await focusKey(page);
  const inMonaco = await page.evaluate(() => Boolean(document.activeElement?.closest('.monaco-editor')));
  await page.keyboard.press(key);
  await page.waitForTimeout(60);
  if (inMonaco && (await focusKey(page)) === before) {
    await page.keyboard.press('ControlOrMeta+Z');
    await page.keyboard.press('Escape');
    await page.keyboard.press(key);
    await page.waitForTimeout(60);
  }
  const onPre = await page.evaluate(() => document.activeElement?.matches('[data-code-pre]') ?? false);
  if (onPre) {
    await page.waitForFunction(() => {
      const a = document.activeElement;
      return !a?.matches('[data-code-pre]') || a.closest('[data-code-runner]')?.getAttribute('data-editor') === 'textarea';
    }, null, { timeout: 20_000 }).catch(() => {});
    await page.waitForTimeout(100);
  }
}

/**
 * Visible, enabled controls that the last Tab jumped over: the controls strictly between the previous focus stop
 * and the current one in document order that could take the focus now (not disabled, hidden, inert, tabindex -1,
 * inside Monaco, or an unchecked radio of a group whose checked radio is the stop). Call after every Tab of a
 * forward walk; the first call only records the stop.
 */
export async function skippedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const g = globalThis as unknown as { mqPrevFocus?: Element };
    const prev = g.mqPrevFocus;
    const current = document.activeElement;
    g.mqPrevFocus = current ?? undefined;
    if (!prev || !current || current === document.body || !prev.isConnected) return [];
    if (!(prev.compareDocumentPosition(current) & Node.DOCUMENT_POSITION_FOLLOWING)) return [];
    const candidates = [...document.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, summary, [tabindex]')];
    return candidates
      .filter((el) => (prev.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)
        && (el.compareDocumentPosition(current) & Node.DOCUMENT_POSITION_FOLLOWING)
        && !el.contains(current) && !prev.contains(el))
      .filter((el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && !el.closest('.monaco-editor, [inert]'))
      .filter((el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility === 'visible')
      .filter((el) => !el.closest('details:not([open])') || el.matches('details > summary'))
      .filter((el) => !(el instanceof HTMLInputElement && el.type === 'radio' && !el.checked))
      .map((el) => el.outerHTML.slice(0, 120));
  });
}

/** Clock of the first simulation, in simulated seconds. */
export async function simClockSeconds(page: Page): Promise<number> {
  const text = (await page.locator('[data-mq-sim] [data-clock]').first().textContent()) ?? '';
  const m = /([\d.]+)\s*s/.exec(text);
  assert(m, `clock text "${text}" has no seconds`);
  return Number(m[1]);
}

/** Waits until the first simulation island has mounted (its script sets `data-ready`). */
export async function waitSimReady(page: Page): Promise<void> {
  await page.locator('[data-mq-sim]').first().scrollIntoViewIfNeeded();
  await page.waitForSelector('[data-mq-sim][data-ready="true"]', { timeout: 15_000 });
}

/** How many knob runs the first simulation has loaded (its `data-knobs-runs`; 0 before the first). */
export async function knobsRuns(page: Page): Promise<number> {
  return Number(await page.locator('[data-mq-sim]').first().getAttribute('data-knobs-runs') ?? 0);
}

/**
 * Waits until the first simulation has loaded a knob run after `before` (from `knobsRuns`): the knobs' code loads
 * when the learner first comes to them, and a slider re-runs after a short quiet time.
 */
export async function waitKnobsRun(page: Page, before: number): Promise<void> {
  await page.waitForFunction((n) => Number(document.querySelector('[data-mq-sim]')?.getAttribute('data-knobs-runs') ?? 0) > n,
    before, { timeout: 15_000 });
}
