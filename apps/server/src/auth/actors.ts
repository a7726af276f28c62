import type { Database } from '@debrief/db';
import { type Actor, isRole, type Role } from '@debrief/policy';

/**
 * A user as the policies see them, read fresh from the database: their role in each workspace
 * (in an archived workspace at most viewer: it is read only), and the workspace they work in
 * unless a request names another (their oldest membership of a workspace that is not archived).
 */
export async function actorOf(
  db: Database,
  userId: string,
): Promise<{ actor: Actor; workspaceId: string | null } | null> {
  const user = await db.prisma.user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      name: true,
      color: true,
      instanceAdmin: true,
      memberships: {
        orderBy: { createdAt: 'asc' },
        select: { workspaceId: true, role: true, workspace: { select: { archivedAt: true } } },
      },
    },
  });
  if (!user) return null;
  const roles = new Map<string, Role>();
  let workspaceId: string | null = null;
  for (const membership of user.memberships) {
    if (!isRole(membership.role)) continue;
    const archived = membership.workspace.archivedAt !== null;
    roles.set(membership.workspaceId, archived ? 'viewer' : membership.role);
    if (!archived) workspaceId ??= membership.workspaceId;
  }
  return {
    actor: { userId: user.id, name: user.name, color: user.color, instanceAdmin: user.instanceAdmin, roles },
    workspaceId,
  };
}
