import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { describe, expect, it } from 'vitest';

/** Every module reachable from `entry` through relative imports, with the bare packages it imports. */
function importGraph(entry: string): { packages: Set<string>; sources: Map<string, string> } {
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
  return { packages, sources };
}

describe('the package entry point (src/index.ts), which the web client bundles', () => {
  const graph = importGraph('./index.ts');

  it('imports no Node built-in and no server-only package', () => {
    const node = new Set(builtinModules);
    const serverOnly = /^(?:@debrief\/(?:db|server)|@prisma\/|prisma|pino|ws$|@hono\/node-)/;
    const offending = [...graph.packages].filter(
      (name) => name.startsWith('node:') || node.has(name.split('/')[0]!) || serverOnly.test(name),
    );
    expect(offending).toEqual([]);
    // The editor schema is part of the entry, so it must stay browser code too.
    expect(graph.packages).toContain('@tiptap/starter-kit');
  });

  it('uses no Node globals', () => {
    for (const [module, source] of graph.sources) {
      expect(source, module).not.toMatch(/\b(?:Buffer|process|require)\b[.(]/);
    }
  });
});
