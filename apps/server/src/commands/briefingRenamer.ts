import { setTitle } from '@debrief/briefing';
import type { DocumentRegistry } from '../collab/DocumentRegistry.ts';
import { AppError } from '../errors.ts';
import type { Projection } from '../extensions/Projection.ts';

/**
 * Renames a briefing through its document (the source of truth), so open editors see the new
 * title live; the Briefing row follows through the projection, flushed before answering.
 */
export async function briefingRenamer(
  registry: DocumentRegistry,
  briefingRow: Projection,
  briefingId: string,
  title: string,
): Promise<void> {
  const done = await registry.use(briefingId, async (document) => {
    document.doc.transact(() => setTitle(document.doc, title), 'api');
    await briefingRow.flush(document);
    return true;
  });
  if (!done) throw new AppError('briefing_not_found', 'No briefing with this id.');
}
