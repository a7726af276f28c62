import { getSections, MessageType, richTextToPlainText } from '@debrief/briefing';
import { createTestPostgres } from '@debrief/db';
import * as decoding from 'lib0/decoding';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  connectClient,
  createBriefing,
  spawnServer,
  startTestServer,
  tempDataDir,
  typeParagraph,
  waitFor,
} from '../testing.ts';

const paragraphs = (doc: import('yjs').Doc, index: number) =>
  richTextToPlainText(getSections(doc)[index]!.body).split('\n\n').filter(Boolean);

describe('durability across restarts (embedded PGlite on disk)', () => {
  it('keeps every update a peer received when the server is killed with SIGKILL', async () => {
    const dataDir = tempDataDir();
    const first = await spawnServer({ DATA_DIR: dataDir });
    const id = await createBriefing(first.url);
    const writer = connectClient(first.url, id);
    const witness = connectClient(first.url, id);
    await Promise.all([writer.synced, witness.synced]);
    const count = 300;
    for (let i = 0; i < count; i++) typeParagraph(writer.doc, 1, `observation ${i}`);
    // The witness has seen them only if the server broadcast them, i.e. after they were durable.
    await waitFor(() => paragraphs(witness.doc, 1).length === count, 20_000, 'witness to see every update');
    first.process.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    writer.destroy();
    witness.destroy();

    const second = await spawnServer({ DATA_DIR: dataDir });
    try {
      const reader = connectClient(second.url, id);
      await reader.synced;
      expect(paragraphs(reader.doc, 1)).toEqual(Array.from({ length: count }, (_, i) => `observation ${i}`));
      reader.destroy();
    } finally {
      second.process.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  }, 120_000);

  it('flushes and compacts on graceful shutdown, and reopens the same data', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ DATA_DIR: dataDir });
    const id = await createBriefing(first.url, 'Kept across restarts');
    const editor = connectClient(first.url, id);
    await editor.synced;
    typeParagraph(editor.doc, 0, 'written before shutdown');
    // An edit still in flight on the socket is the client's to resend; wait until it is logged.
    await expect.poll(() => first.db.prisma.docUpdate.count({ where: { briefingId: id } })).toBe(1);
    await first.close();
    editor.destroy();

    const second = await startTestServer({ DATA_DIR: dataDir });
    try {
      expect(await second.db.prisma.docUpdate.count({ where: { briefingId: id } })).toBe(0);
      const reader = connectClient(second.url, id);
      await reader.synced;
      expect(paragraphs(reader.doc, 0)).toEqual(['written before shutdown']);
      reader.destroy();
    } finally {
      await second.close();
    }
  }, 120_000);
});

const postgres = await createTestPostgres();
afterAll(async () => postgres?.drop());

describe.runIf(postgres)('the same guarantees on PostgreSQL', () => {
  it('converges, persists and reloads after a restart', async () => {
    const url = postgres!.url;
    const first = await startTestServer({ DATABASE_URL: url });
    const id = await createBriefing(first.url);
    const a = connectClient(first.url, id);
    const b = connectClient(first.url, id);
    await Promise.all([a.synced, b.synced]);
    typeParagraph(a.doc, 0, 'a on postgres');
    typeParagraph(b.doc, 4, 'b on postgres');
    await waitFor(() => paragraphs(a.doc, 4).length === 1 && paragraphs(b.doc, 0).length === 1);
    await first.close();
    a.destroy();
    b.destroy();

    const second = await startTestServer({ DATABASE_URL: url });
    try {
      const reader = connectClient(second.url, id);
      await reader.synced;
      expect(paragraphs(reader.doc, 0)).toEqual(['a on postgres']);
      expect(paragraphs(reader.doc, 4)).toEqual(['b on postgres']);
      reader.destroy();
    } finally {
      await second.close();
    }
  });

  it('shows no peer an edit, nor acknowledges it, while its log write is blocked', async () => {
    const server = await startTestServer({ DATABASE_URL: postgres!.url });
    const locker = new pg.Client({ connectionString: postgres!.url });
    await locker.connect();
    try {
      const id = await createBriefing(server.url);
      const writer = connectClient(server.url, id);
      const peer = connectClient(server.url, id);
      await Promise.all([writer.synced, peer.synced]);
      const acks: number[] = [];
      writer.provider.messageHandlers[MessageType.SavedQuery] = (_encoder, decoder) => {
        acks.push(decoding.readVarUint(decoder));
      };

      await locker.query('BEGIN');
      await locker.query('LOCK TABLE "DocUpdate" IN ACCESS EXCLUSIVE MODE');
      typeParagraph(writer.doc, 0, 'held back');
      writer.provider.ws?.send(new Uint8Array([MessageType.SavedQuery, 1]));
      await new Promise((r) => setTimeout(r, 500));
      expect(paragraphs(peer.doc, 0)).toEqual([]);
      expect(acks).toEqual([]);

      await locker.query('COMMIT');
      await waitFor(() => paragraphs(peer.doc, 0).length === 1, 10_000, 'peer to receive the edit');
      await waitFor(() => acks.length === 1, 10_000, 'saved acknowledgement');
      expect(acks).toEqual([1]);
      expect(await server.db.prisma.docUpdate.count({ where: { briefingId: id } })).toBe(1);
      writer.destroy();
      peer.destroy();
    } finally {
      await locker.end();
      await server.close();
    }
  });
});
