/**
 * Content-Security-Policies of the site.
 *
 * `CONTENT_SECURITY_POLICY`: the base of the policy every page carries (as a `<meta http-equiv>` in
 * `layouts/Base.astro`; `lib/page-csp.ts` appends to `script-src` what the site chrome needs: Pagefind's
 * `'wasm-unsafe-eval'` and the theme boot script's hash). Only the site's own origin is allowed:
 * - `default-src 'self'`: everything loads from this origin only: no CDNs, no external fonts; `connect-src 'self'`
 *   (the code runner fetches its worker script from this origin).
 * - `script-src 'self'`: Astro emits bundled scripts as files (the one inline script is allowed by hash, above).
 * - `style-src 'self' 'unsafe-inline'`: Astro may inline small stylesheets into `<style>` tags, and Monaco injects
 *   `<style>` elements at run time; neither can carry a hash we know at build time.
 * - `worker-src 'self' blob:`: Monaco's workers load from this origin (Vite may wrap them in a blob URL).
 * - `frame-src 'self'`: the code runner's sandbox frame (`sandbox/runner.html`, see `sandboxFrameCsp`).
 * - `img-src 'self' data:`: inline SVG data URLs for small icons.
 * `frame-ancestors` cannot be set from a meta tag; a host that needs it sets it as an HTTP header.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
].join('; ');

/**
 * The policy of the code runner's sandbox frame (`src/pages/sandbox/runner.html.ts`), given the hash source of its
 * one inline script (`sha256-…`). Nothing may load or connect: `default-src 'none'` and `connect-src 'none'` (fetch,
 * XHR, WebSocket, EventSource, sendBeacon fail); `script-src` names no URL (importScripts and import() of any URL
 * fail) but allows `'unsafe-eval'` (the runner compiles the learner's program with `new Function`); `worker-src
 * blob:` for the runner worker, which inherits this policy (a blob: worker takes its creator's CSP).
 */
export function sandboxFrameCsp(scriptHashSource: string): string {
  if (!/^sha256-[A-Za-z0-9+/]+=*$/.test(scriptHashSource)) {
    throw new Error(`sandboxFrameCsp: expected a 'sha256-<base64>' source, got ${JSON.stringify(scriptHashSource)}`);
  }
  return [
    "default-src 'none'",
    `script-src '${scriptHashSource}' 'unsafe-eval'`,
    'worker-src blob:',
    "connect-src 'none'",
    "style-src 'none'",
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}
