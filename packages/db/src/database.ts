import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { acquireDataDirLock } from './dataDirLock.ts';
import { PrismaClient } from './generated/prisma/client.ts';

/**
 * Raw SQL access beside Prisma, for what Prisma's query API cannot do: multi-statement migration
 * scripts and advisory locks. Both engines speak the same PostgreSQL dialect.
 */
export interface SqlSession {
  /** Runs one or more statements with no parameters (simple query protocol). */
  exec(sql: string): Promise<void>;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export interface Database {
  readonly kind: 'pglite' | 'postgres';
  readonly prisma: PrismaClient;
  /** Runs `fn` on one connection held for its whole duration (locks and transactions stay on it). */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Runs `fn` in one transaction (READ COMMITTED), committed when it resolves, rolled back if it throws. */
  transaction<T>(fn: (tx: SqlSession) => Promise<T>): Promise<T>;
  /**
   * One parametrised statement on any connection, bypassing Prisma: for the hot path (the update
   * log), where Prisma's query compilation costs more than the statement itself.
   */
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export interface DatabaseConfig {
  /** postgres://… selects PostgreSQL; unset selects embedded PGlite. */
  databaseUrl?: string | undefined;
  /** PGlite's folder; `memory://` keeps it in memory (tests). */
  dataDir?: string | undefined;
  /**
   * A new PGlite database (in memory, or a folder that holds none yet) starts as a copy of this
   * dumped data folder (`dumpDataDir`) instead of an empty cluster: tests start from a migrated
   * one (`migratedPgliteTemplate`), which skips initdb, most of the cost of a new database.
   */
  pgliteTemplate?: Blob | undefined;
  /**
   * A pooled PostgreSQL connection failed while idle (the server restarted, an administrator
   * ended it). The pool drops that connection and opens another when needed; without a listener,
   * node-postgres would throw the error out of the process.
   */
  onConnectionError?: ((error: Error) => void) | undefined;
}

export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl, config.onConnectionError);
  return openPglite(config.dataDir ?? './data', config.pgliteTemplate);
}

const PGLITE_SHARED_BUFFERS = '16MB';

/** SQL on a PGlite instance: its one connection is always the session. */
export function pgliteSession(client: PGlite): SqlSession {
  return {
    async exec(sql) {
      await client.exec(sql);
    },
    async query<Row>(sql: string, params: unknown[] = []) {
      return (await client.query<Row>(sql, params)).rows;
    },
  };
}

async function openPglite(dataDir: string, template: Blob | undefined): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  const folder = inMemory ? dataDir : `${dataDir.replace(/\/$/, '')}/pglite`;
  if (!inMemory) mkdirSync(folder, { recursive: true });
  const lock = inMemory ? null : acquireDataDirLock(folder);
  // The template makes a new database only: an existing one is opened as it is.
  const isNew = inMemory || !existsSync(join(folder, 'PG_VERSION'));
  const client = await PGlite.create(folder, {
    loadDataDir: isNew ? template : undefined,
    // PostgreSQL's default 128 MB of shared buffers is touched at start inside PGlite's WASM memory:
    // ~115 MiB of every process's baseline RSS (issue 15). One connection on one process's data
    // needs far less; the operating system's page cache still holds the files.
    startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`],
  }).catch((error) => {
    lock?.release();
    throw error;
  });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) });
  const session = pgliteSession(client);
  return {
    kind: 'pglite',
    prisma,
    // PGlite is a single connection in this process: every call is already on "the" session.
    withSession: (fn) => fn(session),
    // PGlite's transaction holds its connection for the whole function: nothing interleaves.
    transaction: (fn) =>
      client.transaction((tx) =>
        fn({
          async exec(sql) {
            await tx.exec(sql);
          },
          async query<Row>(sql: string, params: unknown[] = []) {
            return (await tx.query<Row>(sql, params)).rows;
          },
        }),
      ),
    query: (sql, params) => session.query(sql, params),
    async close() {
      await prisma.$disconnect();
      await client.close();
      lock?.release();
    },
  };
}

async function openPostgres(
  connectionString: string,
  onConnectionError: DatabaseConfig['onConnectionError'],
): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: 10 });
  pool.on('error', (error) => onConnectionError?.(error));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const withSession = async <T>(fn: (session: SqlSession) => Promise<T>): Promise<T> => {
    const connection = await pool.connect();
    try {
      return await fn({
        async exec(sql) {
          await connection.query(sql);
        },
        async query<Row>(sql: string, params: unknown[] = []) {
          const result = await connection.query(sql, params);
          return result.rows as Row[];
        },
      });
    } finally {
      connection.release();
    }
  };
  return {
    kind: 'postgres',
    prisma,
    withSession,
    transaction: (fn) =>
      withSession(async (session) => {
        await session.exec('BEGIN');
        try {
          const result = await fn(session);
          await session.exec('COMMIT');
          return result;
        } catch (error) {
          await session.exec('ROLLBACK');
          throw error;
        }
      }),
    async query<Row>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as Row[];
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/**
 * Prisma types Bytes as `Uint8Array<ArrayBuffer>`; Yjs and lib0 return the wider
 * `Uint8Array<ArrayBufferLike>`, though always backed by a plain ArrayBuffer.
 */
export const bytes = (data: Uint8Array): Uint8Array<ArrayBuffer> => data as Uint8Array<ArrayBuffer>;
