import { briefingPlainText, getStatus, getTitle } from '@debrief/briefing';
import type { Database } from '@debrief/db';
import type { SharedDocument } from '../collab/SharedDocument.ts';

/**
 * Derives the Briefing row's columns from its document, the source of truth: the title and status
 * the list shows, and the plain text the list's search reads.
 */
export function briefingProjector(db: Database) {
  return async (document: SharedDocument): Promise<void> => {
    const title = getTitle(document.doc);
    await db.prisma.briefing.updateMany({
      where: { id: document.briefingId },
      data: {
        ...(title ? { title } : {}),
        status: getStatus(document.doc),
        searchText: briefingPlainText(document.doc),
        updatedAt: new Date(),
      },
    });
  };
}
