/**
 * The message inspector: the body, properties, headers and whole history of one message (from the broker's view
 * adapter, `ViewAdapter.message`), its history split into what already happened at the player's time and what is
 * still to come. The learner picks a message by clicking it in the diagram, from the list, or with the `i` key.
 * It renders text only (`textContent`), never markup from a run.
 */
import type { MessageDetail } from '../../../simulator/view/model.ts';

/** Most messages listed in the picker (the first ones of the run); the diagram reaches the others by click. */
export const PICKER_MESSAGES_MAX = 400;

export class Inspector {
  private readonly panel: HTMLElement;
  private readonly title: HTMLElement;
  private readonly body: HTMLElement;
  private readonly select: HTMLSelectElement | null;
  private detail: MessageDetail | undefined;
  private renderedAtMs = Number.NaN;
  /** Called when the learner picks or closes (msgId or undefined). */
  onSelect: (msgId: string | undefined) => void = () => {};

  constructor(root: HTMLElement) {
    this.panel = root.querySelector<HTMLElement>('[data-inspector]')!;
    this.title = this.panel.querySelector<HTMLElement>('[data-inspector-title]')!;
    this.body = this.panel.querySelector<HTMLElement>('[data-inspector-body]')!;
    this.select = root.querySelector<HTMLSelectElement>('[data-inspect-select]');
    this.select?.addEventListener('change', () => this.onSelect(this.select!.value || undefined));
    this.panel.querySelector('[data-action="inspector-close"]')?.addEventListener('click', () => {
      this.onSelect(undefined);
      this.select?.focus();
    });
  }

  /** Lists a run's messages in the picker. */
  setMessages(ids: readonly string[]): void {
    if (!this.select) return;
    const placeholder = this.select.options[0];
    this.select.replaceChildren(placeholder, ...ids.slice(0, PICKER_MESSAGES_MAX).map((id) => new Option(id, id)));
    this.select.value = '';
  }

  /** Shows `detail` (undefined hides the panel) as of simulated time `atMs`. */
  show(detail: MessageDetail | undefined, atMs: number): void {
    this.detail = detail;
    this.renderedAtMs = Number.NaN;
    if (this.select) this.select.value = detail?.msgId ?? '';
    this.panel.hidden = detail === undefined;
    this.setTime(atMs);
  }

  /** Re-marks the history's past and future at `atMs` (cheap when nothing crossed). */
  setTime(atMs: number): void {
    const detail = this.detail;
    if (detail === undefined) return;
    if (!Number.isNaN(this.renderedAtMs)) {
      const crossed = detail.history.some((h) => (h.atMs <= atMs) !== (h.atMs <= this.renderedAtMs));
      if (!crossed) return;
    }
    this.renderedAtMs = atMs;
    this.title.textContent = detail.title;
    const parts: HTMLElement[] = [];
    if (detail.properties.length > 0) parts.push(pairs('Properties', detail.properties));
    if (detail.headers.length > 0) parts.push(pairs('Headers', detail.headers));
    const bodyHead = document.createElement('h4');
    bodyHead.textContent = 'Body';
    const pre = document.createElement('pre');
    pre.textContent = detail.body === '' ? '(empty)' : detail.body;
    parts.push(bodyHead, pre);
    const historyHead = document.createElement('h4');
    historyHead.textContent = 'History';
    const list = document.createElement('ol');
    for (const event of detail.history) {
      const item = document.createElement('li');
      item.className = event.atMs <= atMs ? 'is-past' : 'is-future';
      const time = document.createElement('span');
      time.className = 'time';
      time.textContent = `${(event.atMs / 1000).toFixed(3)} s`;
      item.append(time, event.text, event.atMs <= atMs ? '' : ' (later)');
      list.append(item);
    }
    parts.push(historyHead, list);
    this.body.replaceChildren(...parts);
  }
}

function pairs(heading: string, entries: ReadonlyArray<readonly [string, string]>): HTMLElement {
  const wrap = document.createElement('div');
  const head = document.createElement('h4');
  head.textContent = heading;
  const dl = document.createElement('dl');
  for (const [key, value] of entries) {
    const dt = document.createElement('dt');
    dt.textContent = key;
    const dd = document.createElement('dd');
    dd.textContent = value;
    dl.append(dt, dd);
  }
  wrap.append(head, dl);
  return wrap;
}
