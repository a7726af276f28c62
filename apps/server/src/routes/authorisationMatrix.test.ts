import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bytes, createTestPostgres } from '@debrief/db';
import { atLeast, POLICY, type Role } from '@debrief/policy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueApiToken } from '../auth/apiTokens.ts';
import { briefingCreator } from '../commands/briefingCreator.ts';
import { invitationCreator } from '../commands/invitationCommands.ts';
import { sourceImporter } from '../commands/sourceImporter.ts';
import { operatorActor } from '../context/operatorActor.ts';
import { addPerson, startTestServer, TEST_PASSWORD, type TestServer } from '../testing.ts';
import { ensureWorkspace } from '../workspaces.ts';

/**
 * The authorisation matrix: every REST route of the OpenAPI document × every kind of caller, with
 * the answer the policies require. The routes come from the document, so a new route is in the
 * matrix without editing this file, and one whose guard names no known policy fails it.
 *
 * Callers use what the web app uses: a session cookie (signed in through the API, with the page's
 * Origin on changes), except the revoked token. Each caller's request gets fresh resources where
 * it would change or use them up, so the order of the matrix does not matter.
 */

const PRINCIPALS = ['anonymous', 'viewer', 'editor', 'lead', 'admin', 'outsider', 'revoked token', 'instance admin'];
type Principal = (typeof PRINCIPALS)[number];
const ROLE_OF: Partial<Record<Principal, Role>> = { viewer: 'viewer', editor: 'editor', lead: 'lead', admin: 'admin' };

interface Operation {
  method: string;
  /** As in the document, without /api: `/briefings/{id}`. */
  path: string;
  action: string;
}

/** What a caller must be answered: `allowed` (any answer that is not a refusal), or a status. */
type Expected = 'allowed' | 401 | 403 | 404;

function expected(operation: Operation, principal: Principal): Expected {
  const { action } = operation;
  const key = `${operation.method} ${operation.path}`;
  if (action === 'public') {
    // Joining needs an account: a new one in the body, or a session (anonymous gives neither here).
    if (key === 'post /invitations/{token}/accept' && (principal === 'anonymous' || principal === 'revoked token')) {
      return 401;
    }
    return 'allowed';
  }
  if (principal === 'anonymous' || principal === 'revoked token') return 401;
  if (action === 'signed-in') return 'allowed';
  if (action.startsWith('instance:')) return principal === 'instance admin' ? 'allowed' : 403;
  if (!(action in POLICY)) throw new Error(`${key} is guarded by ${action}, which no policy defines`);
  const role = ROLE_OF[principal];
  // Anyone not in the workspace (another workspace's member, an instance admin who is not in it)
  // is told it does not exist.
  if (!role) return 404;
  return atLeast(role, POLICY[action as keyof typeof POLICY]) ? 'allowed' : 403;
}

/** Routes that end or change the caller's own access: each call gets a caller of its own. */
const USES_UP_CALLER = new Set([
  'post /auth/sign-out',
  'post /me/sign-out-everywhere',
  'post /me/password',
  'post /workspaces/{id}/leave',
  // Joining makes an outsider a member: they would no longer be one for the rest of the matrix.
  'post /invitations/{token}/accept',
]);

