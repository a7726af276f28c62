import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { authFetch, type ChildServer, spawnServer, type TestAccount, tempDataDir } from '@debrief/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FuzzRequest, nextRequest, operationsOf } from './httpInputs.ts';
import { createRandom, fuzzSeed } from './seed.ts';

/** Bounds of one run: whichever comes first. */
const MAX_REQUESTS = 2_500;
const MAX_RUN_MS = 30_000;
const CONCURRENCY = 6;
/** No request may go unanswered longer than this (extraction is limited to 1 s below). */
const REQUEST_TIMEOUT_MS = 20_000;
/**
 * /healthz is asked every HEALTH_EVERY_MS while the fuzz runs and must answer within this. With
 * extraction on the event loop it went unanswered for 12-20 s; off it, the worst seen on a shared
 * two-core machine under a load average of 7 was 1.2 s (the median 15-70 ms).
 */
const HEALTH_BOUND_MS = 3_000;
const HEALTH_EVERY_MS = 200;
const SECRET = 'a secret beside the web folder';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** node:http, one connection per request: paths go out exactly as written (fetch would tidy them). */
function send(base: URL, fuzz: FuzzRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        method: fuzz.method,
        path: fuzz.path,
        headers: fuzz.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(fuzz.body);
  });
}

/** Bytes as they are on a socket; the answer is whatever arrives before the server closes. */
function sendRaw(base: URL, bytes: Buffer): Promise<Answer | null> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(base.port), base.hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const received = Buffer.concat(chunks);
      if (received.length === 0) return resolve(null);
      const headEnd = received.indexOf('\r\n\r\n');
      const head = received.subarray(0, headEnd === -1 ? received.length : headEnd).toString('utf8');
      const afterHead = headEnd === -1 ? Buffer.alloc(0) : received.subarray(headEnd + 4);
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => [
          line.slice(0, line.indexOf(':')).trim().toLowerCase(),
          line.slice(line.indexOf(':') + 1).trim(),
        ]),
      );
      const chunked = /chunked/i.test(String(headers['transfer-encoding'] ?? ''));
      // Only the first answer: bytes the server did not take as this request's body (a
      // Content-Length shorter than what was sent) are a request of their own, answered after it.
      const length = Number(headers['content-length']);
      const body = (Number.isInteger(length) ? afterHead.subarray(0, length) : afterHead).toString('utf8');
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: chunked ? body.replace(/^[0-9a-f]+\r\n/i, '').replace(/\r\n0\r\n\r\n$/, '') : body,
      });
    });
    // Half-close: the server sees the end of what a broken client sends.
    socket.end(bytes);
  });
}

/** What every answer must be: never 5xx, and every error in the JSON error shape. */
function problemsWith(fuzz: FuzzRequest, answer: Answer): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(answer.status) || answer.status < 100) problems.push(`no status line (${answer.status})`);
  if (answer.status >= 500) problems.push(`status ${answer.status}: ${answer.body.slice(0, 200)}`);
  if (answer.status >= 400) {
    const type = String(answer.headers['content-type'] ?? '');
    if (!/^application\/json/.test(type)) problems.push(`status ${answer.status} with content-type "${type}"`);
    if (fuzz.method !== 'HEAD' && !/^HEAD /.test(fuzz.raw?.toString('latin1') ?? '')) {
      try {
        const { error } = JSON.parse(answer.body) as { error?: { code?: unknown; message?: unknown } };
        if (typeof error?.code !== 'string' || typeof error.message !== 'string')
          problems.push('body is not { error: { code, message } }');
      } catch {
        problems.push(`body is not JSON: ${JSON.stringify(answer.body.slice(0, 120))}`);
      }
    }
  }
  if (answer.body.includes(SECRET)) problems.push('served a file from outside the web folder');
  return problems;
}

