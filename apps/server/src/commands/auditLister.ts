import type { Database } from '@debrief/db';
import { OPERATOR_NAME, OPERATOR_USER_ID } from '../context/operatorActor.ts';
import type { RequestContext } from '../context/requestContext.ts';

export interface AuditFilter {
  action?: string | undefined;
  actorId?: string | undefined;
  /** Events strictly older than this id (the next page). */
  before?: bigint | undefined;
  limit: number;
}

/** Who acted, when no account has the id: the command line, or an account deleted since. */
const otherActor = (id: string) => ({ id, name: id === OPERATOR_USER_ID ? OPERATOR_NAME : '(deleted)', email: '' });

/**
 * The audit log of the context's workspace, newest first: its own events, and the sign-ins of
 * its members (events of no workspace).
 */
export async function auditLister(db: Database, ctx: RequestContext, filter: AuditFilter) {
  const members = await db.prisma.membership.findMany({
    where: { workspaceId: ctx.workspaceId },
    select: { userId: true, user: { select: { email: true } } },
  });
  const rows = await db.prisma.auditEvent.findMany({
    where: {
      OR: [
        { workspaceId: ctx.workspaceId },
        // Events of no workspace: the members' sign-ins, and failed attempts at their addresses.
        { workspaceId: null, actorId: { in: members.map((m) => m.userId) } },
        { workspaceId: null, actorId: null, actorEmail: { in: members.map((m) => m.user.email) } },
      ],
      // An exact action, or a family of them by its prefix (`member.`).
      ...(filter.action ? { action: { startsWith: filter.action } } : {}),
      ...(filter.actorId ? { actorId: filter.actorId } : {}),
      ...(filter.before ? { id: { lt: filter.before } } : {}),
    },
    orderBy: { id: 'desc' },
    take: filter.limit,
  });
  const actorIds = [...new Set(rows.map((r) => r.actorId).filter((id): id is string => id !== null))];
  const actors = new Map(
    (
      await db.prisma.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true, email: true } })
    ).map((u) => [u.id, u]),
  );
  return rows.map((row) => ({
    id: row.id.toString(),
    action: row.action,
    at: row.createdAt,
    actor: row.actorId ? (actors.get(row.actorId) ?? otherActor(row.actorId)) : null,
    actorEmail: row.actorEmail,
    targetType: row.targetType,
    targetId: row.targetId,
    details: row.details as Record<string, unknown>,
    ip: row.ip,
  }));
}
