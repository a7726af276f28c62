import { createTestPostgres, type Database, migrate, openDatabase } from '@debrief/db';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocumentStore } from './DocumentStore.ts';
import { openStoredDocument } from './storedDocument.ts';

/** A briefing row with an empty document, straight through SQL (no server). */
async function newBriefing(db: Database): Promise<string> {
  const [workspace] = await db.query<{ id: string }>(
    `INSERT INTO "Workspace" ("id", "name") VALUES (gen_random_uuid(), $1) RETURNING "id"`,
    [`ws-${globalThis.crypto.randomUUID()}`],
  );
  const [briefing] = await db.query<{ id: string }>(
    `INSERT INTO "Briefing" ("id", "workspaceId", "title", "updatedAt") VALUES (gen_random_uuid(), $1, 'T', now()) RETURNING "id"`,
    [workspace!.id],
  );
  return briefing!.id;
}

/** Updates that each add one key to `meta`, from one client, in order. */
function edits(count: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  for (let i = 0; i < count; i++) doc.getMap('meta').set(`k${i}`, i);
  return updates;
}

const build = (id: string) => (stored: Parameters<Parameters<DocumentStore['compact']>[1]>[0]) => {
  const doc = openStoredDocument(id, stored);
  return Y.encodeStateAsUpdate(doc);
};

const keysOf = async (store: DocumentStore, id: string): Promise<number> => {
  const stored = await store.load(id);
  const doc = openStoredDocument(id, stored!);
  return doc.getMap('meta').size;
};

function storeContract(name: string, open: () => Promise<Database>) {
  describe(`the document store on ${name}`, () => {
    let db: Database;
    afterAll(async () => db?.close());

    it('numbers each briefing’s log 1, 2, 3… in append order, whatever else is in the batch', async () => {
      db = await open();
      await migrate(db);
      const store = new DocumentStore(db);
      const [a, b] = [await newBriefing(db), await newBriefing(db)];
      const updates = edits(5);
      const seqs = await store.append([
        { briefingId: a, data: updates[0]! },
        { briefingId: b, data: updates[0]! },
        { briefingId: a, data: updates[1]! },
        { briefingId: a, data: updates[2]! },
        { briefingId: b, data: updates[1]! },
      ]);
      expect(seqs).toEqual([1n, 1n, 2n, 3n, 2n]);
      expect(await store.append([{ briefingId: a, data: updates[3]! }])).toEqual([4n]);
      const stored = await store.load(a);
      expect(stored!.log.map((row) => row.seq)).toEqual([1n, 2n, 3n, 4n]);
      expect(stored!.lastSeq).toBe(4n);
    });

    it('answers null for an update of a briefing that no longer exists, and writes the others', async () => {
      const store = new DocumentStore(db);
      const kept = await newBriefing(db);
      const [update] = edits(1);
      const seqs = await store.append([
        { briefingId: '7d1e0f7e-0000-4000-8000-000000000000', data: update! },
        { briefingId: kept, data: update! },
      ]);
      expect(seqs).toEqual([null, 1n]);
    });

    it('compacts from the database rows: rows appended while the snapshot is built stay in the log', async () => {
      const store = new DocumentStore(db);
      const id = await newBriefing(db);
      const updates = edits(6);
      await store.append(updates.slice(0, 4).map((data) => ({ briefingId: id, data })));
      const folded = await store.compact(id, (stored) => {
        const state = build(id)(stored);
        // Another process appends while this one replays: not in the snapshot, so not deleted.
        void store.append(updates.slice(4).map((data) => ({ briefingId: id, data })));
        return state;
      });
      expect(folded).toBe(4);
      await expect.poll(async () => (await store.load(id))!.lastSeq, { timeout: 10_000 }).toBe(6n);
      const stored = await store.load(id);
      expect(stored!.log.map((row) => row.seq)).toEqual([5n, 6n]);
      expect(stored!.updatesSinceSnapshot).toBe(2);
      expect(await keysOf(store, id)).toBe(6);
    });

    it('lets only one of two concurrent compactions swap the snapshot, and loses nothing', async () => {
      const store = new DocumentStore(db);
      const id = await newBriefing(db);
      const updates = edits(10);
      await store.append(updates.map((data) => ({ briefingId: id, data })));
      const results = await Promise.all([store.compact(id, build(id)), store.compact(id, build(id))]);
      expect(results.filter((n) => n > 0)).toEqual([10]);
      const [snapshots] = await db.query<{ n: number }>(
        'SELECT count(*)::int AS "n" FROM "Snapshot" WHERE "briefingId" = $1',
        [id],
      );
      expect(snapshots!.n).toBe(1);
      expect(await keysOf(store, id)).toBe(10);
    });
  });
}

storeContract('PGlite', () => openDatabase({ dataDir: 'memory://' }));

const postgres = await createTestPostgres();
afterAll(async () => postgres?.drop());
if (postgres) storeContract('PostgreSQL', () => openDatabase({ databaseUrl: postgres.url }));
