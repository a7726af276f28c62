import { createHash, randomBytes } from 'node:crypto';
import type { Database } from '@debrief/db';
import { DomainError } from '@debrief/errors';
import { type Actor, isRole, type Role } from '@debrief/policy';
import type { Auth } from '../auth/auth.ts';
import type { RequestContext } from '../context/requestContext.ts';
import { recordAudit } from './auditRecorder.ts';
import { type LiveAccess, ofUser } from './liveAccess.ts';
import { type NewUser, userCreator } from './userCreator.ts';

/** How long an invitation link works. */
export const INVITATION_DAYS = 14;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
const invitationInvalid = () =>
  new DomainError('invitation_invalid', 404, 'This invitation link is not valid: it was used, revoked or has expired.');

export interface InvitationRow {
  id: string;
  role: Role;
  email: string | null;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
}

/**
 * An invitation to the context's workspace with a role. Answers the secret of its link once
 * (only its sha256 is kept): `/invite/<token>`. `send` mails it when SMTP is configured.
 */
export async function invitationCreator(
  deps: { db: Database; send?: ((to: string, token: string, workspaceName: string) => Promise<void>) | undefined },
  ctx: RequestContext,
  input: { role: Role; email?: string | undefined },
): Promise<{ id: string; token: string; emailed: boolean }> {
  const token = randomBytes(32).toString('base64url');
  const email = input.email?.trim().toLowerCase() || null;
  const invitation = await deps.db.prisma.invitation.create({
    data: {
      workspaceId: ctx.workspaceId,
      role: input.role,
      email,
      tokenHash: hashOf(token),
      createdById: ctx.actor.userId,
      expiresAt: new Date(Date.now() + INVITATION_DAYS * 24 * 3600_000),
    },
    select: { id: true, workspace: { select: { name: true } } },
  });
  let emailed = false;
  if (email && deps.send) {
    await deps.send(email, token, invitation.workspace.name);
    emailed = true;
  }
  await recordAudit(deps.db, {
    action: 'invitation.created',
    workspaceId: ctx.workspaceId,
    actorId: ctx.actor.userId,
    targetType: 'invitation',
    targetId: invitation.id,
    details: { role: input.role, email, emailed },
    ip: ctx.ip,
  });
  return { id: invitation.id, token, emailed };
}

export async function invitationLister(db: Database, ctx: RequestContext): Promise<InvitationRow[]> {
  const rows = await db.prisma.invitation.findMany({
    where: { workspaceId: ctx.workspaceId },
    orderBy: { createdAt: 'desc' },
    select: { id: true, role: true, email: true, createdAt: true, expiresAt: true, acceptedAt: true, revokedAt: true },
  });
  return rows.map((row) => ({ ...row, role: isRole(row.role) ? row.role : 'viewer' }));
}

export async function invitationRevoker(db: Database, ctx: RequestContext, id: string) {
  const { count } = await db.prisma.invitation.updateMany({
    where: { id, workspaceId: ctx.workspaceId, acceptedAt: null, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new DomainError('invitation_not_found', 404, 'No open invitation with this id.');
  await recordAudit(db, {
    action: 'invitation.revoked',
    workspaceId: ctx.workspaceId,
    actorId: ctx.actor.userId,
    targetType: 'invitation',
    targetId: id,
    ip: ctx.ip,
  });
}

async function openInvitation(db: Database, token: string) {
  const invitation = await db.prisma.invitation.findUnique({
    where: { tokenHash: hashOf(token) },
    include: { workspace: { select: { name: true, archivedAt: true } } },
  });
  if (
    !invitation ||
    invitation.acceptedAt ||
    invitation.revokedAt ||
    invitation.expiresAt < new Date() ||
    invitation.workspace.archivedAt ||
    !isRole(invitation.role)
  ) {
    throw invitationInvalid();
  }
  return { ...invitation, role: invitation.role as Role };
}

/** What the holder of a link is invited to (shown before they sign up or sign in). */
export async function invitationReader(db: Database, token: string) {
  const invitation = await openInvitation(db, token);
  return {
    workspaceName: invitation.workspace.name,
    role: invitation.role,
    email: invitation.email,
    expiresAt: invitation.expiresAt,
  };
}

/**
 * Accepts an invitation, as the signed-in actor or as a new account made with it (the one way
 * besides setup and the CLI that an account comes to exist). A member already keeps the higher
 * of their role and the invited one. Answers the user who joined.
 */
export async function invitationAccepter(
  deps: { db: Database; auth: Auth; live: LiveAccess },
  token: string,
  who: { actor: Actor } | { newUser: NewUser },
  ip: string | null,
): Promise<{ userId: string; workspaceId: string }> {
  const invitation = await openInvitation(deps.db, token);
  if ('newUser' in who && invitation.email && invitation.email !== who.newUser.email.trim().toLowerCase()) {
    throw new DomainError('invitation_email_mismatch', 403, `This invitation is for ${invitation.email}.`);
  }
  // Claim it first: two people racing with one link cannot both join.
  const { count } = await deps.db.prisma.invitation.updateMany({
    where: { id: invitation.id, acceptedAt: null, revokedAt: null },
    data: { acceptedAt: new Date() },
  });
  if (count === 0) throw invitationInvalid();
  const userId = 'actor' in who ? who.actor.userId : (await userCreator(deps, who.newUser, { ip })).id;
  await deps.db.prisma.invitation.update({ where: { id: invitation.id }, data: { acceptedById: userId } });
  const existing = await deps.db.prisma.membership.findUnique({
    where: { workspaceId_userId: { workspaceId: invitation.workspaceId, userId } },
  });
  const order = ['viewer', 'editor', 'lead', 'admin'];
  if (!existing) {
    await deps.db.prisma.membership.create({
      data: { workspaceId: invitation.workspaceId, userId, role: invitation.role },
    });
  } else if (order.indexOf(invitation.role) > order.indexOf(existing.role)) {
    await deps.db.prisma.membership.update({ where: { id: existing.id }, data: { role: invitation.role } });
  }
  await recordAudit(deps.db, {
    action: 'invitation.accepted',
    workspaceId: invitation.workspaceId,
    actorId: userId,
    targetType: 'invitation',
    targetId: invitation.id,
    details: { role: invitation.role },
    ip,
  });
  await deps.live.reauthorise(ofUser(userId));
  return { userId, workspaceId: invitation.workspaceId };
}
