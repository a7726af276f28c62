import { fileURLToPath } from 'node:url';
import { type ChildServer, spawnServer } from '@debrief/server/testing';
import { type Browser, chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type TestServer = ChildServer;

/**
 * Starts the real server (`apps/server/src/main.ts`) on a free port, backed by `dataDir`. It serves
 * the web app from apps/web/build, so `npm run build -w @debrief/web` must have run.
 */
export const startServer = (dataDir: string): Promise<TestServer> => spawnServer({ DATA_DIR: dataDir });

/** Debian's chromium, headless; never a browser downloaded by `playwright install`. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
