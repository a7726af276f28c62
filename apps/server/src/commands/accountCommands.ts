import type { Database } from '@debrief/db';
import { DomainError } from '@debrief/errors';
import type { Actor } from '@debrief/policy';
import type { Auth } from '../auth/auth.ts';
import { recordAudit } from './auditRecorder.ts';
import { type LiveAccess, ofUser } from './liveAccess.ts';
import { workspaceLister } from './workspaceCommands.ts';

/** The signed-in user, their workspaces with their role in each, and the one they work in. */
export async function meReader(db: Database, actor: Actor) {
  const user = await db.prisma.user.findUniqueOrThrow({
    where: { id: actor.userId },
    select: { id: true, name: true, email: true, color: true, instanceAdmin: true },
  });
  const workspaces = await workspaceLister(db, actor);
  const current = workspaces.find((w) => w.role !== null && w.archivedAt === null);
  return { user, workspaces, workspaceId: current?.id ?? null };
}

/**
 * Changes the actor's password (the current one proves it is them). Every session ends; this one
 * goes on in a new session, whose cookies are in the answer.
 */
export async function passwordChanger(
  deps: { db: Database; auth: Auth; live: LiveAccess },
  actor: Actor,
  input: { currentPassword: string; newPassword: string; headers: Headers },
  ip: string | null,
): Promise<string[]> {
  let cookies: string[];
  try {
    const changed = await deps.auth.api.changePassword({
      body: { currentPassword: input.currentPassword, newPassword: input.newPassword, revokeOtherSessions: true },
      headers: input.headers,
      returnHeaders: true,
    });
    cookies = changed.headers.getSetCookie();
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 400 || status === 401)
      throw new DomainError('invalid_password', 400, 'The current password is not right.');
    throw error;
  }
  await recordAudit(deps.db, { action: 'user.password_changed', actorId: actor.userId, ip });
  await deps.live.reauthorise(ofUser(actor.userId));
  return cookies;
}

/** Ends every session of the actor, this one included; open editors are closed (4401). */
export async function sessionsRevoker(
  deps: { db: Database; auth: Auth; live: LiveAccess },
  actor: Actor,
  ip: string | null,
) {
  const context = await deps.auth.$context;
  await context.internalAdapter.deleteUserSessions(actor.userId);
  await recordAudit(deps.db, { action: 'user.signed_out_everywhere', actorId: actor.userId, ip });
  await deps.live.reauthorise(ofUser(actor.userId));
}
