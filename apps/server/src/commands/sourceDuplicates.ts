import type { Database } from '@debrief/db';

export interface Duplicate {
  sourceId: string;
  title: string;
}

/**
 * The one rule for "this content is already in the library": a source of the workspace with the
 * same raw original, or with the same text (after cleaning). Preview asks with every text the
 * import could save; import asks with the text it is about to save.
 */
export async function findDuplicateSource(
  db: Database,
  workspaceId: string,
  content: { rawSha256: string; textSha256: string[] },
): Promise<Duplicate | null> {
  const found = await db.prisma.source.findFirst({
    where: { workspaceId, OR: [{ rawSha256: content.rawSha256 }, { textSha256: { in: content.textSha256 } }] },
    orderBy: { createdAt: 'asc' },
    select: { id: true, title: true },
  });
  return found ? { sourceId: found.id, title: found.title } : null;
}
