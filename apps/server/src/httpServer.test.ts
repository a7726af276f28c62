import { connect } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFrom } from './config.ts';
import { type RunningServer, startServer } from './server.ts';
import { startTestServer, tokenFor } from './testing.ts';

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Writes `request` as is (no client library tidies it up) and reads until the server closes. */
function rawRequest(url: string, request: string | Buffer): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(
        lines.map((line) => {
          const colon = line.indexOf(':');
          return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
        }),
      );
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
    });
    socket.end(request);
  });
}

function expectJsonError(response: RawResponse, status: number, code: string): void {
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.headers.connection).toBe('close');
  expect(Number(response.headers['content-length'])).toBe(Buffer.byteLength(response.body));
  const body = JSON.parse(response.body) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
}

describe('HTTP server errors below the app', () => {
  let server: RunningServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it('answers a 64 KB request header with 431 and the JSON error shape', async () => {
    const response = await rawRequest(
      server.url,
      `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`,
    );
    expectJsonError(response, 431, 'request_headers_too_large');
  });

  it('answers HEAD with oversized headers with the headers of that answer and no body', async () => {
    const response = await rawRequest(
      server.url,
      `HEAD /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`,
    );
    expect(response.status).toBe(431);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toBe('');
  });

  it.each([
    ['a request line that is not HTTP', 'HELLO\r\n\r\n'],
    ['a header without a colon', 'GET /healthz HTTP/1.1\r\nHost: localhost\r\nno colon here\r\n\r\n'],
    [
      'a malformed chunked body',
      'POST /api/briefings HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ],
    ['a NUL byte in the path', 'GET /he\u0000lthz HTTP/1.1\r\nHost: localhost\r\n\r\n'],
  ])('answers %s with 400 and the JSON error shape', async (_what, request) => {
    expectJsonError(await rawRequest(server.url, request), 400, 'invalid_request');
  });

  it.each([
    ['a bad Host header', 'GET /healthz HTTP/1.1\r\nHost: exa mple.com:x\r\nConnection: close\r\n\r\n'],
    ['a backslash in the path', 'GET /api\\briefings HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'],
  ])('answers a request the adapter refuses (%s) with 400 and the JSON error shape', async (_what, request) => {
    const response = await rawRequest(server.url, request);
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect((JSON.parse(response.body) as { error: { code: string } }).error.code).toBe('invalid_request');
  });

  it('answers an HTTP/1.1 request without Host with 400 and the JSON error shape', async () => {
    expectJsonError(
      await rawRequest(server.url, 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n'),
      400,
      'invalid_request',
    );
  });

  it('answers garbage sent after a request only once that request is answered, in order', async () => {
    // A HEAD with a body it did not declare (Node's own client sends such a thing): the body is
    // parsed as the next request.
    const { hostname, port } = new URL(server.url);
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk;
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(received));
      const auth = `Authorization: Bearer ${tokenFor(server.url)}\r\n`;
      socket.end(`HEAD /api/briefings HTTP/1.1\r\nHost: localhost\r\n${auth}\r\n{"title":"x"}`);
    });
    const second = text.indexOf('HTTP/1.1 400');
    expect(text.startsWith('HTTP/1.1 200')).toBe(true);
    expect(second).toBeGreaterThan(0);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n', second) + 4))).toMatchObject({
      error: { code: 'invalid_request' },
    });
  });

  it('answers CONNECT, which no route sees, with 405 and the JSON error shape', async () => {
    expectJsonError(
      await rawRequest(server.url, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'),
      405,
      'method_not_allowed',
    );
  });

  it('answers paths outside the API that nothing serves with a JSON 404', async () => {
    const response = await fetch(`${server.url}/no/such/page`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });

  it('keeps serving after each of them', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

describe('a client that hangs up mid-request', () => {
  it('is answered without an error logged: the server did nothing wrong', async () => {
    const entries: Array<{ level: number; msg: string }> = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => entries.push(JSON.parse(line)) });
    const server = await startServer(configFrom({ PORT: 0, HOST: '127.0.0.1', DATA_DIR: 'memory://' }), logger);
    try {
      const { hostname, port } = new URL(server.url);
      await new Promise<void>((resolve) => {
        const socket = connect(Number(port), hostname, () => {
          socket.write('POST /api/briefings HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n');
          socket.write('Transfer-Encoding: chunked\r\n\r\n5\r\n{"tit\r\n');
          setTimeout(() => socket.destroy(), 200);
        });
        socket.on('close', () => resolve());
      });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      // The server has handled the hang-up once it logged it (at debug level); only then does
      // "no error logged" mean anything.
      await expect
        .poll(() => entries.some((entry) => entry.msg === 'client closed the connection mid-request'), {
          timeout: 10_000,
        })
        .toBe(true);
      expect(entries.filter((entry) => entry.level >= 50)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