async function matrix(overrides: Record<string, string | boolean> = {}) {
  // Dozens of callers sign in from one address within a minute: the sign-in rate limit is lifted.
  const server: TestServer = await startTestServer({
    SOURCE_FETCH_ALLOW_PRIVATE: true,
    SIGN_IN_PER_MINUTE: 100_000,
    ...overrides,
  });
  const pages: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('A page of plain text about a briefing that was fetched for the matrix.');
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  const pageUrl = `http://127.0.0.1:${(pages.address() as AddressInfo).port}/page.txt`;

  const target = await ensureWorkspace(server.db, 'Target');
  const other = await ensureWorkspace(server.db, 'Other');
  const operator = { actor: operatorActor(target), workspaceId: target, ip: null };
  let counter = 0;
  const unique = (what: string) => `${what} ${++counter}`;

  const newBriefing = () => briefingCreator(server.db, operator, { title: unique('Briefing') });
  const newSource = async () =>
    (
      await sourceImporter(
        { db: server.db, sourceExtractor: server.sourceExtractor, maxSourceBytes: 1 << 20 },
        operator,
        { format: 'text', content: unique('A source of the target workspace, number'), acceptedCleaning: [] },
      )
    ).id;
  const newInvitation = () => invitationCreator({ db: server.db }, operator, { role: 'viewer' });
  const newExportJob = (briefingId: string) =>
    server.db.prisma.exportJob.create({
      data: {
        briefingId,
        stateKey: 'live:0',
        format: 'markdown',
        style: 'chicago',
        status: 'done',
        fileName: 'matrix.md',
        file: bytes(new TextEncoder().encode('# Matrix\n')),
        sha256: '0'.repeat(64),
        size: 9,
      },
    });

  /** A signed-in caller: their cookie jar, and their account. */
  interface Caller {
    userId: string;
    headers: Record<string, string>;
  }
  const signIn = async (email: string): Promise<Record<string, string>> => {
    const response = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: TEST_PASSWORD }),
    });
    expect(response.status, `sign-in of ${email}`).toBe(200);
    const cookie = response.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return { cookie, origin: new URL(server.url).origin };
  };
  const newCaller = async (principal: Principal): Promise<Caller | null> => {
    if (principal === 'anonymous') return null;
    if (principal === 'instance admin') {
      const person = await addPerson(server, null, unique('Instance admin'));
      await server.db.prisma.user.update({ where: { id: person.userId }, data: { instanceAdmin: true } });
      return { userId: person.userId, headers: await signIn(person.email) };
    }
    if (principal === 'revoked token') {
      const person = await addPerson(server, 'admin', unique('Revoked'), target);
      const { id, token } = await issueApiToken(server.db, person.userId, 'revoked');
      await server.db.prisma.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
      return { userId: person.userId, headers: { authorization: `Bearer ${token}` } };
    }
    const role = ROLE_OF[principal];
    const person = await addPerson(server, role ?? 'admin', unique(principal), role ? target : other);
    return { userId: person.userId, headers: await signIn(person.email) };
  };
  const callers = new Map<Principal, Caller | null>();
  for (const principal of PRINCIPALS) callers.set(principal, await newCaller(principal));

  const shared = {
    briefing: await newBriefing(),
    source: await newSource(),
    invitation: await newInvitation(),
    member: (await addPerson(server, 'viewer', 'Shared member', target)).userId,
  };
  const document = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { 'x-debrief-action'?: string }>>;
  };
  const operations: Operation[] = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method,
      path: path.replace(/^\/api/, ''),
      action: operation['x-debrief-action'] ?? '(none)',
    })),
  );

  /** The request for one cell: its path with real ids, and a body that passes validation. */
  async function request(operation: Operation, caller: Caller | null, allowed: boolean) {
    const key = `${operation.method} ${operation.path}`;
    // A request that gets through and changes what it names gets resources of its own.
    const changes = operation.method !== 'get' && allowed;
    // Only what the path names is made: a fresh member, invitation, briefing or source costs time.
    const ids: Record<string, () => Promise<string> | string> = {
      id: () =>
        operation.path.startsWith('/workspaces')
          ? target
          : operation.path.startsWith('/sources')
            ? changes
              ? newSource()
              : shared.source
            : operation.path.startsWith('/me/tokens')
              ? caller
                ? issueApiToken(server.db, caller.userId, 'to revoke').then((t) => t.id)
                : '00000000-0000-4000-8000-000000000000'
              : changes
                ? newBriefing()
                : shared.briefing,
      userId: async () =>
        changes ? (await addPerson(server, 'viewer', unique('Member'), target)).userId : shared.member,
      invitationId: async () => (changes ? (await newInvitation()).id : shared.invitation.id),
      token: async () => (changes ? (await newInvitation()).token : shared.invitation.token),
      // A finished export of the shared briefing.
      job: async () => (await newExportJob(shared.briefing)).id,
      // A version of the briefing the path names (its creation checkpoint): `id` is resolved first.
      version: async () => {
        const snapshot = await server.db.prisma.snapshot.findFirst({ where: { briefingId: values.id! } });
        return String(snapshot?.id ?? 0);
      },
    };
    const values: Record<string, string> = {};
    for (const [, name] of operation.path.matchAll(/\{(\w+)\}/g)) values[name!] = await ids[name!]!();
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => values[name]!);
    const bodies: Record<string, unknown> = {
      'post /auth/sign-in/email': { email: 'nobody@example.org', password: 'not the password' },
      'post /setup': { code: 'x', name: 'Nobody', email: 'nobody@example.org', password: TEST_PASSWORD },
      'post /me/password': { currentPassword: TEST_PASSWORD, newPassword: `${TEST_PASSWORD} 2` },
      'post /me/tokens': { name: 'matrix' },
      'post /workspaces': { name: unique('Workspace') },
      'patch /workspaces/{id}': { name: 'Target' },
      'patch /workspaces/{id}/members/{userId}': { role: 'editor' },
      'post /workspaces/{id}/invitations': { role: 'viewer' },
      'post /invitations/{token}/accept': {},
      'post /briefings': { title: 'From the matrix' },
      'patch /briefings/{id}': { title: 'Renamed by the matrix' },
      'put /briefings/{id}/status': { status: 'in_review' },
      'put /briefings/{id}/archived': { archived: true },
      'post /briefings/{id}/versions': { name: 'Named by the matrix' },
      'post /briefings/{id}/exports': { format: 'markdown' },
      'post /sources': { format: 'text', content: unique('Saved by the matrix, source'), acceptedCleaning: [] },
      'post /sources/preview': { format: 'text', content: 'A preview from the matrix.' },
      'post /sources/fetch': { url: pageUrl },
      'patch /sources/{id}': { metadata: { title: 'Renamed by the matrix' } },
    };
    const headers: Record<string, string> = { ...(caller?.headers ?? {}) };
    let body: RequestInit['body'];
    if (key === 'post /sources/upload') {
      const form = new FormData();
      form.append('files', new File(['An uploaded file from the matrix.'], 'matrix.txt', { type: 'text/plain' }));
      body = form;
    } else if (key in bodies) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(bodies[key]);
    }
    // Collections are asked about the target workspace by name of its id, as the web app does.
    const query = operation.path.startsWith('/workspaces') ? '' : `?workspace=${target}`;
    return fetch(`${server.url}/api${path}${query}`, { method: operation.method.toUpperCase(), headers, body });
  }

  async function run(): Promise<{ cells: number; failures: string[] }> {
    const failures: string[] = [];
    let cells = 0;
    for (const operation of operations) {
      const key = `${operation.method} ${operation.path}`;
      // The callers of one route at once: each has its own resources, and password hashing
      // (sign-ins, new accounts) runs in parallel off the event loop.
      await Promise.all(
        PRINCIPALS.map(async (principal) => {
          const want = expected(operation, principal);
          // A refused caller loses nothing: only one who gets through needs to be a fresh one.
          const fresh = USES_UP_CALLER.has(key) && want === 'allowed';
          const caller = fresh ? await newCaller(principal) : callers.get(principal)!;
          const response = await request(operation, caller, want === 'allowed');
          const text = await response.text();
          cells++;
          const refused = response.status === 401 || response.status === 403 || response.status === 404;
          const ok = want === 'allowed' ? !refused || refusedForAnotherReason(key, text) : response.status === want;
          if (!ok)
            failures.push(`${key} as ${principal}: expected ${want}, got ${response.status} ${text.slice(0, 160)}`);
        }),
      );
    }
    return { cells, failures };
  }

  return {
    server,
    operations,
    run,
    async close() {
      await new Promise((resolve) => pages.close(resolve));
      await server.close();
    },
  };
}

