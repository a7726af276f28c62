import type { Database } from '@debrief/db';

export const DEFAULT_WORKSPACE_NAME = 'Default';

/** The workspace with this name, created if missing. */
export async function ensureWorkspace(db: Database, name: string): Promise<string> {
  const workspace = await db.prisma.workspace.upsert({
    where: { name },
    update: {},
    create: { name },
    select: { id: true },
  });
  return workspace.id;
}

/** Briefings always belong to a workspace; until accounts exist everyone shares this one. */
export const ensureDefaultWorkspace = (db: Database): Promise<string> => ensureWorkspace(db, DEFAULT_WORKSPACE_NAME);
