import { randomBytes } from 'node:crypto';
import type { Database } from '@debrief/db';

/**
 * The secret that signs session cookies: AUTH_SECRET when set (several processes must share
 * it), else one the instance made for itself on first start and keeps in its database, so
 * `npm start` needs no configuration and sessions survive a restart.
 */
export async function authSecret(db: Database, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  const fresh = randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO "InstanceSetting" ("key", "value") VALUES ('auth_secret', $1) ON CONFLICT ("key") DO NOTHING`,
    [fresh],
  );
  const [row] = await db.query<{ value: string }>(`SELECT "value" FROM "InstanceSetting" WHERE "key" = 'auth_secret'`);
  return row!.value;
}
