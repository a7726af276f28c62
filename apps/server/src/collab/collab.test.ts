import { CloseCode, getSections, getTitle, initBriefing, MessageType, richTextToPlainText } from '@debrief/briefing';
import { bytes } from '@debrief/db';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { RunningServer } from '../server.ts';
import {
  authFetch,
  type Client,
  connectClient,
  createBriefing,
  rawSocket as rawSocketAt,
  startTestServer,
  typeParagraph,
  waitFor,
} from '../testing.ts';

const bodyText = (doc: Y.Doc, index: number) => richTextToPlainText(getSections(doc)[index]!.body);

const rawSocket = (server: RunningServer, briefingId: string) => rawSocketAt(server.url, `/collab/${briefingId}`);

function syncStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeSyncStep1(encoder, doc);
  return encoding.toUint8Array(encoder);
}

/** The message type of a frame and, for a sync frame, its step (y-protocols' 0, 1, 2). */
function kindOf(frame: Uint8Array): string {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  return type === MessageType.Sync ? `sync-${decoding.readVarUint(decoder)}` : String(type);
}

/** The presence states an awareness frame carries, by client id. */
function awarenessStates(frame: Uint8Array): Map<number, unknown> {
  const decoder = decoding.createDecoder(frame);
  decoding.readVarUint(decoder);
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.setLocalState(null);
  awarenessProtocol.applyAwarenessUpdate(awareness, decoding.readVarUint8Array(decoder), null);
  const states = new Map(awareness.getStates());
  awareness.destroy();
  return states;
}

function awarenessFrame(awareness: awarenessProtocol.Awareness): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Awareness);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, [awareness.clientID]));
  return encoding.toUint8Array(encoder);
}

function updateFrame(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.Sync);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

