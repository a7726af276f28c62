import { getTitle } from '@debrief/briefing';
import type { Database } from '@debrief/db';
import type { SharedDocument } from '../collab/SharedDocument.ts';

/** Derives the Briefing row's columns from its document: the doc is the source of truth. */
export function briefingProjector(db: Database) {
  return async (document: SharedDocument): Promise<void> => {
    const title = getTitle(document.doc);
    await db.prisma.briefing.updateMany({
      where: { id: document.briefingId },
      data: { ...(title ? { title } : {}), updatedAt: new Date() },
    });
  };
}
