import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server.ts';
import { connectClient, createBriefing, startTestServer, typeParagraph, waitFor } from '../testing.ts';
import type { CollabExtension, DurableUpdate } from './Extension.ts';

describe('collaboration extensions', () => {
  let server: RunningServer;
  const seen: Array<{ briefingId: string } & DurableUpdate> = [];
  const events: string[] = [];
  const observer: CollabExtension = {
    name: 'test-observer',
    afterDurable: (document, update) => seen.push({ briefingId: document.briefingId, ...update }),
    onLoad: (document) => void events.push(`load ${document.briefingId}`),
    onConnect: (document) => events.push(`connect ${document.briefingId}`),
    onDisconnect: (document) => events.push(`disconnect ${document.briefingId}`),
    onUnload: async (document) => void events.push(`unload ${document.briefingId}`),
  };

  beforeAll(async () => {
    server = await startTestServer(
      { COMPACT_AFTER_UPDATES: 10_000, DOC_IDLE_UNLOAD_MS: 50 },
      { extensions: [observer] },
    );
  });
  afterAll(async () => server?.close());

  it('sees afterDurable exactly once per durable update, in log order, with its seq', async () => {
    const id = await createBriefing(server.url);
    const a = connectClient(server.url, id);
    const b = connectClient(server.url, id);
    await Promise.all([a.synced, b.synced]);
    for (let i = 0; i < 40; i++) typeParagraph(i % 2 ? a.doc : b.doc, i % 4, `line ${i}`);
    const rows = () =>
      server.db.query<{ seq: string; data: Uint8Array }>(
        'SELECT "seq"::text AS "seq", "data" FROM "DocUpdate" WHERE "briefingId" = $1 ORDER BY "DocUpdate"."seq"',
        [id],
      );
    await expect.poll(async () => (await rows()).length, { timeout: 10_000 }).toBe(40);
    const mine = seen.filter((s) => s.briefingId === id);
    const logged = await rows();
    expect(mine.map((s) => Buffer.from(s.update).toString('hex'))).toEqual(
      logged.map((row) => Buffer.from(row.data).toString('hex')),
    );
    // Each update carries its own seq: 1, 2, 3… as in the log.
    expect(mine.map((s) => s.seq)).toEqual(logged.map((row) => BigInt(row.seq)));
    expect(mine.map((s) => s.seq)).toEqual(mine.map((_, i) => BigInt(i + 1)));
    a.destroy();
    b.destroy();
    await waitFor(() => !server.registry.isLoaded(id), 10_000, 'unload');
    expect(events.filter((e) => e.endsWith(id))).toEqual([
      `load ${id}`,
      `connect ${id}`,
      `connect ${id}`,
      `disconnect ${id}`,
      `disconnect ${id}`,
      `unload ${id}`,
    ]);
  });
});