/**
 * An answer of 401/403/404 that a caller with access still gets, for a reason that is not theirs
 * to change: the setup link exists only on a fresh database, a wrong password is a wrong password.
 */
function refusedForAnotherReason(key: string, body: string): boolean {
  const code = (JSON.parse(body || '{}') as { error?: { code?: string } }).error?.code;
  return (
    (key === 'post /setup' && code === 'setup_unavailable') ||
    (key === 'post /auth/sign-in/email' && code === 'invalid_credentials')
  );
}

describe.each([
  ['PGlite', async () => ({ overrides: {}, drop: async () => {} })],
  [
    'PostgreSQL',
    async () => {
      const postgres = await createTestPostgres();
      return postgres && { overrides: { DATABASE_URL: postgres.url }, drop: postgres.drop };
    },
  ],
] as const)('the authorisation matrix on %s', (_name, database) => {
  let setup: Awaited<ReturnType<typeof matrix>> | undefined;
  let drop = async () => {};

  beforeAll(async () => {
    const db = await database();
    if (!db) return;
    drop = db.drop;
    setup = await matrix(db.overrides);
  }, 120_000);
  afterAll(async () => {
    await setup?.close();
    await drop();
  });

  it('answers every route as the policies say for anonymous, each role, an outsider, a revoked token and an instance admin', async (context) => {
    if (!setup) return context.skip();
    expect(setup.operations.length).toBeGreaterThanOrEqual(35);
    const { cells, failures } = await setup.run();
    process.stdout.write(
      `[matrix] ${setup.operations.length} routes × ${PRINCIPALS.length} principals = ${cells} requests\n`,
    );
    expect(failures).toEqual([]);
  }, 300_000);
});
