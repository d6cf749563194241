/**
 * The Content-Security-Policy every page carries (as a `<meta http-equiv>` in `layouts/Base.astro`).
 *
 * - Everything loads from this origin only: no CDNs, no external fonts, `connect-src 'self'`.
 * - `script-src 'self' 'wasm-unsafe-eval'`: Astro emits bundled scripts as files; Pagefind's search compiles its
 *   WebAssembly module (no JS eval). The one inline script, the theme boot script of `layouts/Base.astro`, is
 *   allowed by its hash through `withScriptHashes`.
 * - `style-src 'self' 'unsafe-inline'`: Astro may inline small stylesheets into `<style>` tags, and Monaco injects
 *   `<style>` elements at run time; neither can carry a hash we know at build time.
 * - `worker-src 'self' blob:`: the code runner's Web Worker (and Monaco's) load from this origin or a blob URL.
 * - `img-src 'self' data:`: inline SVG data URLs for small icons.
 * `frame-ancestors` cannot be set from a meta tag; a host that needs it sets it as an HTTP header.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * `policy` with `'sha256-…'` sources (e.g. `['sha256-abc=']`) added to its `script-src` directive, for inline
 * scripts whose text is known at build time. Throws if the policy has no `script-src`.
 */
export function withScriptHashes(policy: string, hashes: readonly string[]): string {
  if (!/(^|; )script-src /.test(policy)) throw new Error('withScriptHashes: the policy has no script-src directive');
  return policy.replace(/(^|; )script-src ([^;]*)/, (_m, lead: string, sources: string) =>
    `${lead}script-src ${sources}${hashes.map((hash) => ` '${hash}'`).join('')}`);
}
