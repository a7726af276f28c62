import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['tests/fuzz/**/*.fuzz.test.ts'],
    testTimeout: 120_000,
    expect: { poll: { timeout: 15_000 } },
    // The collab fuzz phase runs in a hook until its frame count, up to 240 s on a loaded machine.
    hookTimeout: 360_000,
    // Each file runs its own server; side by side they only compete for two cores.
    fileParallelism: false,
  },
});
