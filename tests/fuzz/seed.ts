/**
 * The seed of a fuzz run: FUZZ_SEED when given (to replay a failure), else a fresh one. Printed
 * either way, so any failure in CI can be replayed with `FUZZ_SEED=<seed> npm run test:fuzz`.
 */
export function fuzzSeed(name: string): number {
  const given = process.env.FUZZ_SEED;
  const seed = given ? Number.parseInt(given, 10) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isSafeInteger(seed)) throw new Error(`FUZZ_SEED must be an integer, got ${given}`);
  process.stdout.write(`[fuzz] ${name}: seed ${seed} (replay: FUZZ_SEED=${seed} npm run test:fuzz)\n`);
  return seed;
}

/** mulberry32: small, fast and good enough to drive input generation reproducibly. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number): number => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number): boolean => next() < p,
    /** One of `entries`, each as likely as its weight. */
    weighted<T>(entries: ReadonlyArray<readonly [weight: number, item: T]>): T {
      let roll = next() * entries.reduce((sum, [weight]) => sum + weight, 0);
      for (const [weight, item] of entries) {
        roll -= weight;
        if (roll < 0) return item;
      }
      return entries[entries.length - 1]![1];
    },
    bytes(length: number): Uint8Array {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256);
      return out;
    },
  };
}

export type Random = ReturnType<typeof createRandom>;
