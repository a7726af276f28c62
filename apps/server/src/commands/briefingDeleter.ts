import { CloseCode } from '@debrief/briefing';
import type { Database } from '@debrief/db';
import type { DocumentRegistry } from '../collab/DocumentRegistry.ts';
import { AppError } from '../errors.ts';

/** Deletes a briefing with its log and snapshots; open editors are told it is gone (4404). */
export async function briefingDeleter(db: Database, registry: DocumentRegistry, briefingId: string): Promise<void> {
  await registry.evict(briefingId, CloseCode.NotFound, 'briefing_deleted');
  const { count } = await db.prisma.briefing.deleteMany({ where: { id: briefingId } });
  if (count === 0) throw new AppError('briefing_not_found', 'No briefing with this id.');
}
