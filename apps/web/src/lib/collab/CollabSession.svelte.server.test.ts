// @vitest-environment jsdom
import { getSections, richTextToPlainText } from '@debrief/briefing';
import {
  type ChildServer,
  createBriefing,
  invitePerson,
  NodeWebSocket,
  spawnServer,
  type TestAccount,
  tempDataDir,
  typeParagraph,
} from '@debrief/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CollabSession } from './CollabSession.svelte.ts';

/**
 * The editor page's session against the real server: what the page shows about the connection.
 * The server runs in its own process: this test needs a DOM (jsdom), whose globals must not
 * replace Node's under the server.
 */
describe('CollabSession', () => {
  let server: ChildServer & { account: TestAccount | null };
  const sessions: CollabSession[] = [];
  const open = (briefingId: string, token = server.account!.token) => {
    const session = new CollabSession(briefingId, {
      url: `${server.url.replace(/^http/, 'ws')}/collab`,
      params: { token },
      WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
    });
    sessions.push(session);
    return session;
  };
  const WAIT = { timeout: 10_000 };

  beforeAll(async () => {
    server = await spawnServer({ DATA_DIR: tempDataDir() });
  });
  afterAll(async () => {
    for (const session of sessions) session.destroy();
    await server?.kill();
  });

  it('loads the briefing, and says saved only once the server confirms a local edit is durable', async () => {
    const id = await createBriefing(server.url, 'Session under test');
    const session = open(id);
    expect(session.loaded).toBe(false);
    await expect.poll(() => session.loaded, WAIT).toBe(true);
    expect(session.connection).toBe('connected');
    expect(session.title).toBe('Session under test');
    expect(session.sections.map((s) => s.kind)).toEqual(getSections(session.doc).map((s) => s.kind));

    typeParagraph(session.doc, 0, 'A local edit.');
    expect(session.save).toBe('saving');
    await expect.poll(() => session.save, WAIT).toBe('saved');
    // Saved means stored: a second client, opened afterwards, gets the edit from the server.
    const reader = open(id);
    await expect.poll(() => reader.loaded, WAIT).toBe(true);
    expect(richTextToPlainText(getSections(reader.doc)[0]!.body)).toBe('A local edit.');
  });

  it('lists who is here by their account names, itself first', async () => {
    const id = await createBriefing(server.url);
    const other = await invitePerson(server, 'editor', 'Olive Other');
    const mine = open(id);
    const theirs = open(id, other.token);
    // Each page announces its person; the server stamps the account's name on it whatever is sent.
    mine.setUser({ name: 'Someone else entirely', color: '#000000' });
    theirs.setUser({ name: 'Olive Other', color: '#111111' });
    await expect
      .poll(() => mine.peers.map((p) => `${p.name}${p.self ? ' (you)' : ''}`), WAIT)
      .toEqual(['Someone else entirely (you)', 'Olive Other']);
    await expect.poll(() => theirs.peers.find((p) => !p.self)?.name, WAIT).toBe('Test Admin');
  });

  it("opens read only for a viewer, with the server's reason", async () => {
    const id = await createBriefing(server.url);
    const viewer = await invitePerson(server, 'viewer', 'Val Viewer');
    const session = open(id, viewer.token);
    await expect.poll(() => session.loaded, WAIT).toBe(true);
    expect(session.readOnlyReason).toContain('not change it');
  });

  it('says why a briefing cannot be opened, and stops trying', async () => {
    const session = open(globalThis.crypto.randomUUID());
    await expect.poll(() => session.connection, WAIT).toBe('closed');
    expect(session.closedMessage).toBe('This briefing no longer exists.');
    expect(session.loaded).toBe(false);
    expect(session.provider.shouldConnect).toBe(false);
  });
});
