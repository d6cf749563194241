// @ts-check
/**
 * Vite plugin: Monaco's stylesheets load with Monaco, not with the page.
 *
 * Monaco's ESM files import their own `.css`. Astro adds the CSS of every chunk a page's script can reach, dynamic
 * imports included (withastro/astro#9495), so without this plugin ~175 kB of Monaco CSS would be linked,
 * render-blocking, into every page with a code runner, although Monaco itself is only loaded on demand.
 * This plugin turns each `.css` imported from inside `monaco-editor` into a tiny JS module that inserts a
 * `<style>` element when it is evaluated (i.e. when the lazily imported Monaco chunk runs). `url(...)` references
 * (the codicon font) become Vite asset imports, so they are emitted and base-path aware as usual.
 * The site's CSP allows `style-src 'unsafe-inline'` (src/lib/csp.ts) for exactly this.
 *
 * Use in astro.config.mjs: `vite: { plugins: [monacoLazyCss()] }`.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

const PREFIX = '\0mqlab-monaco-css:';
const SUFFIX = '.style.js';
const MONACO_FILE = /[\\/]node_modules[\\/]monaco-editor[\\/]/;

/** @returns {import('vite').Plugin} */
export function monacoLazyCss() {
  return {
    name: 'mqlab:monaco-lazy-css',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!importer || !MONACO_FILE.test(importer) || !/\.css$/.test(source)) return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      if (!resolved || !/\.css$/.test(resolved.id)) return null;
      // The id must not end in `.css`, or Vite's CSS pipeline would claim it.
      return `${PREFIX}${resolved.id}${SUFFIX}`;
    },
    async load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const file = id.slice(PREFIX.length, id.endsWith(SUFFIX) ? -SUFFIX.length : undefined);
      const css = await readFile(file, 'utf8');
      /** @type {string[]} */
      const imports = [];
      /** @type {string[]} */
      const parts = [];
      let last = 0;
      for (const match of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
        const ref = match[2];
        if (/^(data:|https?:|#|\/)/.test(ref)) continue;
        const name = `asset${imports.length}`;
        const path = resolve(dirname(file), ref.replace(/[?#].*$/, ''));
        imports.push(`import ${name} from ${JSON.stringify(`${path}?url`)};`);
        parts.push(JSON.stringify(css.slice(last, match.index)), `'url("' + ${name} + '")'`);
        last = (match.index ?? 0) + match[0].length;
      }
      parts.push(JSON.stringify(css.slice(last)));
      return [
        ...imports,
        `const css = ${parts.join(' + ')};`,
        "if (typeof document !== 'undefined') {",
        "  const style = document.createElement('style');",
        `  style.dataset.monacoCss = ${JSON.stringify(file.split(/[\\/]/).pop())};`,
        '  style.textContent = css;',
        '  document.head.append(style);',
        '}',
        'export default css;',
      ].join('\n');
    },
  };
}
