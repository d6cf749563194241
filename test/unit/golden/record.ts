/** Rewrites `trace-hashes.json` from the current code (see golden-runs.ts). Run: `node test/unit/golden/record.ts`. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenCases } from './golden-runs.ts';

const hashes: Record<string, string> = {};
for (const c of goldenCases()) hashes[c.name] = await c.hash();
writeFileSync(join(import.meta.dirname, 'trace-hashes.json'), `${JSON.stringify(hashes, null, 2)}\n`);
console.log(`recorded ${Object.keys(hashes).length} trace hashes`);
