import type { CorroborationIndex } from '@debrief/sources/intake';
import type { RequestContext } from '../context/requestContext.ts';
import { briefingCitationLister } from './citationLister.ts';

type ListerDeps = Parameters<typeof briefingCitationLister>[0];

/** Sources whose text is read from the database at once, to index them. */
const BATCH = 50;

export interface CorroboratingSource {
  sourceId: string;
  title: string;
  /** Its citation number in this briefing, when the briefing cites it. */
  number: number | null;
  match: 'exact' | 'near';
  similarity: number;
  /** Where the passage is in that source's text. */
  start: number;
  end: number;
}

/**
 * For each excerpt of a briefing, the other sources of its workspace that hold the same passage,
 * exactly or nearly (CorroborationIndex): evidence that the information is confirmed by other
 * sources, which the author may grade as credibility 1. Sources are indexed once and kept indexed;
 * their texts never change after import.
 */
export async function briefingCorroborationFinder(
  deps: ListerDeps & { corroborations: CorroborationIndex },
  ctx: RequestContext,
  briefingId: string,
): Promise<Array<{ excerptId: string; sourceId: string; corroboratedBy: CorroboratingSource[] }>> {
  const citations = await briefingCitationLister(deps, ctx, briefingId);
  if (citations.length === 0) return [];
  const { db, corroborations } = deps;
  const sources = await db.prisma.source.findMany({
    where: { workspaceId: ctx.workspaceId },
    select: { id: true, title: true },
  });
  const missing = sources.filter((source) => !corroborations.has(source.id)).map((source) => source.id);
  for (let at = 0; at < missing.length; at += BATCH) {
    const rows = await db.prisma.source.findMany({
      where: { id: { in: missing.slice(at, at + BATCH) } },
      select: { id: true, text: true },
    });
    for (const row of rows) corroborations.add(row.id, row.text);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const titles = new Map(sources.map((source) => [source.id, source.title]));
  const numbers = new Map(citations.map((citation) => [citation.sourceId, citation.number]));
  const results = [];
  for (const citation of citations) {
    const others = sources.map((source) => source.id).filter((id) => id !== citation.sourceId);
    results.push({
      excerptId: citation.excerptId,
      sourceId: citation.sourceId,
      corroboratedBy: corroborations.find(citation.exact, others).map((found) => ({
        ...found,
        title: titles.get(found.sourceId) ?? '',
        number: numbers.get(found.sourceId) ?? null,
      })),
    });
    // One excerpt at a time, letting other requests in between: a long briefing over a large
    // library takes a while, and the server answers everyone else meanwhile.
    await new Promise((resolve) => setImmediate(resolve));
  }
  return results;
}
