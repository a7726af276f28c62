import { getSections, MessageType, richTextToPlainText } from '@debrief/briefing';
import { createTestPostgres, openDatabase } from '@debrief/db';
import * as decoding from 'lib0/decoding';
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, createBriefing, spawnServer, tempDataDir, typeParagraph, waitFor } from './testing.ts';

const postgres = await createTestPostgres();
afterAll(async () => postgres?.drop());

/** `npm start` as README.md and docs/operations.md describe it: the real process, from outside. */
describe('the server process', () => {
  it('stops the start on a bad configuration value, with a message naming each variable', async () => {
    const bad = { PORT: 'eighty', DATABASE_URL: 'mysql://127.0.0.1/debrief', LOG_LEVEL: 'loud' };
    const start = spawnServer({ DATA_DIR: tempDataDir(), ...bad }, [], { account: false });
    const refusal = await start.then(
      () => expect.unreachable('the server started'),
      (error: Error) => error.message,
    );
    expect(refusal).toMatch(/exited \(1\) before listening/);
    for (const name of Object.keys(bad)) expect(refusal).toMatch(new RegExp(`invalid configuration: .*\\b${name}: `));
  }, 60_000);

  // Both signals at once, each a process of its own: SIGTERM on the embedded database, SIGINT
  // on PostgreSQL when there is one (cheaper to start than a second PGlite, and its path too).
  it('on SIGTERM and on SIGINT closes live connections with 1001, compacts the log into a snapshot and exits 0', async () => {
    await Promise.all([
      shutsDownOn('SIGTERM', { DATA_DIR: tempDataDir() }),
      shutsDownOn('SIGINT', postgres ? { DATABASE_URL: postgres.url } : { DATA_DIR: tempDataDir() }),
    ]);
  }, 120_000);
});

async function shutsDownOn(
  signal: 'SIGTERM' | 'SIGINT',
  database: { DATA_DIR: string } | { DATABASE_URL: string },
): Promise<void> {
  const server = await spawnServer(database);
  let briefingId = '';
  try {
    briefingId = await createBriefing(server.url);
    const editor = connectClient(server.url, briefingId);
    await editor.synced;
    const saved: number[] = [];
    editor.provider.messageHandlers[MessageType.SavedQuery] = (_encoder, decoder) => {
      saved.push(decoding.readVarUint(decoder));
    };
    const closed = new Promise<number | undefined>((resolve) =>
      editor.provider.once('connection-close', (event: { code: number } | null) => resolve(event?.code)),
    );
    typeParagraph(editor.doc, 0, `written before ${signal}`);
    editor.provider.ws!.send(new Uint8Array([MessageType.SavedQuery, 1]));
    // In the log, not yet compacted: what the shutdown must fold into a snapshot.
    await waitFor(() => saved.length === 1, 10_000, 'the edit to be saved');

    server.process.kill(signal);
    expect(await closed).toBe(1001);
    expect(await server.exited).toBe(0);
    editor.destroy();
  } finally {
    await server.kill();
  }

  // The database is free again: what the server left there is a snapshot and no log rows.
  const db = await openDatabase(
    'DATABASE_URL' in database ? { databaseUrl: database.DATABASE_URL } : { dataDir: database.DATA_DIR },
  );
  try {
    expect(await db.prisma.docUpdate.count({ where: { briefingId } })).toBe(0);
    const briefing = await db.prisma.briefing.findUniqueOrThrow({ where: { id: briefingId } });
    const snapshot = await db.prisma.snapshot.findFirstOrThrow({
      where: { briefingId, name: null },
      orderBy: { id: 'desc' },
    });
    expect(briefing.lastSeq).toBeGreaterThan(0n);
    expect(snapshot.upToSeq).toBe(briefing.lastSeq);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, snapshot.state);
    expect(richTextToPlainText(getSections(doc)[0]!.body)).toBe(`written before ${signal}`);
  } finally {
    await db.close();
  }
}
