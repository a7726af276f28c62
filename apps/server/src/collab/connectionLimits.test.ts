import { CloseCode, getSections, MessageType, richTextToPlainText } from '@debrief/briefing';
import * as decoding from 'lib0/decoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import {
  connectClient,
  createBriefing,
  rawSocket,
  startTestServer,
  type TestServer,
  typeParagraph,
  waitFor,
} from '../testing.ts';

const text = (doc: Y.Doc) =>
  getSections(doc)
    .map((section) => richTextToPlainText(section.body))
    .join('\n');

/** The resources many users share: connections per briefing and per user, and document size. */
describe('bounded resources', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      MAX_CONNECTIONS_PER_BRIEFING: 2,
      MAX_CONNECTIONS_PER_USER: 3,
      MAX_DOCUMENT_BYTES: 100_000,
    });
  });
  afterAll(async () => server?.close());

  const openConnections = async () => {
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    return Number(/^debrief_ws_connections (\d+)$/m.exec(metrics)?.[1]);
  };

  /** A socket attached to its document (the server's sync step 1 arrived). */
  const attached = async (id: string) => {
    const socket = await rawSocket(server.url, `/collab/${id}`);
    await waitFor(() => socket.frames.length > 0, 10_000, 'the sync step 1');
    return socket;
  };

  it('closes a connection past the cap of a briefing, or of a user, with 4409, and admits again once one left', async () => {
    const [a, b] = [await createBriefing(server.url), await createBriefing(server.url)];
    const first = await attached(a);
    const second = await attached(a);
    const third = await rawSocket(server.url, `/collab/${a}`);
    expect(await third.closed).toEqual({
      code: CloseCode.TooManyConnections,
      reason: 'too_many_connections_briefing',
    });
    // Two on `a` and one on `b` make the user's three.
    const onB = await attached(b);
    const fourth = await rawSocket(server.url, `/collab/${b}`);
    expect(await fourth.closed).toEqual({ code: CloseCode.TooManyConnections, reason: 'too_many_connections_user' });
    first.ws.close();
    await first.closed;
    await expect.poll(openConnections).toBe(2);
    const again = await attached(b);
    expect(again.ws.readyState).toBe(again.ws.OPEN);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('debrief_ws_connections_refused_total{limit="briefing"} 1');
    expect(metrics).toContain('debrief_ws_connections_refused_total{limit="user"} 1');
    for (const socket of [second, onB, again]) socket.ws.close();
    await expect.poll(openConnections).toBe(0);
  });

  it('refuses an update that would make the document larger than the limit, and leaves the document unchanged', async () => {
    const id = await createBriefing(server.url);
    const writer = connectClient(server.url, id);
    await writer.synced;
    const denied: string[] = [];
    writer.provider.messageHandlers[MessageType.Auth] = (_encoder, decoder) => {
      decoding.readVarUint(decoder);
      denied.push(decoding.readVarString(decoder));
    };
    try {
      typeParagraph(writer.doc, 0, 'small and kept');
      typeParagraph(writer.doc, 1, 'x'.repeat(150_000));
      await waitFor(() => denied.length > 0, 10_000, 'the refusal');
      expect(denied).toEqual(['document_too_large']);
      const stored = await server.registry.use(id, (document) => text(document.doc));
      expect(stored).toContain('small and kept');
      expect(stored).not.toContain('xxxxxxxx');
      const reader = connectClient(server.url, id);
      await reader.synced;
      expect(text(reader.doc)).not.toContain('xxxxxxxx');
      reader.destroy();
    } finally {
      writer.destroy();
    }
  });
});
