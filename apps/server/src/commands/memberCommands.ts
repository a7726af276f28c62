import type { Database } from '@debrief/db';
import { DomainError } from '@debrief/errors';
import { isRole, type Role } from '@debrief/policy';
import type { RequestContext } from '../context/requestContext.ts';
import { recordAudit } from './auditRecorder.ts';
import { type LiveAccess, ofUser } from './liveAccess.ts';

export interface MemberRow {
  userId: string;
  name: string;
  email: string;
  color: string;
  role: Role;
  joinedAt: Date;
}

const memberNotFound = () => new DomainError('member_not_found', 404, 'This person is not a member of the workspace.');
const lastAdmin = () =>
  new DomainError('last_admin', 409, 'A workspace needs an admin: make someone else admin first.');

export async function memberLister(db: Database, ctx: RequestContext): Promise<MemberRow[]> {
  const rows = await db.prisma.membership.findMany({
    where: { workspaceId: ctx.workspaceId },
    orderBy: { createdAt: 'asc' },
    select: { role: true, createdAt: true, user: { select: { id: true, name: true, email: true, color: true } } },
  });
  return rows.map(({ user, role, createdAt }) => ({
    userId: user.id,
    name: user.name,
    email: user.email,
    color: user.color,
    role: isRole(role) ? role : 'viewer',
    joinedAt: createdAt,
  }));
}

/** Refuses the change when it would leave the workspace without an admin. */
async function keepAnAdmin(db: Database, workspaceId: string, userId: string, newRole: Role | null) {
  const membership = await db.prisma.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } } });
  if (!membership) throw memberNotFound();
  if (membership.role !== 'admin' || newRole === 'admin') return membership;
  const admins = await db.prisma.membership.count({ where: { workspaceId, role: 'admin' } });
  if (admins <= 1) throw lastAdmin();
  return membership;
}

export async function memberRoleChanger(
  deps: { db: Database; live: LiveAccess },
  ctx: RequestContext,
  input: { userId: string; role: Role },
) {
  const before = await keepAnAdmin(deps.db, ctx.workspaceId, input.userId, input.role);
  await deps.db.prisma.membership.update({ where: { id: before.id }, data: { role: input.role } });
  await recordAudit(deps.db, {
    action: 'member.role_changed',
    workspaceId: ctx.workspaceId,
    actorId: ctx.actor.userId,
    targetType: 'user',
    targetId: input.userId,
    details: { from: before.role, to: input.role },
    ip: ctx.ip,
  });
  await deps.live.reauthorise(ofUser(input.userId));
}

/** Removes a member (or lets a member leave); their live connections are closed at once. */
export async function memberRemover(deps: { db: Database; live: LiveAccess }, ctx: RequestContext, userId: string) {
  const before = await keepAnAdmin(deps.db, ctx.workspaceId, userId, null);
  await deps.db.prisma.membership.delete({ where: { id: before.id } });
  await recordAudit(deps.db, {
    action: 'member.removed',
    workspaceId: ctx.workspaceId,
    actorId: ctx.actor.userId,
    targetType: 'user',
    targetId: userId,
    details: { role: before.role },
    ip: ctx.ip,
  });
  await deps.live.reauthorise(ofUser(userId));
}

/** Adds an existing account to a workspace (the CLI's `member add`), or changes its role. */
export async function memberAdder(
  deps: { db: Database; live: LiveAccess },
  ctx: RequestContext,
  input: { email: string; role: string },
) {
  if (!isRole(input.role))
    throw new DomainError('invalid_request', 400, `Unknown role ${input.role}: viewer, editor, lead or admin.`);
  const user = await deps.db.prisma.user.findUnique({ where: { email: input.email.trim().toLowerCase() } });
  if (!user) throw new DomainError('user_not_found', 404, `No account with the email ${input.email}.`);
  const existing = await deps.db.prisma.membership.findUnique({
    where: { workspaceId_userId: { workspaceId: ctx.workspaceId, userId: user.id } },
  });
  if (existing) return memberRoleChanger(deps, ctx, { userId: user.id, role: input.role });
  await deps.db.prisma.membership.create({ data: { workspaceId: ctx.workspaceId, userId: user.id, role: input.role } });
  await recordAudit(deps.db, {
    action: 'member.added',
    workspaceId: ctx.workspaceId,
    actorId: ctx.actor.userId,
    targetType: 'user',
    targetId: user.id,
    details: { role: input.role },
    ip: ctx.ip,
  });
}
