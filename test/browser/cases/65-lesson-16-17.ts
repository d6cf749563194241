/**
 * Lesson 16 (a topic is an append-only log): the page loads cleanly, its simulation plays and shows what the Try
 * callouts promise (a second group reads all 30 records again; three partitions with offsets from 0 each; "Start
 * now" adds a group that replays the log; retention deletes the oldest segments, so the replay starts at offset
 * 20), the producer/reader example prints the offsets the text talks about, the exercise fails with the starter
 * (the right feedback) and passes with the solution, keyboard only; and screenshots at 360 and 1280 px in light and
 * dark without overflow or overlapping controls (the log legible at 360 px: stage screenshots too).
 * Lesson 17 (partitions and keys) the same way: keyed orders stay in one partition each (12, 18 and 6 records),
 * keyless ones are spread evenly, a busy customer makes p1 hot, a fourth consumer is idle, added partitions move
 * keys; the keys example prints the partitions the text names; exercise 17 fails (out of order) and passes; with
 * three brokers the lanes name each partition's leader and ISR, Stop now moves p0's leadership (acks all sends the
 * cut order again, acks 1 loses it), and with replication factor 1 p0 goes offline until Start now.
 */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { assert, assertCleanPage, screenshot } from '../assert.ts';
import type { BrowserCase, OpenedPage } from '../context.ts';
import { knobsRuns, pressTab, waitKnobsRun } from './20-a11y-support.ts';
import { tabIntoExercise } from '../exercise.ts';

const L16 = 'lessons/16-kafka-log/';
const L17 = 'lessons/17-kafka-partitions/';
const TAB_STOPS_MAX = 400;

async function counter(sim: Locator, name: string): Promise<number> {
  return Number(await sim.locator(`[data-counter="${name}"]`).first().textContent());
}

/** Scrolls the diagram into view and waits until the island is ready and playing. */
async function simPlaying(page: Page): Promise<Locator> {
  const sim = page.locator('[data-mq-sim]').first();
  await sim.locator('[data-stage]').scrollIntoViewIfNeeded();
  await page.waitForFunction(() => document.querySelector('[data-mq-sim]')?.getAttribute('data-ready') === 'true', null, { timeout: 15_000 });
  await page.waitForFunction(() => document.querySelector('[data-mq-sim]')?.getAttribute('data-state') === 'playing', null, { timeout: 10_000 });
  return sim;
}

/**
 * Sets a knob as a learner would (a radio button checked, a slider moved: input + change events), and waits for the
 * re-run.
 */
async function setKnob(page: Page, sim: Locator, name: string, value: number | string): Promise<void> {
  const before = await knobsRuns(page);
  const radio = sim.locator(`input[type="radio"][name="${name}"][value="${value}"]`);
  if ((await radio.count()) > 0) {
    await radio.check();
  } else {
    await sim.locator(`input[name="${name}"]`).evaluate((el: HTMLInputElement, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    }, value);
  }
  await waitKnobsRun(page, before);
}

/** Applies fault `id` to `target` at the player's current time, and waits for the re-run. */
async function fault(page: Page, sim: Locator, id: string, target: string): Promise<void> {
  await sim.locator(`[data-fault="${id}"] [data-fault-target]`).selectOption(target);
  const before = await knobsRuns(page);
  await sim.locator(`[data-fault-id="${id}"]`).click();
  await waitKnobsRun(page, before);
}

/**
 * A screenshot of the diagram after the knobs below it were used: scrolled back to the simulation first (pressing
 * a fault button far down the knobs scrolls the diagram away, and the pinned player then holds it).
 */
async function stageShot(page: Page, sim: Locator, path: string): Promise<void> {
  await sim.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.waitForFunction(() => document.querySelector('[data-mq-sim]')?.getAttribute('data-docked') !== 'true', null, { timeout: 5_000 });
  await page.waitForTimeout(300);
  await sim.locator('[data-stage]').screenshot({ path });
}

async function clearFaults(page: Page, sim: Locator): Promise<void> {
  const before = await knobsRuns(page);
  await sim.locator('[data-action="clear-faults"]').click();
  await waitKnobsRun(page, before);
}

