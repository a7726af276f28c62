import { CloseCode, getSections, getTitle, MessageType, richTextToPlainText } from '@debrief/briefing';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  beforeAll(async () => {
    server = await startTestServer({
      MAX_MESSAGE_BYTES: 1024 * 1024,
      PROJECTION_DELAY_MS: 20,
      COMPACT_AFTER_UPDATES: 50,
    });
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
