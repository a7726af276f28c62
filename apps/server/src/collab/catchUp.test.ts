import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, createBriefing, startTestServer, type TestServer, waitFor } from '../testing.ts';
import { DocumentStore } from './DocumentStore.ts';
import type { SharedDocument } from './SharedDocument.ts';
import { compactedState } from './storedDocument.ts';

/** Updates of another writer that each add one key to a map of their own, in order. */
function edits(count: number, from = 0): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) doc.getMap('elsewhere').set(`k${from + i}`, i);
  return updates;
}

/**
 * How a loaded copy follows rows another process committed (what the Redis fan-out hands it):
 * in seq order, duplicates ignored, holes and compacted rows read back from the database.
 */
describe('a loaded document following the log of other processes', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => server?.close());

  it('applies rows in seq order, ignores duplicates, fills a hole from the database, and survives a compaction elsewhere', async () => {
    const id = await createBriefing(server.url);
    const client = connectClient(server.url, id);
    await client.synced;
    const store = new DocumentStore(server.db);
    const keys = (doc: Y.Doc) => doc.getMap('elsewhere').size;
    try {
      await server.registry.use(id, async (document: SharedDocument) => {
        const start = document.coveredSeq;
        const updates = edits(8);
        // Another process commits five rows and publishes them out of order, one twice, one never.
        const seqs = await store.append(updates.slice(0, 5).map((data) => ({ briefingId: id, data })));
        expect(seqs).toEqual([1n, 2n, 3n, 4n, 5n].map((n) => start + n));
        expect(document.receiveDurable(start + 2n, updates[1]!)).toBe(true);
        expect(keys(document.doc)).toBe(0);
        expect(document.receiveDurable(start + 1n, updates[0]!)).toBe(true);
        expect(keys(document.doc)).toBe(2);
        expect(document.coveredSeq).toBe(start + 2n);
        expect(document.receiveDurable(start + 1n, updates[0]!)).toBe(false);
        // Rows 3 and 4 never arrive: the hole is read from the database after a short grace.
        expect(document.receiveDurable(start + 5n, updates[4]!)).toBe(true);
        await waitFor(() => document.coveredSeq === start + 5n, 10_000, 'the hole to be filled');
        expect(keys(document.doc)).toBe(5);

        // The other process appends three more and compacts everything into a snapshot.
        await store.append(updates.slice(5).map((data) => ({ briefingId: id, data })));
        await store.compact(id, (stored) => compactedState(id, stored));
        expect(await document.catchUp()).toBe(0);
        expect(document.coveredSeq).toBe(start + 8n);
        expect(keys(document.doc)).toBe(8);
      });
      // The connected client was shown every row.
      await waitFor(() => keys(client.doc) === 8, 10_000, 'the client to see every row');
      const metrics = await (await fetch(`${server.url}/metrics`)).text();
      expect(metrics).toMatch(/debrief_log_gaps_total [1-9]/);
      expect(metrics).toMatch(/debrief_log_rows_caught_up_total [1-9]/);
    } finally {
      client.destroy();
    }
  });
});
