import type { Database } from '@debrief/db';
import type { RequestContext } from '../context/requestContext.ts';
import { type BriefingRow, briefingFinder } from './briefingFinder.ts';

/** Archives a briefing (hidden from the list, kept whole, still readable) or brings it back. */
export async function briefingArchiver(
  db: Database,
  ctx: RequestContext,
  input: { id: string; archived: boolean },
): Promise<BriefingRow> {
  const row = await briefingFinder(db, ctx, input.id);
  if ((row.archivedAt !== null) === input.archived) return row;
  await db.prisma.briefing.updateMany({
    where: { id: input.id, workspaceId: ctx.workspaceId },
    data: { archivedAt: input.archived ? new Date() : null, updatedAt: row.updatedAt },
  });
  return briefingFinder(db, ctx, input.id);
}
