import type { Database } from '@debrief/db';
import { type Actor, actorFrom } from '@debrief/policy';

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
  const memberships = user.memberships.map((m) => ({
    workspaceId: m.workspaceId,
    role: m.role,
    archived: m.workspace.archivedAt !== null,
  }));
  const actor = actorFrom(user, memberships);
  const current = memberships.find((m) => !m.archived && actor.roles.has(m.workspaceId));
  return { actor, workspaceId: current?.workspaceId ?? null };
}
