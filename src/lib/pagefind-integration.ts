/**
 * Astro integration: after every `astro build` (whatever `--outDir`), index the built pages with Pagefind's Node
 * API and write the index and its JS into `<outDir>/pagefind/`, so search works offline from the site itself under
 * any base path. Only elements marked `data-pagefind-body` (lesson articles, the glossary) are indexed.
 * A Pagefind failure fails the build with Pagefind's messages.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { AstroIntegration } from 'astro';

export function pagefindIntegration(): AstroIntegration {
  return {
    name: 'mqlab-pagefind',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const { createIndex, close } = await import('pagefind');
        const outDir = fileURLToPath(dir);
        try {
          const { index, errors } = await createIndex({ forceLanguage: 'en' });
          if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
          const added = await index.addDirectory({ path: outDir });
          if (added.errors.length > 0) throw new Error(`Pagefind indexing failed: ${added.errors.join('; ')}`);
          const written = await index.writeFiles({ outputPath: join(outDir, 'pagefind') });
          if (written.errors.length > 0) throw new Error(`Pagefind could not write its files: ${written.errors.join('; ')}`);
          logger.info(`search index: ${added.page_count} pages → ${join(outDir, 'pagefind')}`);
        } finally {
          await close();
        }
      },
    },
  };
}
