import { readdirSync, readFileSync } from 'node:fs';

/*
 * Test support, not part of the package's API: the sample articles in the workspace's shared
 * folder, read where they are (they are the user's data and are never copied into the repo).
 */
export const SAMPLE_DIR = new URL('../../../../shared/sources/', import.meta.url);

export function sampleNames(): string[] {
  return readdirSync(SAMPLE_DIR)
    .filter((name) => name.endsWith('.txt'))
    .sort();
}

export function readSample(prefix: string): string {
  const name = sampleNames().find((candidate) => candidate.startsWith(prefix));
  if (!name) throw new Error(`No sample source starts with ${prefix} in ${SAMPLE_DIR.pathname}`);
  return readFileSync(new URL(name, SAMPLE_DIR), 'utf8');
}

export function readSampleBytes(name: string): Uint8Array {
  return readFileSync(new URL(name, SAMPLE_DIR));
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so a failing case can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