describe('HTTP fuzz: hostile requests to every route', () => {
  const seed = fuzzSeed('http');
  let server: ChildServer & { account: TestAccount | null };
  let base: URL;
  const logLines: string[] = [];

  beforeAll(async () => {
    const site = tempDataDir();
    writeFileSync(join(site, 'secret.txt'), SECRET);
    const web = join(site, 'web');
    mkdirSync(join(web, '_app', 'immutable'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Debrief</title>');
    writeFileSync(join(web, '_app', 'immutable', 'app.js'), 'console.log("app");');
    server = await spawnServer({
      DATA_DIR: join(site, 'data'),
      WEB_DIR: web,
      SOURCE_EXTRACT_TIMEOUT_MS: '1000',
    });
    server.process.stdout?.on('data', (chunk: Buffer) => logLines.push(...chunk.toString('utf8').split('\n')));
    base = new URL(server.url);
  });
  afterAll(async () => {
    if (server && server.process.exitCode === null) {
      server.process.kill('SIGTERM');
      await server.exited;
    }
  });

  it('answers every request below 500, errors as JSON, and stays up with /healthz answering', async () => {
    const random = createRandom(seed);
    const doc = await (await authFetch(`${server.url}/api/openapi.json`)).json();
    const { operations, resolve } = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(10);

    // Ids that exist, so that routes are fuzzed past their 404s too.
    const ids: string[] = [];
    for (const title of ['One', 'Two']) {
      const created = await authFetch(`${server.url}/api/briefings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title }),
      });
      ids.push(((await created.json()) as { id: string }).id);
    }
    const source = await authFetch(`${server.url}/api/sources`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        format: 'text',
        content: 'A source that exists, long enough to be an article about a call and its lessons. '.repeat(4),
        acceptedCleaning: [],
      }),
    });
    ids.push(((await source.json()) as { id: string }).id);

    const failures: string[] = [];
    const statuses = new Map<number | string, number>();
    const healthLatencies: number[] = [];
    let sent = 0;
    const started = Date.now();
    const running = () => sent < MAX_REQUESTS && Date.now() - started < MAX_RUN_MS && failures.length < 20;

    const health = (async () => {
      while (running()) {
        const begin = Date.now();
        try {
          const response = await authFetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(HEALTH_BOUND_MS) });
          if (response.status !== 200) failures.push(`/healthz answered ${response.status}`);
          await response.arrayBuffer();
          healthLatencies.push(Date.now() - begin);
        } catch (error) {
          failures.push(`/healthz did not answer within ${HEALTH_BOUND_MS} ms (${(error as Error).message})`);
        }
        await new Promise((r) => setTimeout(r, HEALTH_EVERY_MS));
      }
    })();

    const worker = async () => {
      while (running()) {
        const fuzz = nextRequest(random, operations, resolve, ids);
        // Most requests are signed in, so that they reach the validators and commands behind the
        // authorisation check; the rest fuzz the check itself.
        if (!fuzz.raw && random.chance(0.85)) fuzz.headers.authorization = `Bearer ${server.account!.token}`;
        sent++;
        try {
          const answer = fuzz.raw ? await sendRaw(base, fuzz.raw) : await send(base, fuzz);
          if (answer === null) {
            statuses.set('closed', (statuses.get('closed') ?? 0) + 1);
            continue;
          }
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          for (const problem of problemsWith(fuzz, answer)) failures.push(`${fuzz.label}: ${problem}`);
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (fuzz.mayReset && (code === 'ECONNRESET' || code === 'EPIPE')) {
            statuses.set(code, (statuses.get(code) ?? 0) + 1);
          } else {
            failures.push(`${fuzz.label}: ${(error as Error).message}`);
          }
        }
        if (server.process.exitCode !== null || server.process.signalCode !== null) {
          failures.push(`server exited (${server.process.exitCode ?? server.process.signalCode}) after ${fuzz.label}`);
        }
      }
    };
    await Promise.all([...Array.from({ length: CONCURRENCY }, worker), health]);
    const seconds = (Date.now() - started) / 1000;

    const sorted = [...healthLatencies].sort((a, b) => a - b);
    const summary = [...statuses].sort(([a], [b]) => String(a).localeCompare(String(b))).map(([s, n]) => `${s}×${n}`);
    process.stdout.write(
      `[fuzz] http: ${sent} requests in ${seconds.toFixed(1)} s (${(sent / seconds).toFixed(0)}/s) over ${operations.length} operations; ` +
        `answers ${summary.join(' ')}; /healthz ${sorted.length} probes, median ${sorted[sorted.length >> 1]} ms, max ${sorted.at(-1)} ms\n`,
    );

    expect(failures, `seed ${seed}`).toEqual([]);
    expect(server.process.exitCode).toBeNull();
    expect((await authFetch(`${server.url}/healthz`)).status).toBe(200);
    expect((await authFetch(`${server.url}/readyz`)).status).toBe(200);
    // Every failure the server logs at error level is a bug, whatever it answered.
    expect(logLines.filter((line) => /"level":(50|60)/.test(line))).toEqual([]);
  });
});
