import type { Database } from '@debrief/db';
import type { RequestContext } from '../context/requestContext.ts';
import { AppError } from '../errors.ts';
import { recordAudit } from './auditRecorder.ts';
import { sourceFinder } from './sourceFinder.ts';

/** Deletes a source that no briefing cites; a cited one is refused with the count. */
export async function sourceDeleter(db: Database, ctx: RequestContext, id: string): Promise<void> {
  const { citationCount, title } = await sourceFinder(db, ctx, id);
  if (citationCount > 0) {
    throw new AppError('source_cited', `This source is cited ${citationCount} time(s); remove those excerpts first.`, {
      citationCount,
    });
  }
  await db.prisma.source.delete({ where: { id } });
  await recordAudit(db, {
    action: 'source.deleted',
    workspaceId: ctx.workspaceId,
    actorId: ctx.actor.userId,
    targetType: 'source',
    targetId: id,
    details: { title },
    ip: ctx.ip,
  });
}
