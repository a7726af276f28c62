import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { getSections } from '@debrief/briefing';
import { type Database, migrate, migratedPgliteTemplate, openDatabase } from '@debrief/db';
import type { Role } from '@debrief/policy';
import type { CslPatch, SourceFormat } from '@debrief/sources';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { issueApiToken } from './auth/apiTokens.ts';
import { createAuth } from './auth/auth.ts';
import { authSecret } from './auth/instanceSecret.ts';
import { runCli } from './cliProgram.ts';
import { userCreator } from './commands/userCreator.ts';
import { type Config, configFrom } from './config.ts';
import { createLogger } from './logger.ts';
import { createWorkers, type RunningServer, type ServerOptions, type ServerWorkers, startServer } from './server.ts';
import { ensureDefaultWorkspace } from './workspaces.ts';

/** Helpers for tests that run the real server and real y-websocket clients. Not used at run time. */

/** The WebSocket Node clients use (`ws`), for client code under test outside a browser. */
export { default as NodeWebSocket } from 'ws';
export type { RunningServer };

export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), 'debrief-test-'));

/**
 * One command of `npm run cli` (cliProgram's runCli, which cli.ts runs for the process) on the
 * embedded database in `dataDir`, in this process: `input` is its standard input. cli.test.ts also
 * runs the program itself under tsx, as npm does; a process each costs seconds of start-up.
 */
export async function runCliHere(
  dataDir: string,
  args: string[],
  input = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', LOG_LEVEL: 'silent' },
    stdin: Readable.from([input]),
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
  });
  return { code, stdout, stderr };
}

/**
 * Every test server gets a real administrator account (made through the same commands as the
 * setup link and the CLI) and a real personal API token, which the helpers below present for the
 * server they talk to: tests exercise authentication and policies, never a bypass.
 */
export interface TestAccount {
  userId: string;
  email: string;
  password: string;
  token: string;
  workspaceId: string;
}

/** Tokens by server origin, for the helpers; accounts by data folder, so a restart keeps them. */
const tokensByOrigin = new Map<string, string>();
const accountsByStore = new Map<string, TestAccount>();

const storeKey = (config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>) => config.DATABASE_URL || config.DATA_DIR;

export const TEST_PASSWORD = 'correct horse battery staple';

/** Makes an administrator of the default workspace with a token, on a database no server holds. */
async function makeAccount(db: Database, name = 'Test Admin'): Promise<TestAccount> {
  const auth = createAuth(
    db,
    { secret: await authSecret(db, undefined), signInPerMinute: 1000 },
    createLogger('silent'),
  );
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomBytes(4).toString('hex')}@example.org`;
  const user = await userCreator({ db, auth }, { email, name, password: TEST_PASSWORD, instanceAdmin: true });
  const workspaceId = await ensureDefaultWorkspace(db);
  await db.prisma.membership.create({ data: { workspaceId, userId: user.id, role: 'admin' } });
  const { token } = await issueApiToken(db, user.id, 'tests');
  return { userId: user.id, email, password: TEST_PASSWORD, token, workspaceId };
}

/**
 * A new embedded database in tests is a copy of the migrated template: the same tables as initdb
 * and the migrations make, seconds sooner (an existing folder is opened as it is).
 */
async function pgliteTemplateFor(config: Pick<Config, 'DATABASE_URL'>): Promise<Blob | undefined> {
  return config.DATABASE_URL ? undefined : migratedPgliteTemplate();
}

let sharedWorkers: ServerWorkers | undefined;

/**
 * The extraction and export pools the test servers of this process share, each thread started
 * once rather than once per server; a server with limits of its own (a test of those limits)
 * gets pools of its own.
 */
function sharedWorkersFor(config: Config): ServerWorkers | undefined {
  const defaults = configFrom({});
  const limits = ['SOURCE_EXTRACT_TIMEOUT_MS', 'SOURCE_EXTRACT_MAX_MB', 'EXPORT_TIMEOUT_MS', 'EXPORT_MAX_MB'] as const;
  if (limits.some((name) => config[name] !== defaults[name])) return undefined;
  sharedWorkers ??= createWorkers(defaults);
  return sharedWorkers;
}

/** The account of a data folder (or database), made once, before any server opens it. */
export async function testAccount(config: Pick<Config, 'DATABASE_URL' | 'DATA_DIR'>): Promise<TestAccount> {
  const key = storeKey(config);
  const known = accountsByStore.get(key);
  if (known) return known;
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    pgliteTemplate: await pgliteTemplateFor(config),
  });
  try {
    await migrate(db);
    const account = await makeAccount(db);
    accountsByStore.set(key, account);
    return account;
  } finally {
    await db.close();
  }
}

export type TestServer = RunningServer & { account: TestAccount };

export async function startTestServer(
  overrides: Partial<Config> = {},
  options: ServerOptions = {},
): Promise<TestServer> {
  const server = await startBareServer(overrides, options);
  // An in-memory database lives in the server: its account is made through it, every time.
  const key = storeKey(configFrom({ DATA_DIR: 'memory://', ...overrides }));
  const account = key.startsWith('memory://') ? await makeAccount(server.db) : await inServer(server, key);
  tokensByOrigin.set(new URL(server.url).origin, account.token);
  return Object.assign(server, { account });
}

/** The real server in this process, on a fresh database with no account (first-run setup). */
export async function startBareServer(
  overrides: Partial<Config> = {},
  options: ServerOptions = {},
): Promise<RunningServer> {
  const config = configFrom({ PORT: 0, HOST: '127.0.0.1', DATA_DIR: 'memory://', LOG_LEVEL: 'silent', ...overrides });
  const pgliteTemplate = await pgliteTemplateFor(config);
  return startServer(config, createLogger(process.env.TEST_LOG_LEVEL ?? config.LOG_LEVEL), {
    pgliteTemplate,
    workers: sharedWorkersFor(config),
    ...options,
  });
}

async function inServer(server: RunningServer, key: string): Promise<TestAccount> {
  const known = accountsByStore.get(key);
  if (known) return known;
  const account = await makeAccount(server.db);
  accountsByStore.set(key, account);
  return account;
}

/**
 * Another person on a test server: an account with `role` in `workspaceId` (the default one
 * unless given) and a token of their own, made through the same commands as the API's.
 */
export async function addPerson(
  server: RunningServer,
  role: Role | null,
  name = `Person ${randomBytes(2).toString('hex')}`,
  workspaceId?: string,
): Promise<{ userId: string; email: string; token: string }> {
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomBytes(4).toString('hex')}@example.org`;
  const user = await userCreator({ db: server.db, auth: server.auth }, { email, name, password: TEST_PASSWORD });
  if (role) {
    const where = workspaceId ?? (await ensureDefaultWorkspace(server.db));
    await server.db.prisma.membership.create({ data: { workspaceId: where, userId: user.id, role } });
  }
  const { token } = await issueApiToken(server.db, user.id, 'tests');
  return { userId: user.id, email, token };
}

