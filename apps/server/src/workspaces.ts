import type { Database } from '@debrief/db';

export const DEFAULT_WORKSPACE_NAME = 'Default';

/** Briefings always belong to a workspace; until accounts exist everyone shares this one. */
export async function ensureDefaultWorkspace(db: Database): Promise<string> {
  const workspace = await db.prisma.workspace.upsert({
    where: { name: DEFAULT_WORKSPACE_NAME },
    update: {},
    create: { name: DEFAULT_WORKSPACE_NAME },
    select: { id: true },
  });
  return workspace.id;
}
