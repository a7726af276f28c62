import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { pgliteSession } from './database.ts';
import { migrate, readMigrations } from './migrations.ts';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A fresh, empty PostgreSQL database for one test file, dropped by the returned `drop`.
 * Answers null (with the reason printed) when no server is reachable outside CI; in CI a missing
 * server is an error, because those tests must run there.
 */
export async function createTestPostgres(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (error) {
    if (process.env.CI) throw new Error(`PostgreSQL is required in CI (${ADMIN_URL}): ${(error as Error).message}`);
    console.warn(`skipping PostgreSQL tests: no server at ${ADMIN_URL} (${(error as Error).message})`);
    return null;
  }
  const name = `debrief_test_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

let template: Promise<Blob> | undefined;

/**
 * A dumped PGlite data folder with every migration applied and nothing else, for tests to start
 * new embedded databases from (`openDatabase({ dataDir, pgliteTemplate })`): loading it takes
 * ~0.3 s in memory, ~1 s into a folder, where initdb and the migrations take 2–3 s, and the suite
 * opens dozens.
 * Made once per machine for each PGlite version and set of migrations (the file name says which)
 * and kept in the temporary folder; a changed migration makes a new one. Tests of the migrations
 * themselves start from an empty cluster, as a new installation does.
 */
export function migratedPgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const migrations = readMigrations();
    const pgliteDir = dirname(dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite')));
    const { version } = JSON.parse(readFileSync(join(pgliteDir, 'package.json'), 'utf8')) as { version: string };
    const key = createHash('sha256')
      .update([version, ...migrations.map((m) => `${m.name}:${m.checksum}`)].join('\n'))
      .digest('hex')
      .slice(0, 16);
    const file = join(tmpdir(), `debrief-pglite-template-${key}.tar`);
    try {
      return new Blob([readFileSync(file)]);
    } catch {
      // Not made yet on this machine: make it below.
    }
    const client = await PGlite.create('memory://');
    try {
      const session = pgliteSession(client);
      await migrate({ withSession: (fn) => fn(session) }, migrations);
      const dump = await client.dumpDataDir('none');
      // Workers may make it at once: each writes its own file and renames it into place whole.
      const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()));
      renameSync(partial, file);
      return dump;
    } finally {
      await client.close();
    }
  })();
  return template;
}