/** Someone who can sign in, and a personal API token of theirs for clients that cannot. */
export interface Person {
  name: string;
  email: string;
  password: string;
  token: string;
}

/**
 * Another person in the default workspace of the server at `server.url` with `role`, who joined
 * through an invitation link made by its test administrator, exactly as the UI does it (POST
 * invitations, then accept with a new account): works for a server in another process too.
 */
export async function invitePerson(
  server: { url: string; account: TestAccount | null },
  role: Role,
  name: string,
): Promise<Person> {
  const account = server.account;
  if (!account) throw new Error('the server has no test account');
  const invited = await authFetch(`${server.url}/api/workspaces/${account.workspaceId}/invitations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ role }),
  });
  if (invited.status !== 201) throw new Error(`invitation failed: ${invited.status} ${await invited.text()}`);
  const { link } = (await invited.json()) as { link: string };
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${randomBytes(4).toString('hex')}@example.org`;
  const accepted = await fetch(`${server.url}/api/invitations/${link.split('/').pop()}/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ account: { name, email, password: TEST_PASSWORD } }),
  });
  if (accepted.status !== 200) throw new Error(`accepting failed: ${accepted.status} ${await accepted.text()}`);
  // Signed in by joining: the session makes them a token, as the account page does.
  const cookie = accepted.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const issued = await fetch(`${server.url}/api/me/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, origin: new URL(server.url).origin },
    body: JSON.stringify({ name: 'tests' }),
  });
  if (issued.status !== 201) throw new Error(`token failed: ${issued.status} ${await issued.text()}`);
  const { token } = (await issued.json()) as { token: string };
  return { name, email, password: TEST_PASSWORD, token };
}

/** The token the helpers present to the server at `url` (its test account's). */
export function tokenFor(url: string): string | undefined {
  return tokensByOrigin.get(new URL(url).origin);
}

/** fetch, signed in as the test account of the server the URL points at (none for others). */
export function authFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const token = tokenFor(input);
  const headers = new Headers(init.headers);
  if (token && !headers.has('authorization')) headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

