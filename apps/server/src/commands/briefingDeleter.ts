import { CloseCode } from '@debrief/briefing';
import type { Database } from '@debrief/db';
import type { DocumentRegistry } from '../collab/DocumentRegistry.ts';
import type { RequestContext } from '../context/requestContext.ts';
import { recordAudit } from './auditRecorder.ts';
import { briefingFinder, briefingNotFound } from './briefingFinder.ts';

/** Deletes a briefing with its log and snapshots; open editors are told it is gone (4404). */
export async function briefingDeleter(
  deps: { db: Database; registry: DocumentRegistry },
  ctx: RequestContext,
  id: string,
): Promise<void> {
  const { title } = await briefingFinder(deps.db, ctx, id);
  await deps.registry.evict(id, CloseCode.NotFound, 'briefing_deleted');
  const { count } = await deps.db.prisma.briefing.deleteMany({ where: { id, workspaceId: ctx.workspaceId } });
  if (count === 0) throw briefingNotFound();
  await recordAudit(deps.db, {
    action: 'briefing.deleted',
    workspaceId: ctx.workspaceId,
    actorId: ctx.actor.userId,
    targetType: 'briefing',
    targetId: id,
    details: { title },
    ip: ctx.ip,
  });
}
