// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';

/**
 * Base path for self-hosting under a subpath: `BASE_PATH=/mq-lab/ npm run build`.
 * Always starts and ends with "/" so `import.meta.env.BASE_URL + 'lessons/…'` is a valid URL.
 */
function basePath() {
  const raw = (process.env.BASE_PATH ?? '/').trim();
  const inner = raw.replace(/^\/+|\/+$/g, '');
  return inner === '' ? '/' : `/${inner}/`;
}

export default defineConfig({
  base: basePath(),
  trailingSlash: 'ignore',
  integrations: [mdx()],
  build: { format: 'directory', assets: '_assets' },
  devToolbar: { enabled: false },
  vite: {
    worker: { format: 'es' },
  },
});
