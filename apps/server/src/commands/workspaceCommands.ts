import type { Database } from '@debrief/db';
import { DomainError } from '@debrief/errors';
import { type Actor, isRole, type Role } from '@debrief/policy';
import type { RequestContext } from '../context/requestContext.ts';
import { recordAudit } from './auditRecorder.ts';
import { inWorkspace, type LiveAccess } from './liveAccess.ts';

export interface WorkspaceRow {
  id: string;
  name: string;
  createdAt: Date;
  archivedAt: Date | null;
  /** The actor's role there; null for an instance admin looking at a workspace they are not in. */
  role: Role | null;
  memberCount: number;
}

const nameTaken = (name: string) =>
  new DomainError('workspace_name_taken', 409, `A workspace is already named “${name}”.`);
export const workspaceNotFound = () => new DomainError('workspace_not_found', 404, 'No workspace with this id.');

/** The workspaces the actor belongs to, oldest membership first; an instance admin sees every one. */
export async function workspaceLister(db: Database, actor: Actor): Promise<WorkspaceRow[]> {
  const rows = await db.prisma.workspace.findMany({
    where: actor.instanceAdmin ? {} : { memberships: { some: { userId: actor.userId } } },
    orderBy: { createdAt: 'asc' },
    select: {
      id: true,
      name: true,
      createdAt: true,
      archivedAt: true,
      _count: { select: { memberships: true } },
      memberships: { where: { userId: actor.userId }, select: { role: true } },
    },
  });
  return rows.map(({ _count, memberships, ...row }) => {
    const role = memberships[0]?.role;
    return { ...row, role: isRole(role) ? role : null, memberCount: _count.memberships };
  });
}

/** A new workspace, with the instance admin who made it as its admin. */
export async function workspaceCreator(db: Database, actor: Actor, input: { name: string }, ip: string | null) {
  const name = input.name.trim();
  if (await db.prisma.workspace.findUnique({ where: { name }, select: { id: true } })) throw nameTaken(name);
  const workspace = await db.prisma.workspace.create({
    data: { name, memberships: { create: { userId: actor.userId, role: 'admin' } } },
    select: { id: true },
  });
  await recordAudit(db, {
    action: 'workspace.created',
    workspaceId: workspace.id,
    actorId: actor.userId,
    details: { name },
    ip,
  });
  return workspace.id;
}

export async function workspaceRenamer(db: Database, ctx: RequestContext, input: { name: string }) {
  const name = input.name.trim();
  const other = await db.prisma.workspace.findUnique({ where: { name }, select: { id: true } });
  if (other && other.id !== ctx.workspaceId) throw nameTaken(name);
  const before = await db.prisma.workspace.update({ where: { id: ctx.workspaceId }, data: { name } });
  await recordAudit(db, {
    action: 'workspace.renamed',
    workspaceId: ctx.workspaceId,
    actorId: ctx.actor.userId,
    details: { name: before.name },
    ip: ctx.ip,
  });
}

/** Archives (read only for everyone, hidden from the switcher) or brings back a workspace. */
export async function workspaceArchiver(
  deps: { db: Database; live: LiveAccess },
  ctx: RequestContext,
  input: { archived: boolean },
) {
  await deps.db.prisma.workspace.update({
    where: { id: ctx.workspaceId },
    data: { archivedAt: input.archived ? new Date() : null },
  });
  await recordAudit(deps.db, {
    action: input.archived ? 'workspace.archived' : 'workspace.unarchived',
    workspaceId: ctx.workspaceId,
    actorId: ctx.actor.userId,
    ip: ctx.ip,
  });
  await deps.live.reauthorise(inWorkspace(ctx.workspaceId));
}

/** The workspace named by `id`, if it exists (what the request context authorises against). */
export async function workspaceExists(db: Database, id: string): Promise<string | null> {
  return (await db.prisma.workspace.count({ where: { id } })) > 0 ? id : null;
}
