import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChildServer, type Person, spawnServer, TEST_PASSWORD, type TestAccount } from '@debrief/server/testing';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

export { invitePerson, type Person } from '@debrief/server/testing';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PASSWORD = TEST_PASSWORD;
/** Where the journeys' screenshots land. */
export const ARTIFACTS = join(ROOT, 'tests/e2e/artifacts');

export type TestServer = ChildServer & { account: TestAccount | null };

/**
 * Starts the real server (`apps/server/src/main.ts`) on a free port, backed by `dataDir`, with an
 * administrator account made before it starts (`server.account`). It serves the web app from
 * apps/web/build, so `npm run build -w @debrief/web` must have run.
 */
export const startServer = (dataDir: string): Promise<TestServer> => spawnServer({ DATA_DIR: dataDir });

/** What a journey's tests share: a data folder, the server on it (a test may restart it), Chromium. */
export interface Journey {
  dataDir: string;
  server: TestServer;
  browser: Browser;
}

/**
 * A browser journey's fixtures, made before the file's tests and torn down after them: a
 * temporary data folder, the server started on it by `start` (with an administrator account by
 * default), Debian's Chromium, and the artifacts folder.
 */
export function journey(name: string, start: (dataDir: string) => Promise<TestServer> = startServer): Journey {
  const fixture = {} as Partial<Journey>;
  beforeAll(async () => {
    fixture.dataDir = await mkdtemp(join(tmpdir(), `debrief-e2e-${name}-`));
    fixture.server = await start(fixture.dataDir);
    fixture.browser = await launchBrowser();
    await mkdir(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await fixture.browser?.close();
    await fixture.server?.kill();
    if (fixture.dataDir) await rm(fixture.dataDir, { recursive: true, force: true });
  });
  return fixture as Journey;
}

/**
 * A fresh browser profile signed in as `person` (the server's administrator unless given), through
 * the sign-in endpoint the sign-in page uses, so its session cookie is a real one.
 */
export async function signedInContext(
  browser: Browser,
  server: TestServer,
  person?: Person,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const who = person ?? server.account;
  if (!who) throw new Error('the server has no test account');
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, ...options });
  const response = await context.request.post(`${server.url}/api/auth/sign-in/email`, {
    data: { email: who.email, password: who.password },
  });
  if (!response.ok()) throw new Error(`sign-in failed: ${response.status()} ${await response.text()}`);
  return context;
}

/**
 * A script's view of a briefing, as an outside tool has it: the stock y-websocket provider signed
 * in with the administrator's API token, resolved once synced. The caller destroys the provider.
 */
export async function scriptClient(
  server: TestServer,
  briefingId: string,
): Promise<{ doc: Y.Doc; provider: WebsocketProvider }> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/collab`, briefingId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    params: { token: server.account!.token },
  });
  await new Promise<void>((synced) => provider.once('sync', () => synced()));
  return { doc, provider };
}

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