export async function createBriefing(baseUrl: string, title = 'Test briefing'): Promise<string> {
  const response = await authFetch(`${baseUrl}/api/briefings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  if (response.status !== 201) throw new Error(`create failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/**
 * Saves `content` as a source of the library through the API, declining every proposed cleaning
 * (the stored text is the content as normalised). Plain text unless `format` says otherwise.
 */
export async function createSource(
  baseUrl: string,
  source: { content: string; format?: SourceFormat; fileName?: string; metadata?: CslPatch },
): Promise<{ id: string; title: string }> {
  const { status, body } = await postJson<{ id: string; title: string }>(`${baseUrl}/api/sources`, {
    format: 'text',
    acceptedCleaning: [],
    ...source,
  });
  if (status !== 201) throw new Error(`create failed: ${status} ${JSON.stringify(body)}`);
  return body;
}

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Resolves once the first sync with the server completed. */
  synced: Promise<void>;
  destroy(): void;
}

// In Node each stock WebsocketProvider hooks process 'exit' until destroyed; tests hold dozens.
process.setMaxListeners(Math.max(process.getMaxListeners(), 200));

/**
 * A stock y-websocket client, signed in with the test account's token (`?token=`, as the provider
 * can set no header) unless `params` says otherwise. disableBc: clients in one process must not
 * sync around the server.
 */
export function connectClient(baseUrl: string, briefingId: string, params: Record<string, string> = {}): Client {
  const token = tokenFor(baseUrl);
  if (token && !('token' in params)) params = { ...params, token };
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${baseUrl.replace(/^http/, 'ws')}/collab`, briefingId, doc, {
    // biome-ignore lint/suspicious/noExplicitAny: ws implements the WebSocket surface the provider uses
    WebSocketPolyfill: WebSocket as any,
    disableBc: true,
    params,
  });
  const synced = new Promise<void>((resolve) => {
    if (provider.synced) resolve();
    else provider.once('sync', () => resolve());
  });
  return {
    doc,
    provider,
    synced,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Appends a paragraph holding `text` to the section at `index`. */
export function typeParagraph(doc: Y.Doc, index: number, text: string): void {
  const body = getSections(doc)[index]?.body;
  if (!body) throw new Error(`no section ${index}`);
  doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    const content = new Y.XmlText();
    paragraph.insert(0, [content]);
    content.insert(0, text);
    body.push([paragraph]);
  });
}

export async function waitFor(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));

export interface ChildServer {
  url: string;
  process: ChildProcess;
  /** Resolves with the exit code or signal. */
  exited: Promise<number | string | null>;
  /** Ends the process the hard way (SIGKILL), as a crash or power cut would. */
  kill(): Promise<void>;
  /** Everything the process printed so far (standard output and error). */
  output(): string;
}

/**
 * The real server in its own process (SIGKILL tests, browser tests, benchmarks), ready once it
 * logged `listening`. `nodeArgs` go before the entry point (e.g. an extra `--import`).
 */
export async function spawnServer(
  env: Record<string, string>,
  nodeArgs: string[] = [],
  options: { account?: boolean } = {},
): Promise<ChildServer & { account: TestAccount | null }> {
  // The account is made while no server holds the data (PGlite allows one process at a time).
  const account =
    options.account === false
      ? null
      : await testAccount({ DATA_DIR: env.DATA_DIR ?? './data', DATABASE_URL: env.DATABASE_URL || undefined });
  const child = await startChild(env, nodeArgs);
  if (account) tokensByOrigin.set(new URL(child.url).origin, account.token);
  return { ...child, account };
}

function startChild(env: Record<string, string>, nodeArgs: string[]): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      void kill();
      reject(new Error(`server did not report listening within 60 s:\n${output}`));
    }, 60_000);
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
      const match = /"port":(\d+)[^\n]*"msg":"listening"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: `http://127.0.0.1:${match[1]}`, process: child, exited, kill, output: () => output });
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${output}`));
    });
  });
}

/** A bare WebSocket speaking the protocol by hand, for what a stock provider never sends. */
export async function rawSocket(baseUrl: string, path: string, options: { anonymous?: boolean } = {}) {
  const token = options.anonymous ? undefined : tokenFor(baseUrl);
  const url = `${baseUrl.replace(/^http/, 'ws')}${path}${token ? `${path.includes('?') ? '&' : '?'}token=${token}` : ''}`;
  const ws = new WebSocket(url);
  const frames: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, frames, closed };
}

/** The sample corpus beside the repository (never copied into it). */
export const SAMPLE_SOURCES_DIR = fileURLToPath(new URL('../../../../shared/sources/', import.meta.url));

export async function postJson<T = unknown>(
  url: string,
  body: unknown,
  method = 'POST',
): Promise<{ status: number; body: T }> {
  const response = await authFetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function getJson<T = unknown>(url: string): Promise<{ status: number; body: T }> {
  const response = await authFetch(url);
  return { status: response.status, body: (await response.json()) as T };
}

/** A port nobody listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

/** A Redis server of a test's own, on its own port: killing it affects nothing else. */
export interface TestRedis {
  url: string;
  /** Ends it the hard way (SIGKILL). */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: it keeps nothing). */
  start(): Promise<void>;
}

/**
 * Starts `redis-server` on a free port with nothing saved to disk. Answers null (with the reason
 * printed) when there is no redis-server outside CI; in CI that is an error, because the
 * scale-out tests must run there.
 */
export async function startTestRedis(): Promise<TestRedis | null> {
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const reason = probe.error?.message ?? probe.stderr;
    if (process.env.CI) throw new Error(`redis-server is required in CI: ${reason}`);
    console.warn(`skipping Redis tests: no redis-server (${reason})`);
    return null;
  }
  const port = await freePort();
  let child: ChildProcess | null = null;
  const start = async () => {
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    child = started;
    const until = Date.now() + 10_000;
    while (!(await accepts(port))) {
      if (Date.now() > until || started.exitCode !== null) throw new Error(`redis-server did not start on ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const kill = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  process.once('exit', () => (child as ChildProcess | null)?.kill('SIGKILL'));
  return { url: `redis://127.0.0.1:${port}`, kill, start };
}
