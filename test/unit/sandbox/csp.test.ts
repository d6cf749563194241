/**
 * The site's Content-Security-Policy allows only its own origin, and the sandbox frame's policy allows no network
 * and exactly the frame's one inline script (by hash).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, sandboxFrameCsp } from '../../../src/lib/csp.ts';
import { GET } from '../../../src/pages/sandbox/runner.html.ts';

function directives(policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
}

describe('site CSP', () => {
  it('names no host: every source is self, none, or a local scheme', () => {
    for (const [name, values] of directives(CONTENT_SECURITY_POLICY)) {
      for (const value of values) {
        expect([`'self'`, `'none'`, `'unsafe-inline'`, 'data:', 'blob:'], `${name} ${value}`).toContain(value);
      }
    }
    expect(directives(CONTENT_SECURITY_POLICY).get('default-src')).toEqual([`'self'`]);
    expect(directives(CONTENT_SECURITY_POLICY).get('connect-src')).toEqual([`'self'`]);
    expect(directives(CONTENT_SECURITY_POLICY).get('script-src')).toEqual([`'self'`]);
  });
});

describe('sandbox frame', () => {
  it('allows no connection and no script URL; rejects a malformed hash source', () => {
    const d = directives(sandboxFrameCsp('sha256-AAAA'));
    expect(d.get('default-src')).toEqual([`'none'`]);
    expect(d.get('connect-src')).toEqual([`'none'`]);
    expect(d.get('script-src')).toEqual([`'sha256-AAAA'`, `'unsafe-eval'`]);
    expect(d.get('worker-src')).toEqual(['blob:']);
    expect(() => sandboxFrameCsp("sha256-x' https://evil.example")).toThrow(/sha256/);
  });

  it('serves a page whose only script is allowed by the hash in its own policy', async () => {
    const html = await GET().text();
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256').update(scripts[0], 'utf8').digest('base64');
    const policy = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(directives(policy).get('script-src')).toEqual([`'sha256-${hash}'`, `'unsafe-eval'`]);
    expect(html).not.toMatch(/<script[^>]+src=/);
  });
});
