import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Database } from '@debrief/db';

/**
 * Personal API tokens, a small module of our own: better-auth's api-key plugin pins exact peer
 * versions and does not install beside current better-auth. A token is `dbf_<id>_<secret>`: 32
 * random bytes of secret, shown once; only its sha256 is stored, compared in constant time after
 * the row is found by id; revocable; its last use is recorded (at most once a minute).
 */
export const TOKEN_PREFIX = 'dbf_';
const TOKEN = /^dbf_([0-9a-f-]{36})_([A-Za-z0-9_-]{43})$/;
const LAST_USED_PRECISION_MS = 60_000;

const sha256 = (secret: string) => createHash('sha256').update(secret).digest();

export async function issueApiToken(
  db: Database,
  userId: string,
  name: string,
): Promise<{ id: string; token: string }> {
  const secret = randomBytes(32).toString('base64url');
  const id = globalThis.crypto.randomUUID();
  await db.prisma.apiToken.create({ data: { id, userId, name, secretHash: sha256(secret).toString('hex') } });
  return { id, token: `${TOKEN_PREFIX}${id}_${secret}` };
}

/** The user and token behind a presented token, or null (malformed, unknown, wrong, revoked). */
export async function verifyApiToken(
  db: Database,
  presented: string,
): Promise<{ tokenId: string; userId: string } | null> {
  const match = TOKEN.exec(presented);
  if (!match) return null;
  const [, id, secret] = match as unknown as [string, string, string];
  const row = await db.prisma.apiToken.findUnique({
    where: { id },
    select: { userId: true, secretHash: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt) return null;
  const stored = Buffer.from(row.secretHash, 'hex');
  const given = sha256(secret);
  if (stored.length !== given.length || !timingSafeEqual(stored, given)) return null;
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
    await db.prisma.apiToken.update({ where: { id }, data: { lastUsedAt: new Date() } });
  }
  return { tokenId: id, userId: row.userId };
}
