import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Every module reachable from `entry` through relative imports, with the bare packages it imports. */
function importGraph(entry: string): { modules: string[]; packages: Set<string>; sources: Map<string, string> } {
  const sources = new Map<string, string>();
  const packages = new Set<string>();
  const pending = [new URL(entry, import.meta.url)];
  while (pending.length > 0) {
    const url = pending.pop()!;
    if (sources.has(url.href)) continue;
    const source = readFileSync(url, 'utf8');
    sources.set(url.href, source);
    for (const [, specifier] of source.matchAll(/^(?:import|export)[^'"]*?from\s+'([^']+)'/gm)) {
      if (specifier!.startsWith('.')) pending.push(new URL(specifier!, url));
      else packages.add(specifier!);
    }
  }
  return { modules: [...sources.keys()], packages, sources };
}

describe('the browser entry point (src/index.ts)', () => {
  const graph = importGraph('./index.ts');

  it('imports no Node built-in and no server-only package', () => {
    expect([...graph.packages].sort()).toEqual([
      '@debrief/errors',
      '@noble/hashes/sha2.js',
      '@noble/hashes/utils.js',
      'approx-string-match',
      'zod',
    ]);
  });

  it('uses no Node globals', () => {
    for (const [module, source] of graph.sources) {
      expect(source, module).not.toMatch(/\b(?:Buffer|process|require)\b[.(]/);
    }
  });

  it('does not reach the server modules', () => {
    expect(graph.modules.some((module) => /server|prepareSource|fetchSourceUrl|dom\.ts/.test(module))).toBe(false);
  });
});
