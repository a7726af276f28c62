import { setTitle } from '@debrief/briefing';
import type { Database } from '@debrief/db';
import type { DocumentRegistry } from '../collab/DocumentRegistry.ts';
import type { RequestContext } from '../context/requestContext.ts';
import type { Projection } from '../extensions/Projection.ts';
import { type BriefingRow, briefingFinder, briefingNotFound } from './briefingFinder.ts';

/**
 * Renames a briefing through its document (the source of truth), so open editors see the new
 * title live; the Briefing row follows through the projection, flushed before answering.
 */
export async function briefingRenamer(
  deps: { db: Database; registry: DocumentRegistry; projections: { briefingRow: Projection } },
  ctx: RequestContext,
  input: { id: string; title: string },
): Promise<BriefingRow> {
  await briefingFinder(deps.db, ctx, input.id);
  const done = await deps.registry.use(input.id, async (document) => {
    document.doc.transact(() => setTitle(document.doc, input.title), 'api');
    await deps.projections.briefingRow.flush(document);
    return true;
  });
  if (!done) throw briefingNotFound();
  return briefingFinder(deps.db, ctx, input.id);
}
