import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, type Database, migrate, openDatabase, pendingMigrations, readMigrations } from './index.ts';
import { createTestPostgres } from './testDatabases.ts';

const postgres = await createTestPostgres();
afterAll(async () => postgres?.drop());

const engines: Array<[string, () => Promise<Database>]> = [
  ['PGlite', () => openDatabase({ dataDir: 'memory://' })],
  ...(postgres
    ? [['PostgreSQL', () => openDatabase({ databaseUrl: postgres.url })] as [string, () => Promise<Database>]]
    : []),
];

// One database per engine: its first test sees it fresh, the others build on the migrated schema.
describe.each(engines)('schema and migrations on %s', (_name, open) => {
  let db: Database;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => db?.close());

  it('applies every migration once and records it in Prisma’s table', async () => {
    expect(await pendingMigrations(db)).toEqual(readMigrations().map((m) => m.name));
    expect(await migrate(db)).toEqual(readMigrations().map((m) => m.name));
    expect(await migrate(db)).toEqual([]);
    expect(await pendingMigrations(db)).toEqual([]);
    const rows = await db.withSession((s) =>
      s.query<{ migration_name: string; checksum: string }>(
        'SELECT migration_name, checksum FROM "_prisma_migrations"',
      ),
    );
    expect(rows.map((r) => r.checksum)).toEqual(readMigrations().map((m) => m.checksum));
  });

  it('reads and writes every model of the Prisma schema on the migrated database', async () => {
    await migrate(db);
    const { prisma } = db;
    const workspace = await prisma.workspace.create({ data: { name: `ws-${Date.now()}` } });
    const briefing = await prisma.briefing.create({
      data: { workspaceId: workspace.id, title: 'T', archivedAt: new Date(), searchText: 'dial-in' },
    });
    const update = await prisma.docUpdate.create({
      data: { briefingId: briefing.id, seq: 1n, data: bytes(new Uint8Array([1, 2, 3])) },
    });
    const snapshot = await prisma.snapshot.create({
      data: {
        briefingId: briefing.id,
        state: bytes(new Uint8Array([9])),
        upToSeq: update.seq,
        name: 'v1',
        createdById: workspace.id,
      },
    });
    const read = await prisma.briefing.findUniqueOrThrow({
      where: { id: briefing.id },
      include: { workspace: true, updates: true, snapshots: true },
    });
    expect(read.workspace.name).toBe(workspace.name);
    expect(read.status).toBe('draft');
    expect([...read.updates[0]!.data]).toEqual([1, 2, 3]);
    expect(read.snapshots[0]).toMatchObject({
      id: snapshot.id,
      name: 'v1',
      upToSeq: update.seq,
      createdById: workspace.id,
    });
    expect(read).toMatchObject({ searchText: 'dial-in', archivedAt: expect.any(Date) });
    const source = await prisma.source.create({
      data: {
        workspaceId: workspace.id,
        format: 'text',
        csl: { type: 'article-newspaper', title: 'Leak' },
        title: 'Leak',
        raw: ' raw',
        rawSha256: 'a'.repeat(64),
        text: 'raw',
        textSha256: 'b'.repeat(64),
        cleaning: [],
      },
    });
    const citation = await prisma.citation.create({
      data: {
        briefingId: briefing.id,
        sourceId: source.id,
        excerptId: 'x1',
        sectionId: 's1',
        ordinal: 0,
        number: 1,
        exact: 'raw',
        prefix: '',
        suffix: '',
        start: 0,
        end: 3,
        quoteSha256: 'c'.repeat(64),
        originalSha256: 'c'.repeat(64),
        status: 'anchored',
      },
    });
    const cited = await prisma.source.findUniqueOrThrow({ where: { id: source.id }, include: { citations: true } });
    expect(cited.csl).toEqual({ type: 'article-newspaper', title: 'Leak' });
    expect(cited.citations.map((c) => c.id)).toEqual([citation.id]);
    await expect(prisma.source.delete({ where: { id: source.id } })).rejects.toThrow();
    await prisma.briefing.delete({ where: { id: briefing.id } });
    expect(await prisma.citation.count({ where: { briefingId: briefing.id } })).toBe(0);
    await prisma.source.delete({ where: { id: source.id } });
    expect(await prisma.docUpdate.count({ where: { briefingId: briefing.id } })).toBe(0);
    await expect(prisma.workspace.create({ data: { name: workspace.name } })).rejects.toThrow();
  });

  it('refuses to start when an applied migration was edited afterwards', async () => {
    const [first, ...rest] = readMigrations();
    await migrate(db);
    await expect(
      migrate(db, [{ ...first!, sql: `${first!.sql}\n-- edited`, checksum: 'x'.repeat(64) }, ...rest]),
    ).rejects.toThrow(/edited after it was applied/);
  });

  it('rolls back a failing migration without recording it', async () => {
    await migrate(db);
    const broken = {
      name: '29990101000000_broken',
      sql: 'CREATE TABLE "Half" (id int); SELECT * FROM nowhere;',
      checksum: '0'.repeat(64),
    };
    await expect(migrate(db, [...readMigrations(), broken])).rejects.toThrow(/29990101000000_broken failed/);
    const half = await db.withSession((s) => s.query<{ t: string | null }>(`SELECT to_regclass('"Half"')::text AS t`));
    expect(half[0]?.t).toBeNull();
    expect(await pendingMigrations(db, [...readMigrations(), broken])).toEqual([broken.name]);
  });
});

describe('embedded database folder', () => {
  it('refuses a second opener while the first holds it, and reopens after close', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dataDir = mkdtempSync(join(tmpdir(), 'debrief-lock-'));
    const first = await openDatabase({ dataDir });
    await expect(openDatabase({ dataDir })).rejects.toThrow(/in use by process/);
    await first.close();
    const again = await openDatabase({ dataDir });
    await again.close();
  });
});
