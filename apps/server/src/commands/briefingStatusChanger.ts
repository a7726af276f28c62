import { type BriefingStatus, getStatus, setStatus } from '@debrief/briefing';
import type { Database } from '@debrief/db';
import { DomainError } from '@debrief/errors';
import { can } from '@debrief/policy';
import type { DocumentRegistry } from '../collab/DocumentRegistry.ts';
import type { RequestContext } from '../context/requestContext.ts';
import type { Projection } from '../extensions/Projection.ts';
import { type BriefingRow, briefingFinder, briefingNotFound } from './briefingFinder.ts';

/**
 * Moves a briefing through draft → in review → final, through its document, so everyone who has
 * it open sees the change live (and a final briefing locks for editors at once). Editors move
 * between draft and in review; finalising and reopening a final briefing takes a lead.
 */
export async function briefingStatusChanger(
  deps: { db: Database; registry: DocumentRegistry; projections: { briefingRow: Projection } },
  ctx: RequestContext,
  input: { id: string; status: BriefingStatus },
): Promise<BriefingRow> {
  await briefingFinder(deps.db, ctx, input.id);
  const done = await deps.registry.use(input.id, async (document) => {
    const current = getStatus(document.doc);
    if (current === input.status) return true;
    if ((input.status === 'final' || current === 'final') && !can(ctx.actor, 'briefing.finalise', document.resource)) {
      throw new DomainError(
        'forbidden',
        403,
        current === 'final' ? 'Only a lead can reopen a final briefing.' : 'Only a lead can make a briefing final.',
        { action: 'briefing.finalise' },
      );
    }
    document.doc.transact(() => setStatus(document.doc, input.status), 'api');
    await deps.projections.briefingRow.flush(document);
    return true;
  });
  if (!done) throw briefingNotFound();
  return briefingFinder(deps.db, ctx, input.id);
}
