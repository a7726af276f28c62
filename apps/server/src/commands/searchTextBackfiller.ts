import { briefingPlainText } from '@debrief/briefing';
import type { Database } from '@debrief/db';
import type { Logger } from 'pino';
import type { DocumentStore } from '../collab/DocumentStore.ts';
import { openStoredDocument } from '../collab/storedDocument.ts';

/**
 * Derives the search text of briefings stored before search existed (their `searchText` is null),
 * from their stored documents, read only: nothing is loaded for editing or migrated. Briefings that
 * are open get theirs from the briefing-row projection; one that cannot be read is left null and
 * logged. Answers how many it filled.
 */
export async function searchTextBackfiller(
  deps: { db: Database; store: DocumentStore; logger: Logger },
  limit = 500,
): Promise<number> {
  const rows = await deps.db.prisma.briefing.findMany({
    where: { searchText: null },
    select: { id: true },
    take: limit,
  });
  let filled = 0;
  for (const { id } of rows) {
    try {
      const stored = await deps.store.load(id);
      if (!stored) continue;
      const doc = openStoredDocument(id, stored);
      try {
        // Raw SQL: Prisma would bump `updatedAt`, and reading is no change to the briefing.
        await deps.db.query('UPDATE "Briefing" SET "searchText" = $2 WHERE "id" = $1 AND "searchText" IS NULL', [
          id,
          briefingPlainText(doc),
        ]);
        filled++;
      } finally {
        doc.destroy();
      }
    } catch (error) {
      deps.logger.warn({ err: error, briefingId: id }, 'could not derive the search text of a stored briefing');
    }
  }
  return filled;
}
