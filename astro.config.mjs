// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import { monacoLazyCss } from './src/components/code/monaco-lazy-css.mjs';
import { pagefindIntegration } from './src/lib/pagefind-integration.ts';
import { rehypeGlossaryLinks } from './src/lib/glossary-links.ts';

/**
 * Base path for self-hosting under a subpath: `BASE_PATH=/mq-lab/ npm run build`.
 * Always starts and ends with "/" so `import.meta.env.BASE_URL + 'lessons/…'` is a valid URL.
 */
function basePath() {
  const raw = (process.env.BASE_PATH ?? '/').trim();
  const inner = raw.replace(/^\/+|\/+$/g, '');
  return inner === '' ? '/' : `/${inner}/`;
}

const base = basePath();

export default defineConfig({
  base,
  trailingSlash: 'ignore',
  // Pagefind indexes every build's output (search page: src/pages/search.astro).
  integrations: [mdx(), pagefindIntegration()],
  // Bold mentions of glossary terms in lessons link to their glossary entry (MDX inherits these plugins).
  // Code blocks: github-dark-default, whose comment grey (#8b949e on #0d1117, 6.2:1) passes axe's contrast check;
  // the default github-dark's comments (#6a737d on #24292e) do not, so lessons could not comment their code.
  markdown: {
    processor: unified({ rehypePlugins: [[rehypeGlossaryLinks, { base }]] }),
    shikiConfig: { theme: 'github-dark-default' },
  },
  build: { format: 'directory', assets: '_assets' },
  devToolbar: { enabled: false },
  vite: {
    // Monaco's CSS is injected when Monaco loads, not linked into every page (see the plugin's docstring).
    plugins: [monacoLazyCss()],
    worker: { format: 'es' },
    // Tests start `astro dev` with an empty dependency cache of their own (test/browser/cases/24-dev-server.ts).
    cacheDir: process.env.MQLAB_VITE_CACHE_DIR || undefined,
    // The code runner's modules (loaded only when code runs) import these two CommonJS packages. Found that late,
    // Vite re-optimised them on a fresh clone's first visit and answered "504 Outdated Optimize Dep" until a
    // reload; listed here they are pre-bundled when `npm run dev` starts.
    optimizeDeps: { include: ['buffer', 'sucrase'] },
    // Test builds and reports live inside the project; the dev server must not watch (and re-optimize on) them.
    server: { watch: { ignored: ['**/dist-test/**', '**/test-results/**', '**/.scratch/**'] } },
    // Never inline small page scripts: the CSP (src/lib/csp.ts) allows only script files and one hashed script.
    build: { assetsInlineLimit: (file) => (file.endsWith('.js') ? false : undefined) },
  },
});
