import { CloseCode, getSections, MessageType, richTextToPlainText } from '@debrief/briefing';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RunningServer } from '../server.ts';
import {
  type Client,
  connectClient,
  createBriefing,
  rawSocket,
  spawnServer,
  startTestServer,
  tempDataDir,
  typeParagraph,
  waitFor,
} from '../testing.ts';

/**
 * One regression test per input the fuzz run of issue 7 found to kill the process or brick a
 * briefing. Each was seen to fail before the fix (the process died, or the assertion failed).
 */

const bodyText = (doc: Y.Doc, index: number) => richTextToPlainText(getSections(doc)[index]!.body);

/** `[[[…]]]` nested `depth` deep, in lib0's `writeAny` encoding (type 117 = array). */
function deepAnyArray(encoder: encoding.Encoder, depth: number): void {
  for (let i = 0; i < depth; i++) {
    encoding.writeUint8(encoder, 117);
    encoding.writeVarUint(encoder, 1);
  }
  encoding.writeUint8(encoder, 117);
  encoding.writeVarUint(encoder, 0);
}

const deepJson = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Content references of Yjs's update format (structs/Item.js `contentRefs`). */
const ContentRef = { JSON: 2, Embed: 5, Format: 6, Any: 8 } as const;

/**
 * A hand-encoded update (v1) holding one item: key `key` of the root map `meta`, by a client the
 * server has never seen. A stock Yjs encoder would overflow its own stack on such content.
 */
function mapItemUpdate(
  client: number,
  ref: number,
  writeContent: (encoder: encoding.Encoder) => void,
  clock = 0,
): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1); // clients
  encoding.writeVarUint(encoder, 1); // structs of this client
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, clock);
  encoding.writeUint8(encoder, ref | 0x20); // content ref, with a parentSub
  encoding.writeVarUint(encoder, 1); // parent is a root type, by name
  encoding.writeVarString(encoder, 'meta');
  encoding.writeVarString(encoder, 'hostile');
  writeContent(encoder);
  encoding.writeVarUint(encoder, 0); // empty delete set
  return encoding.toUint8Array(encoder);
}

/**
 * Deep values of each content kind that carries JSON. 1,000 levels is far over the limit yet still
 * encodable, so before the fix it was accepted and relayed; 100,000 is past what the stack allows,
 * so before the fix it threw inside Yjs's transaction cleanup and bricked the briefing.
 */
const deepUpdates = (depth: number): Array<[string, number, Uint8Array]> => [
  [
    'ContentAny',
    depth,
    mapItemUpdate(1001, ContentRef.Any, (e) => {
      encoding.writeVarUint(e, 1);
      deepAnyArray(e, depth);
    }),
  ],
  [
    'ContentJSON',
    depth,
    mapItemUpdate(1002, ContentRef.JSON, (e) => {
      encoding.writeVarUint(e, 1);
      encoding.writeVarString(e, deepJson(depth));
    }),
  ],
  ['ContentEmbed', depth, mapItemUpdate(1003, ContentRef.Embed, (e) => encoding.writeVarString(e, deepJson(depth)))],
  [
    'ContentFormat',
    depth,
    mapItemUpdate(1004, ContentRef.Format, (e) => {
      encoding.writeVarString(e, 'bold');
      encoding.writeVarString(e, deepJson(depth));
    }),
  ],
];

function syncUpdateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  encoding.writeVarUint(encoder, 2); // sync: update
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

function awarenessFrame(clientId: number, clock: number, stateJson: string): Uint8Array {
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, 1);
  encoding.writeVarUint(update, clientId);
  encoding.writeVarUint(update, clock);
  encoding.writeVarString(update, stateJson);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(update));
  return encoding.toUint8Array(encoder);
}

