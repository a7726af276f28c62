import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getSections } from '@debrief/briefing';
import type { CslPatch, SourceFormat } from '@debrief/sources';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { type Config, configFrom } from './config.ts';
import { createLogger } from './logger.ts';
import { type RunningServer, type ServerOptions, startServer } from './server.ts';

/** Helpers for tests that run the real server and real y-websocket clients. Not used at run time. */

export type { RunningServer };

export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), 'debrief-test-'));

export function startTestServer(overrides: Partial<Config> = {}, options: ServerOptions = {}): Promise<RunningServer> {
  const config = configFrom({ PORT: 0, HOST: '127.0.0.1', DATA_DIR: 'memory://', LOG_LEVEL: 'silent', ...overrides });
  return startServer(config, createLogger(process.env.TEST_LOG_LEVEL ?? config.LOG_LEVEL), options);
}

export async function createBriefing(baseUrl: string, title = 'Test briefing'): Promise<string> {
  const response = await fetch(`${baseUrl}/api/briefings`, {
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

/** A stock y-websocket client. disableBc: clients in one process must not sync around the server. */
export function connectClient(baseUrl: string, briefingId: string, params: Record<string, string> = {}): Client {
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
}

/**
 * The real server in its own process (SIGKILL tests, browser tests, benchmarks), ready once it
 * logged `listening`. `nodeArgs` go before the entry point (e.g. an extra `--import`).
 */
export function spawnServer(env: Record<string, string>, nodeArgs: string[] = []): Promise<ChildServer> {
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
        resolve({ url: `http://127.0.0.1:${match[1]}`, process: child, exited, kill });
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening:\n${output}`));
    });
  });
}

/** A bare WebSocket speaking the protocol by hand, for what a stock provider never sends. */
export async function rawSocket(baseUrl: string, path: string) {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}`);
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
  const response = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function getJson<T = unknown>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as T };
}
