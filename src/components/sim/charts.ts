/**
 * The lesson's charts: metrics over simulated time (`ViewAdapter.series()`: queue depth, rates, latency, …) drawn
 * with D3 (d3-shape's line generators and curves, d3-selection) as line charts, with a cursor line that follows the player's clock, and each also readable as a table
 * (a `<details>` under the chart) for screen readers and for anyone who wants the numbers. Drawn once per run
 * (`setRun`); `setTime` moves only the cursor.
 */
import { curveLinear, curveStepAfter, line, select } from 'd3';
import type { Series } from '../../../simulator/view/model.ts';

/** One chart of the lesson (its declaration) and its parts in the page. */
interface ChartParts {
  series: readonly string[];
  plot: HTMLElement;
  legend: HTMLElement | null;
  table: HTMLElement;
  /** The last series drawn (redrawn when the plot's width changes). */
  drawn?: { series: readonly Series[]; endMs: number };
  cursor?: SVGLineElement;
  x?: (ms: number) => number;
}

/** Height of a plot in CSS px (its width is the plot element's, so text is never stretched). */
const HEIGHT = 150;
const MARGIN = { top: 8, right: 10, bottom: 22, left: 40 };
/** Colours of a chart's lines, in order (CSS variables with fallbacks). */
const COLOURS = ['var(--chart-1, #2457d6)', 'var(--chart-2, #d9480f)', 'var(--chart-3, #1d7a46)', 'var(--chart-4, #7b3fb8)'];
/** Most table rows (a long run is sampled evenly). */
const TABLE_ROWS_MAX = 120;

export class Charts {
  private readonly parts: ChartParts[];

  /** `root`: the `[data-charts]` element; `declarations`: the charts of the lesson, in the same order. */
  constructor(root: HTMLElement, declarations: ReadonlyArray<{ series: readonly string[] }>) {
    this.parts = [...root.querySelectorAll<HTMLElement>('[data-chart]')].map((figure, i) => ({
      series: declarations[i]?.series ?? [],
      plot: figure.querySelector<HTMLElement>('[data-chart-plot]')!,
      legend: figure.querySelector<HTMLElement>('[data-chart-legend]'),
      table: figure.querySelector<HTMLElement>('[data-chart-table]')!,
    }));
    if ('ResizeObserver' in globalThis) {
      for (const part of this.parts) {
        let width = part.plot.clientWidth;
        new ResizeObserver(() => {
          if (part.plot.clientWidth === width || part.drawn === undefined) return;
          width = part.plot.clientWidth;
          this.draw(part, part.drawn.series, part.drawn.endMs);
        }).observe(part.plot);
      }
    }
  }

  /** Draws every chart for a run ending at `endedAtMs` from its series (missing ids are left out). */
  setRun(all: ReadonlyMap<string, Series>, endedAtMs: number): void {
    for (const part of this.parts) {
      const series = part.series.map((id) => all.get(id)).filter((s): s is Series => s !== undefined);
      this.draw(part, series, Math.max(1, endedAtMs));
      part.table.replaceChildren(tableOf(series, endedAtMs));
      part.legend?.replaceChildren(...series.map((s, i) => {
        const item = document.createElement('li');
        const swatch = document.createElement('i');
        swatch.style.background = COLOURS[i % COLOURS.length];
        item.append(swatch, `${s.label} (${s.unit})`);
        return item;
      }));
    }
  }

  /** Moves every chart's cursor to `atMs`. */
  setTime(atMs: number): void {
    for (const part of this.parts) {
      if (!part.cursor || !part.x) continue;
      const x = String(part.x(atMs));
      part.cursor.dataset.atMs = String(atMs);
      part.cursor.setAttribute('x1', x);
      part.cursor.setAttribute('x2', x);
    }
  }

