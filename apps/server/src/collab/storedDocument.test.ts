import { CloseCode, getSections, richTextToPlainText } from '@debrief/briefing';
import { openDatabase } from '@debrief/db';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import {
  authFetch,
  connectClient,
  createBriefing,
  runCliHere,
  startTestServer,
  tempDataDir,
  typeParagraph,
  waitFor,
} from '../testing.ts';
import { DocumentStore } from './DocumentStore.ts';

/**
 * Defence in depth: a history stored before the input checks existed (or damaged otherwise) must
 * never be served as an empty or half-loaded document, nor repaired by deleting anything.
 */

/** A log row no client can send any more: a ContentJSON value nested far deeper than any stack. */
function damagingUpdate(): Uint8Array {
  const depth = 100_000;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarUint(encoder, 4242);
  encoding.writeVarUint(encoder, 0);
  encoding.writeUint8(encoder, 2 | 0x20); // ContentJSON, in a map
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarString(encoder, 'meta');
  encoding.writeVarString(encoder, 'damage');
  encoding.writeVarUint(encoder, 1);
  encoding.writeVarString(encoder, `${'['.repeat(depth)}${']'.repeat(depth)}`);
  encoding.writeVarUint(encoder, 0);
  return encoding.toUint8Array(encoder);
}

/** `npm run cli -- <args>` on the server's stopped database (cli.test.ts runs the program itself). */
async function cli(dataDir: string, ...args: string[]) {
  const result = await runCliHere(dataDir, args);
  return { status: result.code, output: `${result.stdout}${result.stderr}` };
}

const firstSectionText = (doc: import('yjs').Doc) => richTextToPlainText(getSections(doc)[0]!.body);

describe('a stored history that cannot be loaded', () => {
  it('is refused as unloadable, named by `doc check`, and loads again once its bad row is quarantined', async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ DATA_DIR: dataDir });
    const id = await createBriefing(first.url);
    const writer = connectClient(first.url, id);
    await writer.synced;
    typeParagraph(writer.doc, 0, 'written before the damage');
    await expect
      .poll(() => first.db.prisma.docUpdate.count({ where: { briefingId: id } }), { timeout: 10_000 })
      .toBe(1);
    writer.destroy();
    await first.close();

    const db = await openDatabase({ dataDir });
    await new DocumentStore(db).append([{ briefingId: id, data: damagingUpdate() }]);
    const [bad] = await db.query<{ id: string }>('SELECT "id"::text AS "id" FROM "DocUpdate" WHERE "briefingId" = $1', [
      id,
    ]);
    await db.close();

    const check = await cli(dataDir, 'doc', 'check', id);
    expect(check.status).toBe(1);
    expect(check.output).toContain(`unloadable  ${id}`);
    expect(check.output).toContain(`log row ${bad!.id}: a value nested deeper than 16`);

    const second = await startTestServer({ DATA_DIR: dataDir });
    try {
      const refused = connectClient(second.url, id);
      const code = await new Promise<number>((resolve) =>
        refused.provider.on('connection-close', (event: { code: number } | null) => resolve(event?.code ?? 0)),
      );
      refused.destroy();
      expect(code).toBe(CloseCode.Unloadable);
      expect(await (await authFetch(`${second.url}/metrics`)).text()).toMatch(/^debrief_documents_unloadable 1$/m);
      const rename = await authFetch(`${second.url}/api/briefings/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Renamed' }),
      });
      expect(rename.status).toBe(409);
      expect(((await rename.json()) as { error: { code: string } }).error.code).toBe('briefing_unloadable');
      // Shutdown compacted the good row into the snapshot; the bad row is still there, untouched.
      const rows = await second.db.prisma.docUpdate.findMany({ where: { briefingId: id } });
      expect(rows.map((row) => [String(row.id), row.quarantinedAt])).toEqual([[bad!.id.toString(), null]]);
    } finally {
      await second.close();
    }

    const quarantine = await cli(dataDir, 'doc', 'quarantine', id, '--bad');
    expect(quarantine.output).toContain(`quarantined 1 log row(s) of ${id}: ${bad!.id}`);
    const recheck = await cli(dataDir, 'doc', 'check', id);
    expect(recheck.status).toBe(0);
    expect(recheck.output).toContain(`quarantined log row ${bad!.id}`);

    const third = await startTestServer({ DATA_DIR: dataDir, DOC_IDLE_UNLOAD_MS: 50 });
    try {
      const reader = connectClient(third.url, id);
      await reader.synced;
      expect(firstSectionText(reader.doc)).toBe('written before the damage');
      typeParagraph(reader.doc, 0, 'written after the repair');
      await waitFor(() => firstSectionText(reader.doc).includes('after the repair'));
      reader.destroy();
      // Unloading compacts the log; the quarantined row is kept, never folded or deleted.
      await waitFor(() => !third.registry.isLoaded(id), 10_000, 'unload');
      const rows = await third.db.prisma.docUpdate.findMany({ where: { briefingId: id } });
      expect(rows.map((row) => String(row.id))).toEqual([bad!.id.toString()]);
      expect(rows[0]!.quarantinedAt).toBeInstanceOf(Date);
      expect(await (await authFetch(`${third.url}/metrics`)).text()).toMatch(/^debrief_documents_unloadable 0$/m);
    } finally {
      await third.close();
    }
  }, 120_000);
});