/** Pauses the player and seeks it to `seconds` with the time scrubber. */
async function seek(page: Page, sim: Locator, seconds: number): Promise<void> {
  if ((await sim.getAttribute('data-state')) === 'playing') await sim.locator('[data-action="toggle"]').click();
  await sim.locator('[data-scrubber]').evaluate((el: HTMLInputElement, ms) => {
    el.value = String(ms);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, Math.round(seconds * 1000));
  await page.waitForTimeout(300);
}

/** The text alternative of the diagram's node whose spoken text starts with `prefix` ("topic events", …). */
async function spoken(sim: Locator, prefix: string): Promise<string> {
  const labels = await sim.locator('svg.sim-svg [role="img"]').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label') ?? ''));
  const found = labels.find((l) => l.startsWith(prefix));
  assert(found !== undefined, `no node of the diagram says "${prefix}…": ${labels.join(' | ')}`);
  return found;
}

/** Runs a code runner's program and returns its console lines once `done` appears in it. */
async function runExample(page: Page, runnerId: string, done: string): Promise<string> {
  const runner = `[data-code-runner][data-runner-id="${runnerId}"]`;
  await page.locator(runner).scrollIntoViewIfNeeded();
  await page.locator(`${runner} [data-action="run"]`).click();
  await page.waitForFunction(([sel, text]) => (document.querySelector(sel)?.textContent ?? '').includes(text),
    [`${runner} [data-console]`, done] as const, { timeout: 30_000 });
  const lines = await page.locator(`${runner} [data-console]`).evaluate((el) => [...el.children].map((line) => line.textContent ?? ''));
  return lines.join('\n');
}

/** Fails if anything but the known offender sticks out of the viewport (see 61-lesson-06-07.ts). */
async function assertNoHorizontalOverflow(page: Page, what: string): Promise<void> {
  const culprits = await page.evaluate(() => {
    const width = window.innerWidth;
    return [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => !el.closest('.sim-inspect-pick'))
      .filter((el) => el.getBoundingClientRect().right > width + 1 && el.checkVisibility())
      .filter((el) => {
        for (let p = el.parentElement; p; p = p.parentElement) {
          const style = getComputedStyle(p);
          if (style.overflowX === 'auto' || style.overflowX === 'scroll' || style.overflowX === 'hidden') return false;
        }
        return true;
      })
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
  });
  assert(culprits.length === 0, `${what}: wider than the viewport: ${culprits.join('; ')}`);
}

/** Fails if two visible controls overlap on screen (see 61-lesson-06-07.ts). */
async function assertNoOverlappingControls(page: Page, what: string): Promise<void> {
  const overlaps = await page.evaluate(() => {
    const controls = [...document.querySelectorAll<HTMLElement>('a[href], button, input:not([type="hidden"]), select, textarea, summary')]
      .filter((el) => el.checkVisibility({ opacityProperty: true, visibilityProperty: true }))
      .filter((el) => !el.classList.contains('visually-hidden') && !el.closest('.visually-hidden, .skip-link'));
    const describe = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}[${(el.textContent ?? '').trim().slice(0, 30) || el.getAttribute('aria-label') || ''}]`;
    const rects = controls.map((el) => [...el.getClientRects()].filter((r) => r.width > 1 && r.height > 1));
    const found: string[] = [];
    for (let i = 0; i < controls.length; i++) {
      for (let j = i + 1; j < controls.length; j++) {
        const a = controls[i];
        const b = controls[j];
        if (a.contains(b) || b.contains(a) || a.closest('label')?.contains(b) || b.closest('label')?.contains(a)) continue;
        const hit = rects[i].some((r) => rects[j].some((s) =>
          Math.min(r.right, s.right) - Math.max(r.left, s.left) > 2 && Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top) > 2));
        if (hit) found.push(`${describe(a)} ↔ ${describe(b)}`);
      }
    }
    return found.slice(0, 8);
  });
  assert(overlaps.length === 0, `${what}: overlapping controls: ${overlaps.join(', ')}`);
}

/** Checks the page's exercise with the starter (must fail with `failPattern`), then with the solution (must pass). */
async function starterFailsSolutionPasses(opened: OpenedPage, failPattern: RegExp, shot: string, shotsDir: string): Promise<void> {
  const { page } = opened;
  const ex = page.locator('[data-exercise]');
  await ex.scrollIntoViewIfNeeded();
  await page.waitForSelector('[data-exercise][data-ready="true"]', { timeout: 15_000 });
  await ex.locator('[data-action="check"]').click();
  await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.hasAttribute('data-verdict'), null, { timeout: 30_000 });
  assert((await ex.locator('[data-result]').getAttribute('data-verdict')) === 'fail', 'the starter code passed');
  const failText = ((await ex.locator('[data-result]').textContent()) ?? '').replace(/`/g, '');
  assert(failPattern.test(failText), `the starter's feedback does not say ${failPattern}: ${failText}`);
  await ex.locator('[data-action="hint"]').click();
  assert(await ex.locator('[data-hint]').first().isVisible(), 'the first hint is not shown');
  await ex.locator('[data-action="solution"]').click();
  await ex.locator('[data-action="solution-confirm"]').click();
  await ex.locator('[data-action="solution-use"]').click();
  await ex.locator('[data-action="check"]').click();
  await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') === 'pass', null, { timeout: 30_000 })
    .catch(async () => {
      throw new Error(`the solution did not pass: ${await ex.locator('[data-result]').textContent()}`);
    });
  await ex.locator('[data-result]').scrollIntoViewIfNeeded();
  await screenshot(opened, shotsDir, shot);
}

export const cases: BrowserCase[] = [
  {
    name: 'lesson 16: the page loads, the log keeps its records while two groups read them, partitions, Start now and retention do what the Try callouts say, and the example prints the offsets',
    async run(ctx) {
      const opened = await ctx.openPage(L16);
      const { page } = opened;
      const sim = await simPlaying(page);
      await page.waitForTimeout(700);
      assert((await sim.locator('[data-chart] [data-chart-plot] path').count()) > 0, 'the lag chart drew no line');
      assert(await sim.locator('[data-legend-shape="log"]').first().isVisible(), 'the legend does not explain the log');
      assert(!(await sim.locator('[data-legend-shape="queue"]').isVisible()), 'the legend speaks of a queue on a Kafka page');

      // Try 1: at 30 s both groups have read all 30 records, which are all still in the log.
      await seek(page, sim, 30);
      assert((await counter(sim, 'consumed')) === 60, `at 30 s Handled is ${await counter(sim, 'consumed')}, not 60`);
      assert((await spoken(sim, 'topic events')).includes('1 partition · 30 records'), `the topic does not hold 30 records: ${await spoken(sim, 'topic events')}`);
      assert(/replay Stable gen \d+ · owns p0 · lag 0$/.test(await spoken(sim, 'consumer replay reader')), `the replay group has not caught up at 30 s: ${await spoken(sim, 'consumer replay reader')}`);
      await seek(page, sim, 26);
      await sim.locator('[data-stage]').screenshot({ path: join(ctx.shotsDir, 'lesson-16-stage-replay-1280.png') });

      // Clicking the first cell of the log (offset 0) opens the inspector on that record.
      const lane = await sim.locator('svg.sim-svg .log-lane').first().boundingBox();
      assert(lane !== null, 'the log lane has no box');
      const unit = lane.width / 400; // the lane is the log box (420 units) less 10 each side
      await page.mouse.click(lane.x + 37 * unit, lane.y + 24 * unit);
      await page.waitForFunction(() => /m1 · event 1[\s\S]*offset\s*0(?!\d)/.test(document.querySelector('[data-mq-sim] [data-inspector]')?.textContent ?? ''), null, { timeout: 5_000 })
        .catch(async () => {
          throw new Error(`clicking offset 0 did not inspect it: ${await sim.locator('[data-inspector]').textContent()}`);
        });

      // Try 2: three partitions, 10 records each.
      await setKnob(page, sim, 'partitions', 3);
      await seek(page, sim, 30);
      assert((await spoken(sim, 'topic events')).includes('3 partitions · 30 records'), `three partitions do not hold 30 records: ${await spoken(sim, 'topic events')}`);
      assert((await sim.locator('svg.sim-svg .log-lane').count()) === 3, 'the topic is not drawn with three lanes');
      await sim.locator('[data-stage]').screenshot({ path: join(ctx.shotsDir, 'lesson-16-stage-partitions-1280.png') });

      // Try 3: back to 1 partition; Start now at 32 s adds replay-2, which reads all 30 again.
      await setKnob(page, sim, 'partitions', 1);
      await seek(page, sim, 32);
      const before = await knobsRuns(page);
      await sim.locator('[data-fault-id="start-replay"]').click();
      await waitKnobsRun(page, before);
      await seek(page, sim, 45);
      assert((await counter(sim, 'consumed')) === 90, `after Start now Handled is ${await counter(sim, 'consumed')}, not 90`);
      assert(/in group replay-2: .* · owns p0 · lag 0$/.test(await spoken(sim, 'consumer replay reader 2')), `replay-2 did not read the log: ${await spoken(sim, 'consumer replay reader 2')}`);
      await sim.locator('[data-action="clear-faults"]').click();
      await page.waitForTimeout(500);

      // Try 4: retention 10 s deletes offsets 0–19 before the replay; it reads only 10.
      await setKnob(page, sim, 'retentionMs', 10_000);
      await seek(page, sim, 30);
      assert((await counter(sim, 'deleted')) === 20, `Deleted by retention is ${await counter(sim, 'deleted')}, not 20`);
      assert((await counter(sim, 'consumed')) === 40, `with retention 10 s Handled is ${await counter(sim, 'consumed')}, not 40`);
      await sim.locator('[data-stage]').screenshot({ path: join(ctx.shotsDir, 'lesson-16-stage-retention-1280.png') });

      const text = await runExample(page, '16-signups', 'stats stopped after');
      for (const line of ['"ana signed up" appended at offset 0', '"dara signed up" appended at offset 3', 'mailer read offset 3: dara signed up',
        'mailer stopped after reading 4 records', 'mailer stopped after reading 0 records', 'stats read offset 0: ana signed up',
        'stats stopped after reading 4 records']) {
        assert(text.includes(line), `the example's console has no "${line}": ${text}`);
      }
      await page.locator('[data-source-banner]').first().waitFor({ state: 'visible', timeout: 5_000 });
      assertCleanPage(opened, 'lesson 16');
    },
  },
  {
    name: 'lesson 16: the exercise fails with the starter code (billing\'s group had committed the log end) and passes with the solution',
    async run(ctx) {
      const opened = await ctx.openPage(L16);
      const { page } = opened;
      const ex = page.locator('[data-exercise]');
      await ex.scrollIntoViewIfNeeded();
      await page.waitForSelector('[data-exercise][data-ready="true"]', { timeout: 15_000 });
      await ex.locator('[data-action="check"]').click();
      await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.hasAttribute('data-verdict'), null, { timeout: 30_000 });
      assert((await ex.locator('[data-result]').getAttribute('data-verdict')) === 'fail', 'the starter code passed');
      const failText = (await ex.locator('[data-result]').textContent()) ?? '';
      assert(/The fraud check read none of the 8 orders\. Its consumer joined group billing/.test(failText.replace(/`/g, '')), `the starter's feedback is not about billing's group: ${failText}`);
      await ex.locator('[data-action="hint"]').click();
      assert(await ex.locator('[data-hint]').first().isVisible(), 'the first hint is not shown');
      await ex.locator('[data-action="solution"]').click();
      await ex.locator('[data-action="solution-confirm"]').click();
      await ex.locator('[data-action="solution-use"]').click();
      await ex.locator('[data-action="check"]').click();
      await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') === 'pass', null, { timeout: 30_000 })
        .catch(async () => {
          throw new Error(`the solution did not pass: ${await ex.locator('[data-result]').textContent()}`);
        });
      await ex.locator('[data-result]').scrollIntoViewIfNeeded();
      await screenshot(opened, ctx.shotsDir, 'lesson-16-exercise-passed-1280');
      // A Kafka page loads no RabbitMQ code: neither the AMQP model (its error names) nor its run queries.
      const scripts = [...new Set(opened.requests.filter((url) => /\.js(\?|$)/.test(url)))];
      const amqp = await page.evaluate(async (urls) => {
        const found: string[] = [];
        for (const url of urls) {
          const text = await (await fetch(url)).text();
          if (/PRECONDITION_FAILED|settledSentAtMs/.test(text)) found.push(url);
        }
        return found;
      }, scripts);
      assert(scripts.length > 0 && amqp.length === 0, `lesson 16 loaded RabbitMQ code: ${amqp.join(', ')}`);
      assertCleanPage(opened, 'lesson 16 exercise');
    },
  },
  {
    name: 'lessons 16 and 17: keyboard only: a knob slider moves with the arrow keys, and the exercise is solved with Tab and Enter',
    async run(ctx) {
      for (const path of [L16, L17]) {
        const opened = await ctx.openPage(path);
        const { page } = opened;
        const sim = await simPlaying(page);
        const slider = sim.locator('input[name="partitions"]');
        const before = Number(await slider.inputValue());
        await slider.focus();
        await page.keyboard.press('ArrowRight');
        await page.waitForTimeout(300);
        assert(Number(await slider.inputValue()) === before + 1, `${path}: ArrowRight on Partitions did not move it`);

        const isAction = (action: string) => page.evaluate((a) => {
          const el = document.activeElement as HTMLElement | null;
          return el?.dataset.action === a && el.closest('[data-exercise]') !== null && !el.closest('[data-code-runner]');
        }, action);
        const tabTo = async (action: string, shift = false) => {
          for (let i = 0; i < TAB_STOPS_MAX; i++) {
            if (await isAction(action)) return;
            await pressTab(page, shift);
          }
          throw new Error(`${path}: Tab never reached the exercise's "${action}" button`);
        };
        await tabIntoExercise(page, () => pressTab(page));
        await tabTo('solution');
        await page.keyboard.press('Enter');
        assert(await isAction('solution-confirm'), `${path}: the solution confirmation did not take the focus`);
        await page.keyboard.press('Enter');
        await tabTo('solution-use');
        await page.keyboard.press('Enter');
        await tabTo('check', true);
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => document.querySelector('[data-exercise] [data-result]')?.getAttribute('data-verdict') === 'pass', null, { timeout: 30_000 });
        assertCleanPage(opened, `${path} keyboard only`);
        await opened.context.close();
      }
    },
  },
  {
    name: 'lesson 16 at 360 and 1280 px, light and dark: no overflow, no overlapping controls (screenshots)',
    async run(ctx) {
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const width of [360, 1280]) {
          const opened = await ctx.openPage(L16, { width, colorScheme });
          const { page } = opened;
          const sim = await simPlaying(page);
          await seek(page, sim, 26);
          await sim.locator('[data-stage]').screenshot({ path: join(ctx.shotsDir, `lesson-16-stage-${width}-${colorScheme}.png`) });
          await page.evaluate(() => scrollTo(0, 0));
          await page.waitForTimeout(300);
          await assertNoHorizontalOverflow(page, `lesson 16 ${width}px ${colorScheme}`);
          await assertNoOverlappingControls(page, `lesson 16 ${width}px ${colorScheme}`);
          await screenshot(opened, ctx.shotsDir, `lesson-16-${width}-${colorScheme}`);
          assertCleanPage(opened, `lesson 16 ${width}px ${colorScheme}`);
          await opened.context.close();
        }
      }
    },
  },
  {
    name: 'lesson 17: the page loads, keys keep each customer in one partition, no keys spread evenly, a busy customer makes a hot partition, a fourth consumer idles, added partitions move keys, and the keys example prints partitions',
    async run(ctx) {
      const opened = await ctx.openPage(L17);
      const { page } = opened;
      const sim = await simPlaying(page);
      await page.waitForTimeout(700);
      assert((await sim.locator('svg.sim-svg .log-lane').count()) === 3, 'the topic is not drawn with three lanes');

      await seek(page, sim, 30);
      assert((await spoken(sim, 'topic orders')).includes('3 partitions · 36 records'), `the topic does not hold 36 orders: ${await spoken(sim, 'topic orders')}`);
      assert((await counter(sim, 'consumed')) === 36, `at 30 s Handled is ${await counter(sim, 'consumed')}, not 36`);
      await sim.locator('[data-stage]').screenshot({ path: join(ctx.shotsDir, 'lesson-17-stage-keys-1280.png') });

      await setKnob(page, sim, 'keyCount', 0);
      await seek(page, sim, 30);
      assert((await counter(sim, 'consumed')) === 36, 'without keys not every order was handled');

      await setKnob(page, sim, 'keyCount', 6);
      await setKnob(page, sim, 'hotKeyShare', 0.5);
      await seek(page, sim, 12);
      assert(/owns p1 · lag (\d{2})$/.test(await spoken(sim, 'consumer consumer 2')), `the hot partition's consumer is not behind at 12 s: ${await spoken(sim, 'consumer consumer 2')}`);
      await sim.locator('[data-stage]').screenshot({ path: join(ctx.shotsDir, 'lesson-17-stage-hot-1280.png') });

      await setKnob(page, sim, 'hotKeyShare', 0);
      await setKnob(page, sim, 'consumers', 4);
      await seek(page, sim, 15);
      assert((await spoken(sim, 'consumer consumer 4')).endsWith('idle: no partition'), `the fourth consumer is not idle: ${await spoken(sim, 'consumer consumer 4')}`);

      await setKnob(page, sim, 'consumers', 3);
      await setKnob(page, sim, 'addPartitionsAtMs', 8000);
      await seek(page, sim, 30);
      assert((await spoken(sim, 'topic orders')).includes('6 partitions · 36 records'), `the topic did not grow to 6 partitions: ${await spoken(sim, 'topic orders')}`);
      assert(/owns p0, p3 · lag 0$/.test(await spoken(sim, 'consumer consumer 1')), `consumer 1 does not own p0 and p3: ${await spoken(sim, 'consumer consumer 1')}`);
      await sim.locator('[data-stage]').screenshot({ path: join(ctx.shotsDir, 'lesson-17-stage-grown-1280.png') });

      const text = await runExample(page, '17-keys', 'partition 2, offset 2');
      for (const line of ['key ana   -> partition 1, offset 0', 'key ana   -> partition 1, offset 2', 'key chen  -> partition 2, offset 0',
        'no key    -> partition 0, offset 0']) {
        assert(text.includes(line), `the keys example's console has no "${line}": ${text}`);
      }
      assertCleanPage(opened, 'lesson 17');
    },
  },
  {
    name: 'lesson 17: leaders and replicas: the lanes name leader and ISR, Stop now moves p0 to broker 0 (acks all re-sends the cut order, acks 1 loses it), replication factor 1 goes offline and gives up 6 orders unless Start now brings the broker back (screenshots at 1280 and 360 px)',
    async run(ctx) {
      for (const width of [1280, 360]) {
        const opened = await ctx.openPage(L17, { width });
        const { page } = opened;
        const sim = await simPlaying(page);
        await setKnob(page, sim, 'brokers', 3);
        await setKnob(page, sim, 'replicationFactor', 2);
        await seek(page, sim, 7);
        const topic = await spoken(sim, 'topic orders');
        assert(topic.includes('p0 led by broker 1, in-sync replicas 1 and 0'), `before the stop: ${topic}`);

        // Try 1: stop broker 1 at 8 s: p0 moves to broker 0; the cut order is sent again (acks all); 36 handled.
        await seek(page, sim, 8);
        await fault(page, sim, 'stop-broker', '1');
        await seek(page, sim, 9);
        const after = await spoken(sim, 'topic orders');
        assert(after.includes('broker 1 stopped') && after.includes('p0 led by broker 0, in-sync replicas 0')
          && after.includes('p1 led by broker 2, in-sync replicas 2'), `after the stop: ${after}`);
        await stageShot(page, sim, join(ctx.shotsDir, `lesson-17-stage-broker-stopped-${width}.png`));
        await seek(page, sim, 40);
        assert((await counter(sim, 'truncated')) === 1 && (await counter(sim, 'consumed')) === 36,
          `acks all: Cut ${await counter(sim, 'truncated')}, Handled ${await counter(sim, 'consumed')}`);
        if (width === 360) {
          // Replication factor 1 at 360 px: the offline lane, the topic's badge and the producer's retries fit.
          await clearFaults(page, sim);
          await setKnob(page, sim, 'replicationFactor', 1);
          await seek(page, sim, 8);
          await fault(page, sim, 'stop-broker', '1');
          await seek(page, sim, 10);
          assert((await spoken(sim, 'topic orders')).includes('p0 offline'), `360 px: p0 is not offline: ${await spoken(sim, 'topic orders')}`);
          await stageShot(page, sim, join(ctx.shotsDir, 'lesson-17-stage-offline-360.png'));
          await page.evaluate(() => scrollTo(0, 0));
          await assertNoHorizontalOverflow(page, 'lesson 17 360px, broker stopped');
          await assertNoOverlappingControls(page, 'lesson 17 360px, broker stopped');
          assertCleanPage(opened, 'lesson 17 360px, broker stopped');
          await opened.context.close();
          continue;
        }

        // Try 2: acks 1, the same stop: the cut order is lost, 35 handled.
        await clearFaults(page, sim);
        await setKnob(page, sim, 'acks', '1');
        await seek(page, sim, 8);
        await fault(page, sim, 'stop-broker', '1');
        await seek(page, sim, 40);
        assert((await counter(sim, 'truncated')) === 1 && (await counter(sim, 'consumed')) === 35,
          `acks 1: Cut ${await counter(sim, 'truncated')}, Handled ${await counter(sim, 'consumed')}`);

        // Try 3: acks all, replication factor 1: p0 offline, 6 given up, 29 handled; started again at 12 s: 36.
        await clearFaults(page, sim);
        await setKnob(page, sim, 'acks', 'all');
        await setKnob(page, sim, 'replicationFactor', 1);
        await seek(page, sim, 8);
        await fault(page, sim, 'stop-broker', '1');
        await seek(page, sim, 10);
        assert((await spoken(sim, 'topic orders')).includes('p0 offline'), `p0 is not offline: ${await spoken(sim, 'topic orders')}`);
        assert(/retrying/.test(await spoken(sim, 'producer producer')), `the producer does not retry: ${await spoken(sim, 'producer producer')}`);
        await stageShot(page, sim, join(ctx.shotsDir, 'lesson-17-stage-offline-1280.png'));
        await seek(page, sim, 22);
        assert((await spoken(sim, 'producer producer')).startsWith('producer producer: 30 records sent · 6 given up'),
          `at 22 s: ${await spoken(sim, 'producer producer')}`);
        await seek(page, sim, 40);
        assert((await counter(sim, 'givenUp')) === 6 && (await counter(sim, 'consumed')) === 29,
          `replication factor 1: Given up ${await counter(sim, 'givenUp')}, Handled ${await counter(sim, 'consumed')}`);
        await clearFaults(page, sim);
        await seek(page, sim, 8);
        await fault(page, sim, 'stop-broker', '1');
        await seek(page, sim, 12);
        await fault(page, sim, 'start-broker', '1');
        await seek(page, sim, 13);
        assert((await spoken(sim, 'topic orders')).includes('p0 led by broker 1, in-sync replicas 1'), `after Start now: ${await spoken(sim, 'topic orders')}`);
        await seek(page, sim, 40);
        assert((await counter(sim, 'consumed')) === 36, `after Start now Handled is ${await counter(sim, 'consumed')}, not 36`);
        assertCleanPage(opened, 'lesson 17 brokers');
        await opened.context.close();
      }
    },
  },
  {
    name: 'lesson 17: the exercise fails with the starter code (a customer\'s events out of order) and passes with the solution',
    async run(ctx) {
      const opened = await ctx.openPage(L17);
      await starterFailsSolutionPasses(opened, /[A-Z][a-z]+'s events were handled out of order: (paid|shipped) was finished/,
        'lesson-17-exercise-passed-1280', ctx.shotsDir);
      assertCleanPage(opened, 'lesson 17 exercise');
    },
  },
  {
    name: 'lesson 17 at 360 and 1280 px, light and dark: no overflow, no overlapping controls (screenshots)',
    async run(ctx) {
      for (const colorScheme of ['light', 'dark'] as const) {
        for (const width of [360, 1280]) {
          const opened = await ctx.openPage(L17, { width, colorScheme });
          const { page } = opened;
          const sim = await simPlaying(page);
          await seek(page, sim, 10);
          await sim.locator('[data-stage]').screenshot({ path: join(ctx.shotsDir, `lesson-17-stage-${width}-${colorScheme}.png`) });
          await page.evaluate(() => scrollTo(0, 0));
          await page.waitForTimeout(300);
          await assertNoHorizontalOverflow(page, `lesson 17 ${width}px ${colorScheme}`);
          await assertNoOverlappingControls(page, `lesson 17 ${width}px ${colorScheme}`);
          await screenshot(opened, ctx.shotsDir, `lesson-17-${width}-${colorScheme}`);
          assertCleanPage(opened, `lesson 17 ${width}px ${colorScheme}`);
          await opened.context.close();
        }
      }
    },
  },
];