describe('the awareness state that killed the process', () => {
  it('survives a 23,000-deep awareness state followed by a joining client (the server in its own process)', async () => {
    const child = await spawnServer({ DATA_DIR: tempDataDir() });
    try {
      const id = await createBriefing(child.url);
      const raw = await rawSocket(child.url, `/collab/${id}`);
      raw.ws.send(awarenessFrame(424242, 1, deepJson(23_000)));
      const joiner = connectClient(child.url, id);
      const died = child.exited.then((code) => {
        throw new Error(`the server exited (${code})`);
      });
      await Promise.race([joiner.synced, died]);
      joiner.destroy();
      raw.ws.close();
      expect((await fetch(`${child.url}/healthz`)).status).toBe(200);
      expect(child.process.exitCode).toBeNull();
    } finally {
      await child.kill();
    }
  }, 90_000);
});

describe('hostile input over the collaboration socket', () => {
  let server: RunningServer;
  const clients: Client[] = [];
  const client = (id: string) => {
    const c = connectClient(server.url, id);
    clients.push(c);
    return c;
  };
  const stateOf = (id: string) => server.registry.use(id, (document) => Y.encodeStateAsUpdate(document.doc));
  const logRows = (id: string) => server.db.prisma.docUpdate.count({ where: { briefingId: id } });

  beforeAll(async () => {
    server = await startTestServer({ PROJECTION_DELAY_MS: 20 });
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.close();
  });

  it.each(['/collab/%', '/collab/%E0%A4%A'])('closes an upgrade to the undecodable path %s with 4400', async (path) => {
    const raw = await rawSocket(server.url, path);
    expect((await raw.closed).code).toBe(CloseCode.MalformedMessage);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('refuses an awareness state nested thousands deep without relaying it, and the next client still joins', async () => {
    const id = await createBriefing(server.url);
    const watcher = client(id);
    await watcher.synced;
    const raw = await rawSocket(server.url, `/collab/${id}`);
    raw.ws.send(awarenessFrame(424242, 1, deepJson(1_000)));
    expect((await raw.closed).code).toBe(CloseCode.MalformedMessage);
    expect(watcher.provider.awareness.getStates().has(424242)).toBe(false);
    // Joining makes the server encode every awareness state it holds: that is where it died.
    const next = client(id);
    await next.synced;
    expect(next.provider.wsconnected).toBe(true);
  });

  it.each([...deepUpdates(1_000), ...deepUpdates(100_000)])(
    'refuses an update holding a %s value nested %i deep, leaving the document unchanged',
    async (_kind, _depth, update) => {
      const id = await createBriefing(server.url);
      const editor = client(id);
      await editor.synced;
      typeParagraph(editor.doc, 0, 'before');
      await expect.poll(() => logRows(id), { timeout: 10_000 }).toBe(1);
      const before = await stateOf(id);

      const raw = await rawSocket(server.url, `/collab/${id}`);
      raw.ws.send(syncUpdateFrame(update));
      expect((await raw.closed).code).toBe(CloseCode.MalformedMessage);
      expect(await stateOf(id)).toEqual(before);
      expect(await logRows(id)).toBe(1);

      // Not bricked: a fresh client loads it, and later edits are stored and broadcast.
      const fresh = client(id);
      await fresh.synced;
      expect(bodyText(fresh.doc, 0)).toBe('before');
      typeParagraph(editor.doc, 1, 'after');
      await waitFor(() => bodyText(fresh.doc, 1) === 'after', 10_000, 'the later edit to reach a fresh client');
      await expect.poll(() => logRows(id), { timeout: 10_000 }).toBe(2);
    },
  );

  it("never lets one connection set another client's presence (clock 2^53−1)", async () => {
    const id = await createBriefing(server.url);
    const watcher = client(id);
    const victim = client(id);
    await Promise.all([watcher.synced, victim.synced]);
    // The server writes `user` from the account; what a client controls is the rest of its state.
    victim.provider.awareness.setLocalStateField('status', 'victim');
    const nameSeen = () =>
      (watcher.provider.awareness.getStates().get(victim.doc.clientID) as { status?: string } | undefined)?.status;
    await waitFor(() => nameSeen() === 'victim', 10_000, 'the victim to be present');

    const raw = await rawSocket(server.url, `/collab/${id}`);
    raw.ws.send(awarenessFrame(victim.doc.clientID, Number.MAX_SAFE_INTEGER, JSON.stringify({ status: 'spoofed' })));
    victim.provider.awareness.setLocalStateField('status', 'victim again');
    await waitFor(() => nameSeen() === 'victim again', 10_000, "the victim's own later state to win");
    expect(nameSeen()).toBe('victim again');
    raw.ws.close();
  });

  it('treats a briefing id in upper case as the same briefing: one document, no lost edits', async () => {
    const id = await createBriefing(server.url);
    const lower = client(id);
    const upper = client(id.toUpperCase());
    await Promise.all([lower.synced, upper.synced]);
    typeParagraph(upper.doc, 0, 'typed through the upper-case id');
    await waitFor(() => bodyText(lower.doc, 0) === 'typed through the upper-case id', 10_000, 'one shared document');
    typeParagraph(lower.doc, 1, 'typed through the lower-case id');
    await waitFor(() => bodyText(upper.doc, 1) === 'typed through the lower-case id', 10_000, 'and back');
    const loaded = server.registry.loadedIds();
    expect(loaded).toContain(id);
    expect(loaded).not.toContain(id.toUpperCase());
  });

  // Found by the fuzz test after the first fixes: Yjs never writes these, checkUpdate accepted
  // them, and then Yjs threw (every connection closed 1011) or compaction stored a snapshot it
  // could not read back (the briefing unloadable for good).
  it.each([
    ['a GC struct of length 0', [0x00, 0x02, 0x09, 0x01, 0x01, 0xc0, 0xc4, 0x07, 0x00, 0x00, 0x00, 0x00]],
    ['a delete range of length 0', [0x00, 0x02, 0x08, 0x00, 0x01, 0xc0, 0xc4, 0x07, 0x01, 0x00, 0x00]],
    [
      'ContentDeleted(0)',
      [
        0x00, 0x02, 0x11, 0x01, 0x01, 0xc0, 0xc4, 0x07, 0x00, 0x21, 0x01, 0x04, 0x6d, 0x65, 0x74, 0x61, 0x01, 0x7a,
        0x00, 0x00,
      ],
    ],
  ])('refuses %s, and nobody else is disconnected', async (_what, frame) => {
    const id = await createBriefing(server.url);
    const editor = client(id);
    await editor.synced;
    const before = await stateOf(id);
    const closes: number[] = [];
    editor.provider.on('connection-close', (event: { code: number } | null) => closes.push(event?.code ?? 0));
    const raw = await rawSocket(server.url, `/collab/${id}`);
    raw.ws.send(new Uint8Array(frame));
    expect((await raw.closed).code).toBe(CloseCode.MalformedMessage);
    expect(await stateOf(id)).toEqual(before);
    expect(await logRows(id)).toBe(0);
    typeParagraph(editor.doc, 0, 'still here');
    await expect.poll(() => logRows(id), { timeout: 10_000 }).toBe(1);
    expect(closes).toEqual([]);
  });

  it('answers an update that depends on content it does not have with a sync step 1, applying nothing', async () => {
    const id = await createBriefing(server.url);
    const before = await stateOf(id);
    const raw = await rawSocket(server.url, `/collab/${id}`);
    await waitFor(() => raw.frames.length > 0);
    const framesBefore = raw.frames.length;
    // A client whose clock starts at 5: the server never saw its first five operations.
    const gap = mapItemUpdate(
      777,
      ContentRef.Any,
      (e) => {
        encoding.writeVarUint(e, 1);
        encoding.writeAny(e, 'x');
      },
      5,
    );
    raw.ws.send(syncUpdateFrame(gap));
    await waitFor(() => raw.frames.length > framesBefore, 10_000, 'an answer');
    const answer = raw.frames[framesBefore]!;
    expect([answer[0], answer[1]]).toEqual([MessageType.Sync, 0]);
    expect(await stateOf(id)).toEqual(before);
    expect(await logRows(id)).toBe(0);
    raw.ws.close();
  });
});
