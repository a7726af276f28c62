import { getSections, MessageType, richTextToPlainText } from '@debrief/briefing';
import { openDatabase } from '@debrief/db';
import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, createBriefing, spawnServer, tempDataDir, typeParagraph, waitFor } from './testing.ts';

/** `npm start` as README.md and docs/operations.md describe it: the real process, from outside. */
describe('the server process', () => {
  it('stops the start on a bad configuration value, with a message naming the variable', async () => {
    const bad = { PORT: 'eighty', DATABASE_URL: 'mysql://127.0.0.1/debrief', LOG_LEVEL: 'loud' };
    await Promise.all(
      Object.entries(bad).map(async ([name, value]) => {
        const start = spawnServer({ DATA_DIR: tempDataDir(), [name]: value }, [], { account: false });
        await expect(start).rejects.toThrow(
          new RegExp(`exited \\(1\\) before listening:[\\s\\S]*invalid configuration: ${name}: `),
        );
      }),
    );
  }, 60_000);

  // Both signals at once: each is a process of its own that starts a database, and the machine
  // is shared.
  it('on SIGTERM and on SIGINT closes live connections with 1001, compacts the log into a snapshot and exits 0', async () => {
    await Promise.all((['SIGTERM', 'SIGINT'] as const).map(shutsDownOn));
  }, 120_000);
});

async function shutsDownOn(signal: 'SIGTERM' | 'SIGINT'): Promise<void> {
  const dataDir = tempDataDir();
  const server = await spawnServer({ DATA_DIR: dataDir });
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

  // The data folder is free again: what the server left there is a snapshot and no log rows.
  const db = await openDatabase({ dataDir });
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
