import { readFileSync } from 'node:fs';
import { type GetDMMFError, getDMMF } from '@prisma/get-dmmf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, type Database, migrate, openDatabase, pendingMigrations, readMigrations } from './index.ts';
import { createTestPostgres } from './testDatabases.ts';

const SCHEMA = readFileSync(new URL('../../../prisma/schema.prisma', import.meta.url), 'utf8');

type Datamodel = Exclude<ReturnType<typeof getDMMF>, GetDMMFError>['datamodel'];
type Field = Datamodel['models'][number]['fields'][number];

/** One table's shape, as PostgreSQL's catalog spells it (format_type, index and constraint names). */
interface Shape {
  columns: string[];
  indexes: string[];
  foreignKeys: string[];
}

const column = (table: string, name: string, type: string, nullable: boolean) =>
  `${table}.${name} ${type}${nullable ? ' null' : ' not null'}`;
const index = (table: string, name: string, kind: string, columns: string[]) =>
  `${table} ${kind} ${name} (${columns.join(', ')})`;
const foreignKey = (table: string, columns: string[], target: string, targetColumns: string[], onDelete: string) =>
  `${table} (${columns.join(', ')}) -> ${target} (${targetColumns.join(', ')}) on delete ${onDelete}`;

/** The PostgreSQL type Prisma's migrations give a scalar field (Prisma's PostgreSQL type mapping). */
function columnType(field: Field): string {
  const [native, args = []] = (field.nativeType ?? []) as [string?, string[]?];
  if (field.isList || field.kind !== 'scalar')
    throw new Error(`${field.name}: no mapping for ${field.kind} lists here`);
  switch (`${field.type}${native ? `@${native}` : ''}`) {
    case 'String':
      return 'text';
    case 'String@Uuid':
      return 'uuid';
    case 'String@VarChar':
      return `character varying(${args[0]})`;
    case 'Int':
      return 'integer';
    case 'BigInt':
      return 'bigint';
    case 'Boolean':
      return 'boolean';
    case 'Bytes':
      return 'bytea';
    case 'Json':
      return 'jsonb';
    case 'Float':
      return 'double precision';
    case 'DateTime':
      return 'timestamp(3) without time zone';
    case 'DateTime@Timestamptz':
      return `timestamp(${args[0] ?? 6}) with time zone`;
    default:
      throw new Error(`${field.name}: add the PostgreSQL type of ${field.type} @db.${native} to this test`);
  }
}

/** What `schema.prisma` declares, read by Prisma's own parser, in the catalog's terms. */
function declaredShape(): Shape {
  const parsed = getDMMF({ datamodel: SCHEMA });
  if ('error' in parsed) throw parsed.error;
  const { datamodel } = parsed;
  const tables = new Map(datamodel.models.map((model) => [model.name, model]));
  const tableOf = (model: string) => tables.get(model)?.dbName ?? model;
  const columnOf = (model: string, field: string) =>
    tables.get(model)?.fields.find((f) => f.name === field)?.dbName ?? field;
  const shape: Shape = { columns: [], indexes: [], foreignKeys: [] };
  for (const model of datamodel.models) {
    const table = tableOf(model.name);
    for (const field of model.fields) {
      if (field.kind === 'object') {
        if (!field.relationFromFields?.length) continue;
        shape.foreignKeys.push(
          foreignKey(
            table,
            field.relationFromFields.map((f) => columnOf(model.name, f)),
            tableOf(field.type),
            (field.relationToFields ?? []).map((f) => columnOf(field.type, f)),
            // Prisma's default for a required relation is Restrict, for an optional one SetNull.
            (field.relationOnDelete ?? (field.isRequired ? 'Restrict' : 'SetNull')).toLowerCase(),
          ),
        );
        continue;
      }
      shape.columns.push(column(table, field.dbName ?? field.name, columnType(field), !field.isRequired));
    }
  }
  // Prisma's default names: <table>_pkey, <table>_<columns>_key (unique), <table>_<columns>_idx.
  const suffix = { id: 'pkey', unique: 'key', normal: 'idx', fulltext: 'idx' } as const;
  for (const entry of datamodel.indexes) {
    const table = tableOf(entry.model);
    const columns = entry.fields.map((f) => columnOf(entry.model, f.name));
    const name =
      entry.dbName ?? (entry.type === 'id' ? `${table}_pkey` : `${table}_${columns.join('_')}_${suffix[entry.type]}`);
    shape.indexes.push(index(table, name, entry.type === 'normal' ? 'index' : entry.type, columns));
  }
  return sorted(shape);
}

