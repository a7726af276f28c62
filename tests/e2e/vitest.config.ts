import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Paths below are relative to the repository root, wherever vitest is started from.
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    // Every poll here waits for a browser or a server process on a shared, loaded machine (the
    // first source import starts an extraction worker): never vitest's 1 s default.
    expect: { poll: { timeout: 15_000 } },
    hookTimeout: 120_000,
    // Each file starts its own server and browser; running them side by side only adds flakiness.
    fileParallelism: false,
  },
});
