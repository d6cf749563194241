/**
 * The policy pages actually carry: `CONTENT_SECURITY_POLICY` (lib/csp.ts, owned by the code runner's work) plus
 * what the site chrome needs in `script-src`:
 * - `'wasm-unsafe-eval'`: Pagefind's search (`pages/search.astro`) compiles its WebAssembly module. This allows
 *   WebAssembly compilation only, not JavaScript eval.
 * - `'sha256-…'` of the theme boot script (`lib/theme.ts` THEME_BOOT_SCRIPT), the only inline script, which sets
 *   the theme before the first paint.
 */
import { createHash } from 'node:crypto';
import { CONTENT_SECURITY_POLICY } from './csp.ts';

/** `policy` with `sources` (already quoted, e.g. `'sha256-abc='`) appended to `script-src`. Throws if it has none. */
export function withScriptSources(policy: string, sources: readonly string[]): string {
  if (!/(^|; )script-src /.test(policy)) throw new Error('withScriptSources: the policy has no script-src directive');
  return policy.replace(/(^|; )script-src ([^;]*)/, (_m, lead: string, current: string) =>
    `${lead}script-src ${[current, ...sources.filter((s) => !current.split(' ').includes(s))].join(' ')}`);
}

/** CSP hash source of an inline script's exact text: `'sha256-<base64>'`. */
export function scriptHashSource(script: string): string {
  return `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
}

/** The page policy allowing Pagefind's WebAssembly and the given inline scripts. */
export function pageContentSecurityPolicy(inlineScripts: readonly string[]): string {
  return withScriptSources(CONTENT_SECURITY_POLICY, ["'wasm-unsafe-eval'", ...inlineScripts.map(scriptHashSource)]);
}
