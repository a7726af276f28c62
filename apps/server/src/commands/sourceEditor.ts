import type { Database } from '@debrief/db';
import { type CslItem, type CslPatch, mergeMetadata } from '@debrief/sources';
import type { RequestContext } from '../context/requestContext.ts';
import { type SourceRow, sourceFinder, sourceNotFound } from './sourceFinder.ts';
import { sourceTitle } from './sourceImporter.ts';

/** Corrects a source's metadata (a field set to null is removed); its text never changes. */
export async function sourceEditor(
  db: Database,
  ctx: RequestContext,
  input: { id: string; metadata: CslPatch },
): Promise<SourceRow> {
  const current = await db.prisma.source.findFirst({
    where: { id: input.id, workspaceId: ctx.workspaceId },
    select: { csl: true, text: true },
  });
  if (!current) throw sourceNotFound();
  const csl = mergeMetadata(current.csl as CslItem, input.metadata);
  await db.prisma.source.update({
    where: { id: input.id },
    data: { csl: csl as object, title: sourceTitle(csl, current.text) },
  });
  return sourceFinder(db, ctx, input.id);
}
