import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '@debrief/db';

const hashOf = (code: string) => createHash('sha256').update(code).digest('hex');

/**
 * The one-time code of the first-run setup link (`/setup?code=…`). While no user exists, each
 * start makes a new one (only its sha256 is kept, so an older link stops working) and the server
 * prints the link; once the first admin exists there is none, and no default password ever does.
 */
export async function issueSetupCode(db: Database): Promise<string | null> {
  if ((await db.prisma.user.count()) > 0) {
    await db.prisma.setupToken.deleteMany();
    return null;
  }
  const code = randomBytes(24).toString('base64url');
  await db.prisma.setupToken.upsert({
    where: { id: 1 },
    update: { codeHash: hashOf(code), createdAt: new Date() },
    create: { id: 1, codeHash: hashOf(code) },
  });
  return code;
}

export async function setupPending(db: Database): Promise<boolean> {
  return (await db.prisma.setupToken.count()) > 0 && (await db.prisma.user.count()) === 0;
}

/**
 * Uses up the code: true for exactly one caller with the right code, however many try at once
 * (the row is deleted by the statement that checks it).
 */
export async function consumeSetupCode(db: Database, code: string): Promise<boolean> {
  const [stored] = await db.query<{ codeHash: string }>('SELECT "codeHash" FROM "SetupToken" WHERE "id" = 1');
  if (!stored) return false;
  const given = Buffer.from(hashOf(code), 'hex');
  const expected = Buffer.from(stored.codeHash, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return false;
  const deleted = await db.query('DELETE FROM "SetupToken" WHERE "id" = 1 AND "codeHash" = $1 RETURNING "id"', [
    stored.codeHash,
  ]);
  return deleted.length === 1;
}
