import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, SqlSession } from './database.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));

/** The lock id `prisma migrate` takes, so our runner and Prisma's never run at once. */
const PRISMA_MIGRATE_LOCK = 72707369;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  readonly code = 'migration_failed';
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

// Prisma's own table, so `prisma migrate deploy` and `migrate status` read our history.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

async function appliedMigrations(session: SqlSession): Promise<Map<string, AppliedRow>> {
  const rows = await session.query<AppliedRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
  );
  return new Map(rows.map((row) => [row.migration_name, row]));
}

/**
 * Applies every migration not yet recorded, each in its own transaction together with its
 * `_prisma_migrations` row, so a failed migration leaves neither schema changes nor a record.
 * Refuses to run when an applied migration's file was edited afterwards.
 */
export async function migrate(db: Pick<Database, 'withSession'>, migrations = readMigrations()): Promise<string[]> {
  return db.withSession(async (session) => {
    await session.exec(CREATE_MIGRATIONS_TABLE);
    await session.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    try {
      const applied = await appliedMigrations(session);
      const ran: string[] = [];
      for (const migration of migrations) {
        const record = applied.get(migration.name);
        if (record) {
          if (!record.finished_at) {
            throw new MigrationError(`migration ${migration.name} is recorded as started but never finished`);
          }
          if (record.checksum !== migration.checksum) {
            throw new MigrationError(`migration ${migration.name} was edited after it was applied`);
          }
          continue;
        }
        await session.exec('BEGIN');
        try {
          await session.exec(migration.sql);
          await session.query(
            `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
             VALUES ($1, $2, $3, now(), 1)`,
            [randomUUID(), migration.checksum, migration.name],
          );
          await session.exec('COMMIT');
        } catch (error) {
          await session.exec('ROLLBACK');
          throw new MigrationError(`migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
        ran.push(migration.name);
      }
      return ran;
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]);
    }
  });
}

/** Names of migrations in the folder that the database has not applied (empty when up to date). */
export async function pendingMigrations(db: Database, migrations = readMigrations()): Promise<string[]> {
  return db.withSession(async (session) => {
    const exists = await session.query<{ present: boolean }>(
      `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`,
    );
    if (!exists[0]?.present) return migrations.map((m) => m.name);
    const applied = await appliedMigrations(session);
    return migrations.filter((m) => !applied.get(m.name)?.finished_at).map((m) => m.name);
  });
}
