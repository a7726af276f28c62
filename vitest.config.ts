import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

// apps/web/tsconfig.json extends the tsconfig that `svelte-kit sync` writes, which a fresh clone
// has only after a build, and Vite's TypeScript transform refuses every web file without it.
const web = fileURLToPath(new URL('./apps/web/', import.meta.url));
if (!existsSync(`${web}.svelte-kit/tsconfig.json`)) {
  const kit = fileURLToPath(new URL('svelte-kit.js', import.meta.resolve('@sveltejs/kit/package.json')));
  execFileSync(process.execPath, [kit, 'sync'], { cwd: web, stdio: 'ignore' });
}
// The server's tests, and the web tests that run the real server, need the generated Prisma
// client, which a fresh clone has only after a build (`npm test` builds first; `vitest` alone not).
const prismaClient = fileURLToPath(new URL('./packages/db/src/generated/prisma/client.ts', import.meta.url));
if (!existsSync(prismaClient)) {
  execFileSync('npm', ['run', 'build', '-w', '@debrief/db'], { cwd: fileURLToPath(new URL('.', import.meta.url)) });
}

/**
 * A project of the web app's tests: its state classes and pure modules, compiled for the browser
 * as the app is (runes for Svelte's client runtime); a test file that needs a DOM asks for jsdom.
 */
function webProject(name: string, test: TestProjectInlineConfiguration['test']): TestProjectInlineConfiguration {
  return {
    plugins: [svelte({ configFile: false, compilerOptions: { runes: true } })],
    resolve: {
      alias: { $lib: fileURLToPath(new URL('./apps/web/src/lib', import.meta.url)) },
      conditions: ['browser'],
    },
    test: {
      name,
      environment: './apps/web/src/lib/testing/svelteClientEnvironment.ts',
      testTimeout: 30_000,
      hookTimeout: 60_000,
      // As in the unit project: a poll here may wait for the real server.
      expect: { poll: { timeout: 10_000 } },
      ...test,
    },
  };
}

export default defineConfig({
  test: {
    // Most of a test's time is spent waiting: on a database, a child process, a browser, a round
    // trip. Vitest's default (one worker fewer than the CPUs: one, on a two-core machine) leaves
    // the cores idle through those waits; four files at once keep them busy.
    maxWorkers: Math.max(4, availableParallelism()),
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'apps/server/src/**/*.test.ts'],
          // Files share a worker's loaded modules instead of each importing the server afresh
          // (most of a short file's cost). Nothing a file leaves behind may change another's
          // result: servers keep their state to themselves (auth's rate limits, the global fetch
          // classes), and every test makes its own servers and databases.
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // The polls here wait for real servers, databases and child processes on a shared
          // machine: 10 s, not vitest's 1 s default.
          expect: { poll: { timeout: 10_000 } },
        },
      },
      webProject('web', {
        include: ['apps/web/src/**/*.test.ts'],
        exclude: ['apps/web/src/**/*.server.test.ts'],
      }),
      // The web client's tests against the real server (named *.server.test.ts), started in the
      // test's own process. The server is Node code: Node loads it (through tsx's loader, as
      // `npm start` runs it) and not Vite, which would compile it for the browser like the web
      // app's modules. Only these files pay for the loader (about half a CPU-second each).
      webProject('web-server', {
        include: ['apps/web/src/**/*.server.test.ts'],
        server: { deps: { external: [/\/apps\/server\/src\//] } },
        execArgv: ['--import', import.meta.resolve('tsx')],
      }),
    ],
  },
});
