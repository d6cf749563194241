/**
 * Light/dark theme. The page's theme is `document.documentElement.dataset.theme` ('light' | 'dark'); it follows
 * the system setting unless the learner chose one with the toggle (stored under `THEME_KEY`). Every change
 * dispatches `document` event `mqlab:theme` with `detail: { theme }` (the code editor and the D3 view listen).
 *
 * The first paint is set by a tiny inline script in `layouts/Base.astro` (`THEME_BOOT_SCRIPT`, allowed by its CSP
 * hash) so a dark page never flashes white.
 */
export type Theme = 'light' | 'dark';
export const THEME_KEY = 'mqlab:theme';
export const THEME_EVENT = 'mqlab:theme';

/** Inline boot script (runs before first paint). Keep it self-contained: it is hashed for the CSP. */
export const THEME_BOOT_SCRIPT =
  "try{var s=localStorage.getItem('mqlab:theme');document.documentElement.dataset.theme=(s==='light'||s==='dark')?s:(matchMedia('(prefers-color-scheme: dark)').matches?'dark':'light')}catch(e){document.documentElement.dataset.theme='light'}";

/** The learner's stored choice, or undefined when following the system. */
export function storedTheme(): Theme | undefined {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === 'light' || value === 'dark' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The system's preference. */
export function systemTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** The theme now applied to the page. */
export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

/** Applies `theme` and dispatches `mqlab:theme` if it changed. */
export function applyTheme(theme: Theme): void {
  if (document.documentElement.dataset.theme === theme) return;
  document.documentElement.dataset.theme = theme;
  document.dispatchEvent(new CustomEvent(THEME_EVENT, { detail: { theme } }));
}

/** Stores the learner's choice (or clears it with undefined, to follow the system again) and applies it. */
export function chooseTheme(theme: Theme | undefined): void {
  try {
    if (theme === undefined) localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, theme);
  } catch {
    // Storage unavailable: the choice lasts for this page only.
  }
  applyTheme(theme ?? systemTheme());
}

/** Follows system changes while the learner has made no choice. Call once per page. */
export function followSystemTheme(): void {
  if (typeof matchMedia !== 'function') return;
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
    if (storedTheme() === undefined) applyTheme(systemTheme());
  });
}
