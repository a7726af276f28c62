import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { briefingCreator } from '../commands/briefingCreator.ts';
import { sourceImporter } from '../commands/sourceImporter.ts';
import { operatorActor } from '../context/operatorActor.ts';
import type { RunningServer } from '../server.ts';
import { authFetch, rawSocket, startTestServer } from '../testing.ts';
import { ensureWorkspace } from '../workspaces.ts';

/**
 * Every route, generated from the OpenAPI document so that a new route is covered without
 * editing this file: a briefing or source of a workspace the caller does not belong to answers
 * exactly like a missing one (404), and is left as it was; a collection of such a workspace
 * answers 404 as well.
 */

interface Operation {
  method: string;
  path: string;
  action: string;
  body: unknown;
}

/** A request body that passes validation, so that only the workspace rule can refuse it. */
const BODIES: Record<string, unknown> = {
  'post /briefings': { title: 'Elsewhere' },
  'patch /briefings/{id}': { title: 'Renamed from elsewhere' },
  'patch /sources/{id}': { metadata: { title: 'Renamed from elsewhere' } },
  'post /sources': { format: 'text', content: 'Some other text.', acceptedCleaning: [] },
  'post /sources/preview': { format: 'text', content: 'Some other text.' },
  'post /sources/fetch': { url: 'https://example.com/' },
};

describe("another workspace's resources", () => {
  let server: RunningServer;
  let operations: Operation[];
  const elsewhere = { workspaceId: '', briefingId: '', sourceId: '' };

  beforeAll(async () => {
    server = await startTestServer();
    // A second workspace, which the local user is no member of, with a briefing and a source.
    elsewhere.workspaceId = await ensureWorkspace(server.db, 'Elsewhere');
    const ctx = { actor: operatorActor(elsewhere.workspaceId), workspaceId: elsewhere.workspaceId };
    elsewhere.briefingId = await briefingCreator(server.db, ctx, { title: 'Not yours' });
    elsewhere.sourceId = (
      await sourceImporter({ db: server.db, sourceExtractor: server.sourceExtractor, maxSourceBytes: 1 << 20 }, ctx, {
        format: 'text',
        content: 'A source that belongs to another workspace.',
        acceptedCleaning: 'all',
      })
    ).id;
    const document = (await (await authFetch(`${server.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { 'x-debrief-action'?: string }>>;
    };
    operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method,
        path: path.replace(/^\/api/, ''),
        action: operation['x-debrief-action'] ?? '',
        body: BODIES[`${method} ${path.replace(/^\/api/, '')}`],
      })),
    );
  });
  afterAll(async () => server?.close());

  it('are found: every API operation is in the document, and names the policy action it is guarded by', () => {
    expect(operations.length).toBeGreaterThanOrEqual(14);
    for (const operation of operations) expect(operation.action, `${operation.method} ${operation.path}`).not.toBe('');
  });

  /** Routes guarded by a workspace policy (not the actor's own account, the instance, or public ones). */
  const inAWorkspace = (operation: Operation) => !/^(signed-in|public|instance:)/.test(operation.action);
  const resourceOf = (path: string) =>
    path.startsWith('/sources')
      ? { id: elsewhere.sourceId, code: 'source_not_found' }
      : path.startsWith('/workspaces')
        ? { id: elsewhere.workspaceId, code: 'workspace_not_found' }
        : { id: elsewhere.briefingId, code: 'briefing_not_found' };

  it('answer 404 on every route with an id, and are left as they were', async () => {
    const withId = operations.filter((o) => inAWorkspace(o) && o.path.includes('{id}'));
    expect(withId.length).toBeGreaterThanOrEqual(9);
    for (const operation of withId) {
      const { id, code } = resourceOf(operation.path);
      // Other path parameters (a member, an invitation) get ids that could exist: the workspace
      // must be what refuses.
      const path = operation.path.replace('{id}', id).replace(/\{\w+\}/g, globalThis.crypto.randomUUID());
      const response = await authFetch(`${server.url}/api${path}`, {
        method: operation.method.toUpperCase(),
        headers: { 'content-type': 'application/json' },
        ...(operation.body ? { body: JSON.stringify(operation.body) } : {}),
      });
      const what = `${operation.method} ${operation.path}`;
      expect(response.status, what).toBe(404);
      const { error } = (await response.json()) as { error: { code: string } };
      expect(error.code, what).toBe(code);
    }
    const briefing = await server.db.prisma.briefing.findUnique({ where: { id: elsewhere.briefingId } });
    expect(briefing?.title).toBe('Not yours');
    const source = await server.db.prisma.source.findUnique({ where: { id: elsewhere.sourceId } });
    expect(source?.title).toBe('A source that belongs to another workspace.');
  });

  it('answer 404 on every collection asked for that workspace', async () => {
    const collections = operations.filter((o) => inAWorkspace(o) && !o.path.includes('{'));
    expect(collections.length).toBeGreaterThanOrEqual(5);
    for (const operation of collections) {
      const response = await authFetch(`${server.url}/api${operation.path}?workspace=${elsewhere.workspaceId}`, {
        method: operation.method.toUpperCase(),
        headers: { 'content-type': 'application/json' },
        ...(operation.body ? { body: JSON.stringify(operation.body) } : {}),
      });
      const what = `${operation.method} ${operation.path}`;
      expect(response.status, what).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code, what).toBe('workspace_not_found');
    }
    expect(await server.db.prisma.briefing.count({ where: { workspaceId: elsewhere.workspaceId } })).toBe(1);
    expect(await server.db.prisma.source.count({ where: { workspaceId: elsewhere.workspaceId } })).toBe(1);
  });

  it('and their live documents refuse a connection as a missing briefing would (4404)', async () => {
    const raw = await rawSocket(server.url, `/collab/${elsewhere.briefingId}`);
    expect(await raw.closed).toEqual({ code: 4404, reason: 'briefing_not_found' });
  });
});
