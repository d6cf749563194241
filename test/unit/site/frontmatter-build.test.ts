import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLessonFrontmatter } from '../../../src/lib/lesson-schema.ts';

const root = resolve(import.meta.dirname, '../../..');
const good = {
  title: 'T', module: 'Foundations', order: 1, durationMin: 10, concepts: ['queue'], objectives: ['o'], summary: 's',
};

describe('lesson frontmatter schema', () => {
  it('accepts a complete frontmatter', () => {
    expect(checkLessonFrontmatter('content/lessons/x.mdx', good)).toEqual([]);
  });

  it.each([
    ['a missing title', { ...good, title: undefined }, 'title'],
    ['an order that is text', { ...good, order: 'two' }, 'order'],
    ['a zero duration', { ...good, durationMin: 0 }, 'durationMin'],
    ['no objectives', { ...good, objectives: [] }, 'objectives'],
    ['no concepts', { ...good, concepts: [] }, 'concepts'],
    ['a misspelt field', { ...good, duration: 10 }, 'duration'],
  ])('names the file and the field for %s', (_name, data, field) => {
    const messages = checkLessonFrontmatter('content/lessons/x.mdx', data);
    expect(messages.length).toBeGreaterThan(0);
    expect(messages.join('\n')).toContain(`content/lessons/x.mdx: frontmatter field "${field}"`);
  });
});

describe('astro build with a broken lesson', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mqlab-frontmatter-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails, naming the lesson file and the field', () => {
    // A minimal site that uses the real collection schema, so the test builds in seconds.
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    mkdirSync(join(dir, 'src/pages'), { recursive: true });
    mkdirSync(join(dir, 'content/lessons'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'astro.config.mjs'), [
      "import { defineConfig } from 'astro/config';",
      "import mdx from '@astrojs/mdx';",
      `export default defineConfig({ integrations: [mdx()], cacheDir: ${JSON.stringify(join(dir, '.astro-cache'))}, vite: { cacheDir: ${JSON.stringify(join(dir, '.vite'))} } });`,
    ].join('\n'));
    writeFileSync(join(dir, 'src/content.config.ts'), [
      "import { defineCollection } from 'astro:content';",
      "import { glob } from 'astro/loaders';",
      `import { lessonSchema } from ${JSON.stringify(join(root, 'src/lib/lesson-schema.ts'))};`,
      "export const collections = { lessons: defineCollection({ loader: glob({ pattern: '*.mdx', base: './content/lessons' }), schema: lessonSchema }) };",
    ].join('\n'));
    writeFileSync(join(dir, 'src/pages/index.astro'), '<p>hi</p>\n');
    writeFileSync(join(dir, 'content/lessons/07-broken.mdx'), [
      '---', 'title: "Broken"', 'module: Foundations', 'order: 7', 'durationMin: "twenty"', 'concepts: [queue]',
      'objectives: [Learn]', 'summary: "s"', '---', 'Text.', '',
    ].join('\n'));
    const result = spawnSync(process.execPath, [join(root, 'node_modules/astro/bin/astro.mjs'), 'build'], {
      cwd: dir, encoding: 'utf8', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' }, timeout: 120_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.status, output).not.toBe(0);
    expect(output).toContain('content/lessons/07-broken.mdx');
    expect(output).toMatch(/durationMin/);
  }, 130_000);
});
