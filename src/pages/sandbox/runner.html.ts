/**
 * `<base>/sandbox/runner.html`: the document of the code runner's sandbox frame (static, built once).
 *
 * The page loads it in `<iframe sandbox="allow-scripts">` (no allow-same-origin ⇒ opaque origin). Its only script
 * is `src/workers/sandbox-frame.js`, inlined and allowed by its SHA-256 hash, so the frame needs no other request
 * and works from any static host, under any base path, offline, without CORS headers. Policy (`SANDBOX_FRAME_CSP`):
 * nothing may load or connect anywhere (`default-src 'none'`, `connect-src 'none'`); workers only from blob: URLs;
 * `'unsafe-eval'` because the runner compiles the learner's program with `new Function` (it only turns text into
 * code inside the frame's worker; it reaches nothing).
 */
import { createHash } from 'node:crypto';
import frameScript from '../../workers/sandbox-frame.js?raw';
import { sandboxFrameCsp } from '../../lib/csp.ts';

export const prerender = true;

export function GET(): Response {
  const hash = createHash('sha256').update(frameScript, 'utf8').digest('base64');
  const html = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${sandboxFrameCsp(`sha256-${hash}`)}">`,
    '<meta name="robots" content="noindex">',
    '<title>MQ Lab code runner sandbox</title>',
    '</head>',
    '<body>',
    `<script>${frameScript}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
}
