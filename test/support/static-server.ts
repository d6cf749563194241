import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

/** MIME types for what an Astro + Monaco build emits. */
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
};

/** A running static server; `url` ends with the base path (e.g. `http://127.0.0.1:PORT/mq-lab/`). */
export interface StaticServer {
  url: string;
  origin: string;
  close(): Promise<void>;
}

/**
 * Serves `root` under `basePath` on 127.0.0.1 (random port), like a plain static host: `dir/` → `dir/index.html`,
 * `/x` → `/x/index.html` or `/x.html`, anything outside the base path or missing → 404 with `404.html` if present.
 */
export async function serveStatic(root: string, basePath = '/'): Promise<StaticServer> {
  const base = basePath.endsWith('/') ? basePath : `${basePath}/`;
  const rootAbs = resolve(root);
  const server: Server = createServer(async (req, res) => {
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      res.writeHead(400).end('malformed path');
      return;
    }
    if (!path.startsWith(base) && `${path}/` !== base) {
      res.writeHead(404).end('outside base path');
      return;
    }
    const rel = normalize(path.slice(base.length - 1) || '/');
    const candidates = rel.endsWith('/') ? [join(rel, 'index.html')] : [rel, join(rel, 'index.html'), `${rel}.html`];
    for (const candidate of candidates) {
      const file = join(rootAbs, candidate);
      if (!file.startsWith(rootAbs)) break;
      try {
        if (!(await stat(file)).isFile()) continue;
        const body = await readFile(file);
        res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body);
        return;
      } catch {
        /* try the next candidate */
      }
    }
    const notFound = await readFile(join(rootAbs, '404.html')).catch(() => null);
    res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(notFound ?? 'not found');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no TCP address');
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    url: `${origin}${base}`,
    origin,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
