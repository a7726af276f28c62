import { CloseCode, getSections, MessageType, richTextToPlainText } from '@debrief/briefing';
import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type * as Y from 'yjs';
import {
  addPerson,
  authFetch,
  type Client,
  connectClient,
  createBriefing,
  startTestServer,
  type TestServer,
  typeParagraph,
  waitFor,
} from '../testing.ts';

/**
 * Access on live connections, with stock y-websocket providers: who may connect, what a viewer's
 * edits do (nothing), and how fast a change of access reaches an open socket.
 */

const text = (doc: Y.Doc, index: number) => richTextToPlainText(getSections(doc)[index]!.body);

/** Records the close codes the server sends a provider, and the permission-denied reasons. */
function watch(client: Client) {
  const closes: number[] = [];
  const denied: string[] = [];
  client.provider.on('connection-close', (event: { code: number } | null) => closes.push(event?.code ?? 0));
  client.provider.messageHandlers[MessageType.Auth] = (_encoder, decoder) => {
    // y-protocols/auth: a varUint (0 = permission denied), then the reason.
    if (decoding.readVarUint(decoder) === 0) denied.push(decoding.readVarString(decoder));
  };
  return { closes, denied };
}

describe('live connections follow the account and its role', () => {
  let server: TestServer;
  const clients: Client[] = [];
  const client = (id: string, params: Record<string, string> = {}) => {
    const c = connectClient(server.url, id, params);
    clients.push(c);
    return c;
  };
  const rows = (id: string) => server.db.prisma.docUpdate.count({ where: { briefingId: id } });

  beforeAll(async () => {
    server = await startTestServer({ PROJECTION_DELAY_MS: 20 });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.close();
  });

  it('refuses a connection with no credentials (4401), and one with a token that is not one', async () => {
    const id = await createBriefing(server.url);
    for (const token of ['', 'dbf_not-a-token']) {
      const anonymous = client(id, { token });
      const { closes } = watch(anonymous);
      await waitFor(() => closes.length > 0, 10_000, 'a refusal');
      expect(closes[0]).toBe(CloseCode.Unauthorized);
      expect(anonymous.provider.synced).toBe(false);
    }
  });

  it('accepts a session cookie only from a Debrief page: a foreign Origin is refused (4401)', async () => {
    const id = await createBriefing(server.url);
    const signedIn = await fetch(`${server.url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: server.account.email, password: server.account.password }),
    });
    const cookie = signedIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const closeCode = (origin: string) =>
      new Promise<number>((resolve) => {
        const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/collab/${id}`, { headers: { cookie, origin } });
        // An accepted socket gets the server's sync step 1; a refused one is told why and closed.
        ws.on('message', (data: Buffer) => {
          if (data[0] !== MessageType.Sync) return;
          ws.close();
          resolve(0);
        });
        ws.once('close', (code) => resolve(code));
      });
    expect(await closeCode('https://evil.example')).toBe(CloseCode.Unauthorized);
    expect(await closeCode(new URL(server.url).origin)).toBe(0);
  });

  it("never applies, stores or relays a viewer's edits, and the viewer still sees others' edits live", async () => {
    const id = await createBriefing(server.url);
    const viewer = await addPerson(server, 'viewer', 'Vera Viewer');
    const writer = client(id);
    const reader = client(id, { token: viewer.token });
    const { denied } = watch(reader);
    await Promise.all([writer.synced, reader.synced]);

    typeParagraph(reader.doc, 0, 'written by a viewer');
    await waitFor(() => denied.length > 0, 10_000, 'the permission-denied answer');
    expect(denied[0]).toBe('read_only');
    // A later edit by the writer is the positive signal that the server processed both.
    typeParagraph(writer.doc, 1, 'written by an editor');
    await waitFor(() => text(reader.doc, 1) === 'written by an editor', 10_000, 'the viewer to see the edit');
    await expect.poll(() => rows(id)).toBe(1);
    expect(text(writer.doc, 0)).toBe('');
    const stored = await server.registry.use(id, (document) => text(document.doc, 0));
    expect(stored).toBe('');
  });

  it("replaces the name a client puts in its presence with the account's", async () => {
    const id = await createBriefing(server.url);
    const person = await addPerson(server, 'editor', 'Erin Editor');
    const spoofer = client(id, { token: person.token });
    const watcher = client(id);
    await Promise.all([spoofer.synced, watcher.synced]);
    spoofer.provider.awareness.setLocalStateField('user', { name: 'The Commander', color: '#000000' });
    const seen = () =>
      (watcher.provider.awareness.getStates().get(spoofer.doc.clientID) as { user?: { name: string } } | undefined)
        ?.user?.name;
    await waitFor(() => seen() !== undefined, 10_000, 'the presence to arrive');
    expect(seen()).toBe('Erin Editor');
  });

  it('closes a removed member’s socket (4403) before the removal is even answered', async () => {
    const id = await createBriefing(server.url);
    const member = await addPerson(server, 'editor', 'Rita Removed');
    const theirs = client(id, { token: member.token });
    const { closes } = watch(theirs);
    await theirs.synced;
    const started = performance.now();
    const response = await authFetch(
      `${server.url}/api/workspaces/${server.account.workspaceId}/members/${member.userId}`,
      {
        method: 'DELETE',
      },
    );
    expect(response.status).toBe(204);
    await waitFor(() => closes.length > 0, 1_000, 'the close, within a second of the removal');
    expect(closes[0]).toBe(CloseCode.Forbidden);
    process.stdout.write(`[access] removal to close: ${(performance.now() - started).toFixed(0)} ms\n`);
  });

  it('downgrades an editor to viewer on their open socket: their next edit is refused, the socket stays', async () => {
    const id = await createBriefing(server.url);
    const member = await addPerson(server, 'editor', 'Dora Downgraded');
    const theirs = client(id, { token: member.token });
    const { closes, denied } = watch(theirs);
    await theirs.synced;
    typeParagraph(theirs.doc, 0, 'as an editor');
    await expect.poll(() => rows(id)).toBe(1);

    const response = await authFetch(
      `${server.url}/api/workspaces/${server.account.workspaceId}/members/${member.userId}`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'viewer' }),
      },
    );
    expect(response.status).toBe(204);
    await waitFor(() => denied.length > 0, 1_000, 'the downgrade to reach the socket');
    typeParagraph(theirs.doc, 1, 'as a viewer');
    await waitFor(() => denied.length > 1, 10_000, 'the refusal of the next edit');
    expect(await rows(id)).toBe(1);
    expect(closes).toEqual([]);
  });

  it('closes the sockets opened with a token when the token is revoked (4401)', async () => {
    const id = await createBriefing(server.url);
    const person = await addPerson(server, 'editor', 'Tom Token');
    const theirs = client(id, { token: person.token });
    const { closes } = watch(theirs);
    await theirs.synced;
    const tokenId = person.token.split('_')[1]!;
    const response = await fetch(`${server.url}/api/me/tokens/${tokenId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${person.token}` },
    });
    expect(response.status).toBe(204);
    await waitFor(() => closes.length > 0, 1_000, 'the close, within a second of the revocation');
    expect(closes[0]).toBe(CloseCode.Unauthorized);
  });
});
