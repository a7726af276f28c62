import type { Database } from '@debrief/db';
import { type CslItem, type CslPatch, mergeMetadata, type Reliability, sourceTitle } from '@debrief/sources';
import type { RequestContext } from '../context/requestContext.ts';
import { type SourceRow, sourceFinder, sourceNotFound } from './sourceFinder.ts';

/**
 * Corrects a source's metadata (a field set to null is removed) and grades its reliability (A–F,
 * null: not judged); its text never changes. The grade is mirrored into every citation of the
 * source in the same transaction, so citations never disagree with their source.
 */
export async function sourceEditor(
  db: Database,
  ctx: RequestContext,
  input: { id: string; metadata?: CslPatch | undefined; reliability?: Reliability | null | undefined },
): Promise<SourceRow> {
  const current = await db.prisma.source.findFirst({
    where: { id: input.id, workspaceId: ctx.workspaceId },
    select: { csl: true, fileName: true },
  });
  if (!current) throw sourceNotFound();
  const csl = mergeMetadata(current.csl as CslItem, input.metadata);
  const reliability = input.reliability;
  await db.prisma.$transaction([
    db.prisma.source.update({
      where: { id: input.id },
      data: {
        csl: csl as object,
        title: sourceTitle(csl, current.fileName),
        ...(reliability !== undefined ? { reliability } : {}),
      },
    }),
    ...(reliability !== undefined
      ? [db.prisma.citation.updateMany({ where: { sourceId: input.id }, data: { reliability } })]
      : []),
  ]);
  return sourceFinder(db, ctx, input.id);
}
