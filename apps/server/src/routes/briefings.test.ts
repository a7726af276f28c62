import { request } from 'node:http';
import { createTestPostgres } from '@debrief/db';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server.ts';
import { authFetch, createBriefing, startTestServer } from '../testing.ts';

describe('briefings API', () => {
  let server: RunningServer;
  const call = (path: string, init: RequestInit = {}) =>
    authFetch(`${server.url}${path}`, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it('creates, lists, reads, renames and deletes a briefing', async () => {
    const created = await call('/api/briefings', { method: 'POST', body: JSON.stringify({ title: '  Era phones  ' }) });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const list = (await (await call('/api/briefings')).json()) as { briefings: Array<{ id: string; title: string }> };
    expect(list.briefings.find((b) => b.id === id)?.title).toBe('Era phones');

    const renamed = await call(`/api/briefings/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({ title: 'Era lessons' }),
    });
    expect(await renamed.json()).toMatchObject({ id, title: 'Era lessons', status: 'draft' });

    expect((await call(`/api/briefings/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`/api/briefings/${id}`)).status).toBe(404);
    expect((await call(`/api/briefings/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('lists briefings most recently changed first', async () => {
    const oldest = await createBriefing(server.url, 'Created first');
    const middle = await createBriefing(server.url, 'Created second');
    const newest = await createBriefing(server.url, 'Created third');
    const order = async () =>
      ((await (await call('/api/briefings')).json()) as { briefings: Array<{ id: string }> }).briefings
        .map((b) => b.id)
        .filter((id) => [oldest, middle, newest].includes(id));
    expect((await order()).indexOf(newest)).toBeLessThan((await order()).indexOf(oldest));
    // A change, not the creation, is what counts: the renamed one comes first.
    const renamed = await call(`/api/briefings/${oldest}`, {
      method: 'PATCH',
      body: JSON.stringify({ title: 'Changed' }),
    });
    expect(renamed.status).toBe(200);
    expect((await order())[0]).toBe(oldest);
  });

  it.each([
    ['an empty title', JSON.stringify({ title: '' }), /title/],
    ['a blank title', JSON.stringify({ title: '    ' }), /title/],
    ['an overlong title', JSON.stringify({ title: 'x'.repeat(201) }), /title/],
    ['a title of the wrong type', JSON.stringify({ title: 42 }), /title/],
    ['malformed JSON', '{"title": ', /JSON/i],
  ])('answers 400 with a clear message for %s, and creates nothing', async (_what, body, message) => {
    const before = await server.db.prisma.briefing.count();
    const response = await call('/api/briefings', { method: 'POST', body });
    expect(response.status).toBe(400);
    const error = ((await response.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('invalid_request');
    expect(error.message).toMatch(message);
    expect(await server.db.prisma.briefing.count()).toBe(before);
  });

  it('refuses a title containing NUL with invalid_text and turns a lone surrogate into U+FFFD', async () => {
    const before = await server.db.prisma.briefing.count();
    const refused = await call('/api/briefings', {
      method: 'POST',
      body: JSON.stringify({ title: 'Era\u0000phones' }),
    });
    expect(refused.status).toBe(422);
    const error = ((await refused.json()) as { error: { code: string; message: string } }).error;
    expect(error).toMatchObject({ code: 'invalid_text', message: expect.stringMatching(/title.*NUL/) });
    expect(await server.db.prisma.briefing.count()).toBe(before);

    const created = await call('/api/briefings', {
      method: 'POST',
      body: JSON.stringify({ title: 'Era \ud800 phones' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect(((await (await call(`/api/briefings/${id}`)).json()) as { title: string }).title).toBe('Era \ufffd phones');
  });

  it('answers a body of a content type the route does not take with 415 unsupported_media_type', async () => {
    const response = await call('/api/briefings', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ title: 'Plain' }),
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unsupported_media_type');
  });

  it('refuses a body over 1 MB with 413 payload_too_large before reading it', async () => {
    // The server answers before reading the whole body and drops that connection: use one of its
    // own so the shared keep-alive pool is not handed a closed socket.
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        `${server.url}/api/briefings`,
        { method: 'POST', agent: false, headers: { 'content-type': 'application/json' } },
        (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ title: 'x'.repeat(2 * 1024 * 1024) }));
    });
    expect(answer.status).toBe(413);
    expect((JSON.parse(answer.body) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('answers 400 for a malformed id and 404 for an unknown one', async () => {
    expect((await call('/api/briefings/nope')).status).toBe(400);
    const unknown = await call('/api/briefings/7d1e0f7e-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('briefing_not_found');
  });

  it('reads an id in any letter case as the same briefing, and answers in canonical form', async () => {
    const { id } = (await (
      await call('/api/briefings', { method: 'POST', body: JSON.stringify({ title: 'Case' }) })
    ).json()) as {
      id: string;
    };
    const upper = id.toUpperCase();
    const renamed = await call(`/api/briefings/${upper}`, {
      method: 'PATCH',
      body: JSON.stringify({ title: 'Cased' }),
    });
    expect(await renamed.json()).toMatchObject({ id, title: 'Cased' });
    expect(server.registry.loadedIds()).not.toContain(upper);
    expect(await (await call(`/api/briefings/${id}`)).json()).toMatchObject({ id, title: 'Cased' });
  });

  it('keeps the old title when a rename is invalid', async () => {
    const { id } = (await (
      await call('/api/briefings', { method: 'POST', body: JSON.stringify({ title: 'Stable' }) })
    ).json()) as {
      id: string;
    };
    expect((await call(`/api/briefings/${id}`, { method: 'PATCH', body: JSON.stringify({ title: ' ' }) })).status).toBe(
      400,
    );
    expect(((await (await call(`/api/briefings/${id}`)).json()) as { title: string }).title).toBe('Stable');
  });

  it('describes itself in an OpenAPI document', async () => {
    const doc = (await (await call('/api/openapi.json')).json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/briefings', '/api/briefings/{id}']));
  });

  it('exposes Prometheus metrics, including the group-commit batch sizes', async () => {
    const response = await call('/metrics');
    expect(response.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await response.text();
    for (const name of [
      'debrief_ws_connections',
      'debrief_documents_loaded',
      'debrief_log_batch_updates',
      'debrief_process_cpu_seconds_total',
    ]) {
      expect(text).toContain(name);
    }
  });

  it('reports health and readiness, and 404s unknown API routes as JSON', async () => {
    expect(await (await call('/healthz')).json()).toEqual({ status: 'ok' });
    expect(await (await call('/readyz')).json()).toEqual({ status: 'ready', database: 'pglite' });
    const missing = await call('/api/nothing');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('not_found');
  });
});

const postgres = await createTestPostgres();
afterAll(async () => postgres?.drop());

describe.runIf(postgres)('readiness when the database goes away (PostgreSQL)', () => {
  it('answers /readyz 503 while the database refuses connections, and 200 again once it is back', async () => {
    const server = await startTestServer({ DATABASE_URL: postgres!.url });
    const name = new URL(postgres!.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: postgres!.url.replace(`/${name}`, '/postgres') });
    await admin.connect();
    try {
      const ready = async () => {
        const response = await fetch(`${server.url}/readyz`);
        return { status: response.status, body: await response.json() };
      };
      expect(await ready()).toEqual({ status: 200, body: { status: 'ready', database: 'postgres' } });
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      expect(await ready()).toEqual({ status: 503, body: { status: 'database_unreachable' } });
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await expect.poll(async () => (await ready()).status, { timeout: 10_000 }).toBe(200);
    } finally {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      await admin.end();
      await server.close();
    }
  });
});