const ON_DELETE: Record<string, string> = { a: 'noaction', r: 'restrict', c: 'cascade', n: 'setnull', d: 'setdefault' };

/** What the migrated database has, from PostgreSQL's catalog (Prisma's own table left out). */
async function migratedShape(db: Database): Promise<Shape> {
  return db.withSession(async (session) => {
    const columns = await session.query<{ table: string; name: string; type: string; nullable: boolean }>(
      `SELECT c.relname AS "table", a.attname AS "name", format_type(a.atttypid, a.atttypmod) AS "type",
              NOT a.attnotnull AS "nullable"
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname <> '_prisma_migrations'
         AND a.attnum > 0 AND NOT a.attisdropped`,
    );
    const indexes = await session.query<{ table: string; name: string; kind: string; columns: string }>(
      `SELECT t.relname AS "table", i.relname AS "name",
              CASE WHEN x.indisprimary THEN 'id' WHEN x.indisunique THEN 'unique' ELSE 'index' END AS "kind",
              (SELECT string_agg(a.attname, ',' ORDER BY k.ord)
                 FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum) AS "columns"
       FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE n.nspname = current_schema() AND t.relname <> '_prisma_migrations'`,
    );
    const keys = await session.query<{
      table: string;
      columns: string;
      target: string;
      targetColumns: string;
      onDelete: string;
    }>(
      `SELECT t.relname AS "table", r.relname AS "target", f.confdeltype::text AS "onDelete",
              (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(f.conkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.attnum) AS "columns",
              (SELECT string_agg(a.attname, ',' ORDER BY k.ord) FROM unnest(f.confkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.attnum) AS "targetColumns"
       FROM pg_constraint f JOIN pg_class t ON t.oid = f.conrelid JOIN pg_class r ON r.oid = f.confrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace
       WHERE f.contype = 'f' AND n.nspname = current_schema()`,
    );
    return sorted({
      columns: columns.map((c) => column(c.table, c.name, c.type, c.nullable)),
      indexes: indexes.map((i) => index(i.table, i.name, i.kind, i.columns.split(','))),
      foreignKeys: keys.map((k) =>
        foreignKey(
          k.table,
          k.columns.split(','),
          k.target,
          k.targetColumns.split(','),
          ON_DELETE[k.onDelete] ?? k.onDelete,
        ),
      ),
    });
  });
}

const sorted = (shape: Shape): Shape => ({
  columns: [...shape.columns].sort(),
  indexes: [...shape.indexes].sort(),
  foreignKeys: [...shape.foreignKeys].sort(),
});

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
    const job = await prisma.exportJob.create({
      data: {
        briefingId: briefing.id,
        requestedById: workspace.id,
        stateKey: 'live:1',
        format: 'pdf',
        style: 'chicago',
        status: 'done',
        file: bytes(new Uint8Array([37, 80, 68, 70])),
        sha256: 'd'.repeat(64),
        size: 4,
        finishedAt: new Date(),
      },
    });
    expect([...(await prisma.exportJob.findUniqueOrThrow({ where: { id: job.id } })).file!]).toEqual([37, 80, 68, 70]);
    const cited = await prisma.source.findUniqueOrThrow({ where: { id: source.id }, include: { citations: true } });
    expect(cited.csl).toEqual({ type: 'article-newspaper', title: 'Leak' });
    expect(cited.citations.map((c) => c.id)).toEqual([citation.id]);
    await expect(prisma.source.delete({ where: { id: source.id } })).rejects.toThrow();
    await prisma.briefing.delete({ where: { id: briefing.id } });
    expect(await prisma.citation.count({ where: { briefingId: briefing.id } })).toBe(0);
    expect(await prisma.exportJob.count({ where: { briefingId: briefing.id } })).toBe(0);
    await prisma.source.delete({ where: { id: source.id } });
    expect(await prisma.docUpdate.count({ where: { briefingId: briefing.id } })).toBe(0);
    await expect(prisma.workspace.create({ data: { name: workspace.name } })).rejects.toThrow();
  });

  it('has exactly the tables, columns, types, nullability, indexes and foreign keys schema.prisma declares', async () => {
    await migrate(db);
    const declared = declaredShape();
    const migrated = await migratedShape(db);
    expect(migrated.columns).toEqual(declared.columns);
    expect(migrated.indexes).toEqual(declared.indexes);
    expect(migrated.foreignKeys).toEqual(declared.foreignKeys);
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