  private draw(part: ChartParts, series: readonly Series[], endMs: number): void {
    part.drawn = { series, endMs };
    const WIDTH = Math.max(160, part.plot.clientWidth || 480);
    const x = linear(0, endMs, MARGIN.left, WIDTH - MARGIN.right);
    const yTicks = niceTicks(Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[1]))), 4);
    const yMax = yTicks[yTicks.length - 1];
    const y = linear(0, yMax, HEIGHT - MARGIN.bottom, MARGIN.top);
    const svg = select(part.plot).selectAll<SVGSVGElement, null>('svg').data([null]).join('svg')
      .attr('viewBox', `0 0 ${WIDTH} ${HEIGHT}`);
    svg.selectAll('*').remove();
    const xAxis = svg.append('g').attr('class', 'axis');
    xAxis.append('path').attr('d', `M${MARGIN.left},${HEIGHT - MARGIN.bottom}H${WIDTH - MARGIN.right}`);
    for (const ms of niceTicks(endMs, 5)) {
      if (ms > endMs) continue;
      xAxis.append('line').attr('x1', x(ms)).attr('x2', x(ms)).attr('y1', HEIGHT - MARGIN.bottom).attr('y2', HEIGHT - MARGIN.bottom + 4);
      xAxis.append('text').attr('x', x(ms)).attr('y', HEIGHT - 4).attr('text-anchor', 'middle').text(`${ms / 1000}s`);
    }
    const yAxis = svg.append('g').attr('class', 'axis');
    yAxis.append('path').attr('d', `M${MARGIN.left},${MARGIN.top}V${HEIGHT - MARGIN.bottom}`);
    for (const v of yTicks) {
      yAxis.append('line').attr('x1', MARGIN.left - 4).attr('x2', MARGIN.left).attr('y1', y(v)).attr('y2', y(v));
      yAxis.append('text').attr('x', MARGIN.left - 6).attr('y', y(v)).attr('dy', '0.32em').attr('text-anchor', 'end').text(String(v));
    }
    series.forEach((s, i) => {
      const path = line<readonly [number, number]>()
        .x((p) => x(p[0]))
        .y((p) => y(p[1]))
        .curve(s.curve === 'step' ? curveStepAfter : curveLinear);
      svg.append('path').attr('class', 'series').attr('stroke', COLOURS[i % COLOURS.length])
        .attr('d', path([...s.points]) ?? '');
    });
    const atMs = part.cursor ? Number(part.cursor.dataset.atMs ?? 0) : 0;
    part.cursor = svg.append('line').attr('class', 'cursor').attr('y1', MARGIN.top).attr('y2', HEIGHT - MARGIN.bottom)
      .attr('x1', x(atMs)).attr('x2', x(atMs)).node() ?? undefined;
    part.x = (ms) => x(Math.min(endMs, Math.max(0, ms)));
  }
}

/** A linear map from [d0, d1] to [r0, r1] (what d3-scale's scaleLinear does, without its weight). */
function linear(d0: number, d1: number, r0: number, r1: number): (value: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (value) => r0 + (value - d0) * k;
}

/**
 * About `count` round tick values from 0 up to at least `max` (steps of 1, 2 or 5 × 10^n), ending at or above
 * `max`: the nice bounds of a chart's axis.
 */
export function niceTicks(max: number, count: number): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = 0; v < max + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

/** The series as a table: one row per time (sampled), one column per series (the value in force at that time). */
export function tableOf(series: readonly Series[], endedAtMs: number): HTMLElement {
  const wrap = document.createElement('div');
  wrap.className = 'table-scroll';
  if (series.length === 0) {
    wrap.textContent = 'No data for this run.';
    return wrap;
  }
  const times = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b)
    .filter((t) => t <= Math.max(endedAtMs, 0));
  const step = Math.max(1, Math.ceil(times.length / TABLE_ROWS_MAX));
  const rows = times.filter((_, i) => i % step === 0);
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const text of ['time (s)', ...series.map((s) => `${s.label} (${s.unit})`)]) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = text;
    head.append(th);
  }
  const body = table.createTBody();
  for (const t of rows) {
    const row = body.insertRow();
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = (t / 1000).toFixed(2);
    row.append(th);
    for (const s of series) row.insertCell().textContent = format(valueAt(s, t));
  }
  wrap.append(table);
  return wrap;
}

/** The value of `series` in force at `atMs` (the last point at or before it; 0 before the first). */
export function valueAt(series: Series, atMs: number): number {
  let value = 0;
  for (const [t, v] of series.points) {
    if (t > atMs) break;
    value = v;
  }
  return value;
}

function format(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
