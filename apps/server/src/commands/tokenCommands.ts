import type { Database } from '@debrief/db';
import { DomainError } from '@debrief/errors';
import type { Actor } from '@debrief/policy';
import { issueApiToken } from '../auth/apiTokens.ts';
import { recordAudit } from './auditRecorder.ts';
import { type LiveAccess, ofUser } from './liveAccess.ts';

export interface TokenRow {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A personal API token of the actor's; its secret is in the answer, once, and nowhere else. */
export async function tokenCreator(db: Database, actor: Actor, input: { name: string }, ip: string | null) {
  const issued = await issueApiToken(db, actor.userId, input.name.trim());
  await recordAudit(db, {
    action: 'token.created',
    actorId: actor.userId,
    targetType: 'token',
    targetId: issued.id,
    details: { name: input.name.trim() },
    ip,
  });
  return issued;
}

export function tokenLister(db: Database, actor: Actor): Promise<TokenRow[]> {
  return db.prisma.apiToken.findMany({
    where: { userId: actor.userId },
    orderBy: { createdAt: 'desc' },
    select: { id: true, name: true, createdAt: true, lastUsedAt: true, revokedAt: true },
  });
}

/** Revokes one of the actor's tokens; connections opened with it are closed (4401) at once. */
export async function tokenRevoker(
  deps: { db: Database; live: LiveAccess },
  actor: Actor,
  id: string,
  ip: string | null,
) {
  const { count } = await deps.db.prisma.apiToken.updateMany({
    where: { id, userId: actor.userId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new DomainError('token_not_found', 404, 'No active token of yours with this id.');
  await recordAudit(deps.db, { action: 'token.revoked', actorId: actor.userId, targetType: 'token', targetId: id, ip });
  await deps.live.reauthorise(ofUser(actor.userId));
}