describe('collaboration over the y-websocket protocol', () => {
  let server: RunningServer;
  const clients: Client[] = [];
  const client = (id: string) => {
    const c = connectClient(server.url, id);
    clients.push(c);
    return c;
  };

  /** What every document load waits for: a test holds it to reach the server before a load ends. */
  let loading: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    server = await startTestServer(
      {
        MAX_MESSAGE_BYTES: 1024 * 1024,
        PROJECTION_DELAY_MS: 20,
        COMPACT_AFTER_UPDATES: 50,
      },
      { extensions: [{ name: 'held-loads', onLoad: () => loading }] },
    );
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await server?.close();
  });

  it('converges two stock providers editing concurrently', async () => {
    const id = await createBriefing(server.url);
    const a = client(id);
    const b = client(id);
    await Promise.all([a.synced, b.synced]);
    typeParagraph(a.doc, 0, 'from a');
    typeParagraph(b.doc, 0, 'from b');
    typeParagraph(b.doc, 3, 'conclusion by b');
    await waitFor(() => bodyText(a.doc, 3) === 'conclusion by b' && bodyText(b.doc, 0).includes('from a'));
    await waitFor(() => bodyText(a.doc, 0) === bodyText(b.doc, 0));
    expect(bodyText(a.doc, 0).split('\n\n').sort()).toEqual(['from a', 'from b']);
  });

  it('answers the first sync of a stored document with its content, never an empty state', async () => {
    const id = await createBriefing(server.url, 'Stored title');
    const writer = client(id);
    await writer.synced;
    typeParagraph(writer.doc, 0, 'stored text');
    await waitFor(() => server.registry.isLoaded(id));
    const reader = connectClient(server.url, id);
    clients.push(reader);
    // At the moment the provider reports itself synced, the content must already be there.
    const seen = await new Promise<string>((resolve) =>
      reader.provider.once('sync', () => resolve(`${getTitle(reader.doc)}|${bodyText(reader.doc, 0)}`)),
    );
    expect(seen).toBe('Stored title|stored text');
  });

  it('acknowledges a saved-query only after the preceding update is in the database', async () => {
    const id = await createBriefing(server.url);
    const raw = await rawSocket(server, id);
    const local = new Y.Doc();
    raw.ws.send(syncStep1(local));
    await waitFor(() => raw.frames.length >= 2);
    for (const frame of raw.frames) {
      const decoder = decoding.createDecoder(frame);
      if (decoding.readVarUint(decoder) === MessageType.Sync)
        syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), local, null);
    }
    const before = await server.db.prisma.docUpdate.count({ where: { briefingId: id } });
    const captured: Uint8Array[] = [];
    local.on('update', (u: Uint8Array) => captured.push(u));
    typeParagraph(local, 1, 'durable?');
    raw.ws.send(updateFrame(captured[0]!));
    const query = encoding.createEncoder();
    encoding.writeVarUint(query, MessageType.SavedQuery);
    encoding.writeVarUint(query, 7);
    raw.ws.send(encoding.toUint8Array(query));
    await waitFor(() => raw.frames.some((f) => f[0] === MessageType.SavedQuery));
    const ack = raw.frames.find((f) => f[0] === MessageType.SavedQuery)!;
    expect(decoding.readVarUint(decoding.createDecoder(ack.subarray(1)))).toBe(7);
    expect(await server.db.prisma.docUpdate.count({ where: { briefingId: id } })).toBe(before + 1);
    raw.ws.close();
  });

  it('sends its sync step 1 before anything else, even to a client that spoke first', async () => {
    const id = await createBriefing(server.url);
    let release = () => {};
    loading = new Promise((resolve) => {
      release = resolve;
    });
    const raw = await rawSocket(server, id);
    raw.ws.send(syncStep1(new Y.Doc()));
    raw.ws.send(new Uint8Array([MessageType.QueryAwareness]));
    // The server runs in this process: once the frames left the socket, a few turns of the event
    // loop and it has read them, while the briefing's load is still held.
    await waitFor(() => raw.ws.bufferedAmount === 0);
    for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    expect(raw.frames).toEqual([]);
    loading = Promise.resolve();
    release();
    // Its answers (step 2, the presence asked for) come only after the server's own step 1.
    const kinds = () => raw.frames.map(kindOf);
    await waitFor(
      () => kinds().includes('sync-1') && kinds().includes(String(MessageType.Awareness)),
      10_000,
      'the answers',
    );
    expect(kinds()[0]).toBe('sync-0');
    expect(kinds().filter((kind) => kind === 'sync-0')).toHaveLength(1);
    raw.ws.close();
  });

  it('relays a presence to the others, and removes it for them when its connection drops without a word', async () => {
    const id = await createBriefing(server.url);
    const watcher = client(id);
    await watcher.synced;
    const raw = await rawSocket(server, id);
    const awareness = new awarenessProtocol.Awareness(new Y.Doc());
    awareness.setLocalState({ cursor: 'paragraph 3' });
    raw.ws.send(awarenessFrame(awareness));
    const seen = () =>
      watcher.provider.awareness.getStates().get(awareness.clientID) as { cursor?: string } | undefined;
    await waitFor(() => seen()?.cursor === 'paragraph 3', 10_000, 'the presence to be relayed');
    // No goodbye from the client: only the server can tell the others it is gone (and well
    // before the 30 s after which a stock client drops a presence it stopped hearing about).
    raw.ws.terminate();
    await waitFor(() => seen() === undefined, 10_000, 'the presence to be removed');
    awareness.destroy();
  });

  it('answers query-awareness with every presence it knows', async () => {
    const id = await createBriefing(server.url);
    const first = client(id);
    const second = client(id);
    await Promise.all([first.synced, second.synced]);
    first.provider.awareness.setLocalStateField('cursor', 'in the BLUF');
    second.provider.awareness.setLocalStateField('cursor', 'in the conclusions');
    const cursorOf = (c: Client, other: Client) =>
      (c.provider.awareness.getStates().get(other.doc.clientID) as { cursor?: string } | undefined)?.cursor;
    await waitFor(() => cursorOf(first, second) === 'in the conclusions' && cursorOf(second, first) === 'in the BLUF');
    const raw = await rawSocket(server, id);
    await waitFor(() => raw.frames.length >= 2, 10_000, 'step 1 and the presence of those there');
    const before = raw.frames.length;
    raw.ws.send(new Uint8Array([MessageType.QueryAwareness]));
    await waitFor(() => raw.frames.length > before, 10_000, 'the answer');
    const answer = raw.frames[before]!;
    expect(kindOf(answer)).toBe(String(MessageType.Awareness));
    const states = awarenessStates(answer);
    expect(states.get(first.doc.clientID)).toMatchObject({ cursor: 'in the BLUF' });
    expect(states.get(second.doc.clientID)).toMatchObject({ cursor: 'in the conclusions' });
    raw.ws.close();
  });

  it('sends a saved-query answer only to the connection that asked, never unasked', async () => {
    const id = await createBriefing(server.url);
    const asker = client(id);
    const stock = client(id);
    await Promise.all([asker.synced, stock.synced]);
    const asked: number[] = [];
    asker.provider.messageHandlers[MessageType.SavedQuery] = (_encoder, decoder) => {
      asked.push(decoding.readVarUint(decoder));
    };
    const unasked: number[] = [];
    stock.provider.messageHandlers[MessageType.SavedQuery] = (_encoder, decoder) => {
      unasked.push(decoding.readVarUint(decoder));
    };
    const raw = await rawSocket(server, id);
    raw.ws.send(syncStep1(new Y.Doc()));
    typeParagraph(asker.doc, 0, 'saved?');
    asker.provider.ws!.send(new Uint8Array([MessageType.SavedQuery, 5]));
    await waitFor(() => asked.length === 1, 10_000, 'the answer to the one who asked');
    expect(asked).toEqual([5]);
    // The others got the edit, which went out before the answer, and then an answer of their own.
    await waitFor(() => bodyText(stock.doc, 0) === 'saved?' && raw.frames.some((f) => kindOf(f) === 'sync-2'));
    const before = raw.frames.length;
    raw.ws.send(new Uint8Array([MessageType.QueryAwareness]));
    await waitFor(() => raw.frames.slice(before).some((f) => kindOf(f) === String(MessageType.Awareness)));
    expect(raw.frames.filter((f) => kindOf(f) === String(MessageType.SavedQuery))).toEqual([]);
    expect(unasked).toEqual([]);
    raw.ws.close();
  });

  it('refuses a briefing stored with a newer schema version, and changes nothing of it', async () => {
    const id = await createBriefing(server.url);
    const newer = new Y.Doc();
    initBriefing(newer, { title: 'From a newer build' });
    newer.getMap('meta').set('schemaVersion', 99);
    const state = bytes(Y.encodeStateAsUpdate(newer));
    await server.db.prisma.snapshot.updateMany({ where: { briefingId: id }, data: { state } });
    const raw = await rawSocket(server, id);
    expect(await raw.closed).toEqual({ code: 1011, reason: 'internal_error' });
    // Not a byte of the document went out, and nothing was migrated or stored.
    expect(raw.frames).toEqual([]);
    const snapshots = await server.db.prisma.snapshot.findMany({ where: { briefingId: id } });
    expect(snapshots.map((s) => [...s.state])).toEqual([[...state]]);
    expect(await server.db.prisma.docUpdate.count({ where: { briefingId: id } })).toBe(0);
    expect(server.registry.isLoaded(id)).toBe(false);
  });

  it.each([
    ['garbage in a sync update', [MessageType.Sync, syncProtocol.messageYjsUpdate, 5, 0xff, 0xff, 0xff, 0xff, 0xff]],
    ['a truncated frame', [MessageType.Sync]],
    ['an unknown message type', [42, 1, 2, 3]],
    ['an unknown sync step', [MessageType.Sync, 9, 0]],
  ])('closes only the offending connection on %s, and the document stays intact', async (_what, frame) => {
    const id = await createBriefing(server.url);
    const good = client(id);
    await good.synced;
    typeParagraph(good.doc, 0, 'kept');
    const raw = await rawSocket(server, id);
    raw.ws.send(new Uint8Array(frame));
    expect((await raw.closed).code).toBe(CloseCode.MalformedMessage);
    typeParagraph(good.doc, 1, 'still editing');
    const fresh = client(id);
    await fresh.synced;
    await waitFor(() => bodyText(fresh.doc, 1) === 'still editing');
    expect(bodyText(fresh.doc, 0)).toBe('kept');
    expect(good.provider.wsconnected).toBe(true);
  });

  it('closes a connection that sends a frame over the size limit (1009)', async () => {
    const id = await createBriefing(server.url);
    const raw = await rawSocket(server, id);
    raw.ws.send(new Uint8Array(1024 * 1024 + 1));
    expect((await raw.closed).code).toBe(CloseCode.MessageTooBig);
  });

  it('closes a connection that floods messages (4429)', async () => {
    const id = await createBriefing(server.url);
    const raw = await rawSocket(server, id);
    for (let i = 0; i < 1_500; i++) raw.ws.send(new Uint8Array([MessageType.QueryAwareness]));
    expect((await raw.closed).code).toBe(CloseCode.RateLimited);
  });

  it('closes a connection that stops reading once its send buffer overflows (4408)', async () => {
    const small = await startTestServer({ MAX_SEND_BUFFER_BYTES: 256 * 1024 });
    try {
      const id = await createBriefing(small.url);
      const writer = connectClient(small.url, id);
      await writer.synced;
      const stalled = await rawSocket(small, id);
      // Stop reading: the server's writes pile up in its buffer for this socket.
      (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      // Loopback socket buffers absorb several MB before the server's own queue grows.
      const serverClosedIt = async () =>
        (await small.registry.use(id, (document) => [...document.connections].some((c) => !c.isOpen))) === true;
      for (let i = 0; i < 60 && !(await serverClosedIt()); i++) {
        typeParagraph(writer.doc, 0, `${i} ${'x'.repeat(256 * 1024)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      (stalled.ws as unknown as { _socket: { resume(): void } })._socket.resume();
      expect((await stalled.closed).code).toBe(CloseCode.SlowConsumer);
      expect(writer.provider.wsconnected).toBe(true);
      writer.destroy();
    } finally {
      await small.close();
    }
  });

  it('refuses unknown and malformed briefing ids with 4404', async () => {
    for (const id of ['7d1e0f7e-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const raw = await rawSocket(server, id);
      expect(await raw.closed).toEqual({ code: CloseCode.NotFound, reason: 'briefing_not_found' });
    }
  });

  it('shows a rename through the API live in open editors, and an edited title in the API', async () => {
    const id = await createBriefing(server.url, 'Before');
    const editor = client(id);
    await editor.synced;
    const response = await authFetch(`${server.url}/api/briefings/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'After' }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { title: string }).title).toBe('After');
    await waitFor(() => getTitle(editor.doc) === 'After');
    editor.doc.getMap('meta').set('title', 'Typed in the editor');
    await expect
      .poll(
        async () => ((await (await authFetch(`${server.url}/api/briefings/${id}`)).json()) as { title: string }).title,
      )
      .toBe('Typed in the editor');
  });

  it('disconnects editors of a deleted briefing with 4404', async () => {
    const id = await createBriefing(server.url);
    const editor = client(id);
    await editor.synced;
    const closed = new Promise<number>((resolve) =>
      editor.provider.on('connection-close', (event: { code: number } | null) => resolve(event?.code ?? 0)),
    );
    expect((await authFetch(`${server.url}/api/briefings/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await closed).toBe(CloseCode.NotFound);
    expect(await server.db.prisma.snapshot.count({ where: { briefingId: id } })).toBe(0);
  });

  it('compacts the log into a snapshot once enough updates accumulated', async () => {
    const id = await createBriefing(server.url);
    const editor = client(id);
    await editor.synced;
    for (let i = 0; i < 60; i++) typeParagraph(editor.doc, 2, `line ${i}`);
    await expect.poll(() => server.db.prisma.docUpdate.count({ where: { briefingId: id } })).toBeLessThan(50);
    const late = client(id);
    await late.synced;
    expect(bodyText(late.doc, 2).split('\n\n')).toHaveLength(60);
  });
});

describe('document lifecycle', () => {
  it('unloads an idle document with a compaction and reloads it intact', async () => {
    const server = await startTestServer({ DOC_IDLE_UNLOAD_MS: 50 });
    try {
      const id = await createBriefing(server.url);
      const first = connectClient(server.url, id);
      await first.synced;
      typeParagraph(first.doc, 0, 'survives unload');
      await expect.poll(() => server.db.prisma.docUpdate.count({ where: { briefingId: id } })).toBe(1);
      first.destroy();
      await waitFor(() => !server.registry.isLoaded(id), 5_000, 'unload');
      expect(await server.db.prisma.docUpdate.count({ where: { briefingId: id } })).toBe(0);
      const second = connectClient(server.url, id);
      await second.synced;
      expect(bodyText(second.doc, 0)).toBe('survives unload');
      second.destroy();
    } finally {
      await server.close();
    }
  });
});
