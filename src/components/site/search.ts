/**
 * Search page behaviour over Pagefind's JS API (`<base>/pagefind/pagefind.js`, written at build time). Results
 * show the page title, an excerpt with the matches marked, and up to three sections (sub-results) of the page.
 * Excerpts come from Pagefind as HTML built from our own pages' text with `<mark>` around matches; everything
 * else is inserted as text.
 */

interface PagefindSubResult { title: string; url: string; excerpt: string; locations?: number[] }
interface PagefindData { url: string; excerpt: string; meta: { title?: string }; sub_results?: PagefindSubResult[] }
interface PagefindResult { id: string; data(): Promise<PagefindData> }
interface Pagefind {
  options?(options: Record<string, unknown>): Promise<void>;
  search(query: string): Promise<{ results: PagefindResult[] }>;
  debouncedSearch?(query: string, options?: unknown, timeoutMs?: number): Promise<{ results: PagefindResult[] } | null>;
}

/** Most results rendered. */
const RESULTS_MAX = 20;
/** Most sections listed under one result. */
const SUB_RESULTS_MAX = 3;

/** Only `<mark>` survives from an excerpt: everything else is escaped. */
export function safeExcerpt(html: string): string {
  const escaped = html.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped.replace(/&lt;mark&gt;/g, '<mark>').replace(/&lt;\/mark&gt;/g, '</mark>').replace(/&amp;(amp|lt|gt|quot|#39|#x27);/g, '&$1;');
}

/** The status line after a search: "No results for “q”.", "1 page matches “q”.", "3 pages match “q”.". */
export function resultCountText(count: number, query: string): string {
  if (count === 0) return `No results for “${query}”.`;
  return count === 1 ? `1 page matches “${query}”.` : `${count} pages match “${query}”.`;
}

/** Wires the search page (`src/pages/search.astro`): the form, `?q=`, Pagefind results and the status line. */
export function runSearchPage(root: HTMLElement): void {
  const input = root.querySelector<HTMLInputElement>('[data-search-input]')!;
  const form = root.querySelector<HTMLFormElement>('[data-search-form]')!;
  const status = root.querySelector<HTMLElement>('[data-search-status]')!;
  const list = root.querySelector<HTMLOListElement>('[data-search-results]')!;
  const url = root.dataset.pagefindUrl!;
  let pagefind: Promise<Pagefind> | undefined;
  let latest = 0;

  const load = () => {
    pagefind ??= (import(/* @vite-ignore */ url) as Promise<Pagefind>).then(async (module) => {
      await module.options?.({ excerptLength: 24, baseUrl: root.dataset.baseUrl ?? '/' });
      return module;
    });
    return pagefind;
  };

  const search = async (query: string) => {
    const ticket = ++latest;
    const q = query.trim();
    const params = new URL(location.href);
    if (q) params.searchParams.set('q', q);
    else params.searchParams.delete('q');
    history.replaceState(null, '', params);
    if (!q) {
      list.replaceChildren();
      status.textContent = '';
      return;
    }
    status.textContent = 'Searching…';
    let api: Pagefind;
    try {
      api = await load();
    } catch {
      pagefind = undefined;
      status.textContent = root.dataset.dev === 'true'
        ? 'Search needs a build: run npm run build, then npm run preview.'
        : 'The search index could not be loaded. Reload the page to try again.';
      root.dataset.searchState = 'unavailable';
      return;
    }
    const found = await api.search(q);
    const data = await Promise.all(found.results.slice(0, RESULTS_MAX).map((result) => result.data()));
    if (ticket !== latest) return;
    list.replaceChildren(...data.map((result) => renderResult(result, q)));
    status.textContent = resultCountText(found.results.length, q);
    root.dataset.searchState = 'done';
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void search(input.value), 200);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    void search(input.value);
  });
  const initial = new URL(location.href).searchParams.get('q') ?? '';
  input.value = initial;
  if (initial) void search(initial);
  else input.focus();
}

/**
 * The sections worth listing under a page: the one whose heading is the query, then those whose heading contains
 * it (a glossary term searched by name), then those with the most matches; the page's own top section is left out.
 */
export function rankSubResults<T extends PagefindSubResult>(subs: readonly T[], pageUrl: string, pageTitle: string | undefined, query: string): T[] {
  const q = query.trim().toLowerCase();
  const score = (sub: T) => {
    const title = sub.title.toLowerCase();
    return (title === q ? 2000 : title.includes(q) ? 1000 : 0) + (sub.locations?.length ?? 0);
  };
  return subs
    .filter((sub) => sub.url !== pageUrl && sub.title !== pageTitle)
    .map((sub, index) => ({ sub, index, score: score(sub) }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((entry) => entry.sub);
}

function renderResult(data: PagefindData, query: string): HTMLLIElement {
  const item = document.createElement('li');
  const title = document.createElement('a');
  title.className = 'result-title';
  title.href = data.url;
  title.textContent = data.meta.title ?? data.url;
  const excerpt = document.createElement('p');
  excerpt.className = 'result-excerpt';
  excerpt.innerHTML = safeExcerpt(data.excerpt);
  item.append(title, excerpt);
  const subs = rankSubResults(data.sub_results ?? [], data.url, data.meta.title, query).slice(0, SUB_RESULTS_MAX);
  if (subs.length > 0) {
    const subList = document.createElement('ul');
    subList.className = 'sub-results';
    for (const sub of subs) {
      const li = document.createElement('li');
      const link = document.createElement('a');
      link.href = sub.url;
      link.textContent = sub.title;
      const text = document.createElement('span');
      text.className = 'result-excerpt';
      text.innerHTML = ` — ${safeExcerpt(sub.excerpt)}`;
      li.append(link, text);
      subList.append(li);
    }
    item.append(subList);
  }
  return item;
}
