import type { ExcerptStatus } from '@debrief/briefing';
import type { Database } from '@debrief/db';
import { admiraltyGrade, type Reliability } from '@debrief/sources';
import type { DocumentRegistry } from '../collab/DocumentRegistry.ts';
import type { RequestContext } from '../context/requestContext.ts';
import type { Projection } from '../extensions/Projection.ts';
import { briefingFinder } from './briefingFinder.ts';
import { sourceFinder } from './sourceFinder.ts';

/**
 * Every excerpt of a briefing in reading order, with its citation number and anchor status, as the
 * Citation mirror holds them; an open briefing's pending refresh runs first, so the answer reflects
 * the latest durable edit.
 */
export async function briefingCitationLister(
  deps: { db: Database; registry: DocumentRegistry; projections: { citations: Projection } },
  ctx: RequestContext,
  briefingId: string,
) {
  await briefingFinder(deps.db, ctx, briefingId);
  await deps.registry.ifLoaded(briefingId, (document) => deps.projections.citations.flush(document));
  const rows = await deps.db.prisma.citation.findMany({
    where: { briefingId },
    orderBy: { ordinal: 'asc' },
    include: { source: { select: { title: true } } },
  });
  return rows.map(({ source, id: _id, briefingId: _b, originalSha256: _o, createdAt: _c, updatedAt: _u, ...row }) => ({
    ...row,
    status: row.status as ExcerptStatus,
    reliability: row.reliability as Reliability | null,
    grade: admiraltyGrade(row.reliability as Reliability | null, row.credibility),
    sourceTitle: source.title,
  }));
}

/** Which briefings cite a source, and where. */
export async function sourceCitationLister(db: Database, ctx: RequestContext, sourceId: string) {
  await sourceFinder(db, ctx, sourceId);
  const rows = await db.prisma.citation.findMany({
    where: { sourceId, briefing: { workspaceId: ctx.workspaceId } },
    orderBy: [{ briefingId: 'asc' }, { ordinal: 'asc' }],
    include: { briefing: { select: { title: true } } },
  });
  return rows.map((row) => ({
    briefingId: row.briefingId,
    briefingTitle: row.briefing.title,
    excerptId: row.excerptId,
    sectionId: row.sectionId,
    number: row.number,
    exact: row.exact,
    start: row.start,
    end: row.end,
    status: row.status as ExcerptStatus,
    credibility: row.credibility,
  }));
}
