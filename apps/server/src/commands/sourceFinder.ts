import type { Database } from '@debrief/db';
import type { CleaningProposal, CslItem, Reliability, SourceFormat } from '@debrief/sources';
import type { RequestContext } from '../context/requestContext.ts';
import { AppError } from '../errors.ts';

export interface SourceRow {
  id: string;
  title: string;
  format: SourceFormat;
  csl: CslItem;
  fileName: string | null;
  url: string | null;
  reliability: Reliability | null;
  citationCount: number;
  createdAt: Date;
}

export interface SourceDetailRow extends SourceRow {
  text: string;
  rawSha256: string;
  textSha256: string;
  cleaning: Array<CleaningProposal & { applied: boolean }>;
}

const summarySelect = {
  id: true,
  title: true,
  format: true,
  csl: true,
  fileName: true,
  url: true,
  reliability: true,
  createdAt: true,
  _count: { select: { citations: true } },
} as const;

type Selected = {
  format: string;
  csl: unknown;
  reliability: string | null;
  _count: { citations: number };
} & Omit<SourceRow, 'format' | 'csl' | 'reliability' | 'citationCount'>;

// The columns are written only by sourceImporter and sourceEditor, from validated values.
const toRow = ({ _count, format, csl, reliability, ...row }: Selected): SourceRow => ({
  ...row,
  format: format as SourceFormat,
  csl: csl as CslItem,
  reliability: reliability as Reliability | null,
  citationCount: _count.citations,
});

export const sourceNotFound = () => new AppError('source_not_found', 'No source with this id.');

/** The context's workspace's library, newest first. */
export async function sourceLister(db: Database, ctx: RequestContext): Promise<SourceRow[]> {
  const rows = await db.prisma.source.findMany({
    where: { workspaceId: ctx.workspaceId },
    orderBy: { createdAt: 'desc' },
    select: summarySelect,
  });
  return rows.map(toRow);
}

export async function sourceFinder(db: Database, ctx: RequestContext, id: string): Promise<SourceRow> {
  const row = await db.prisma.source.findFirst({ where: { id, workspaceId: ctx.workspaceId }, select: summarySelect });
  if (!row) throw sourceNotFound();
  return toRow(row);
}

/** One source with its normalised text (what excerpts quote), hashes and cleaning record. */
export async function sourceDetailFinder(db: Database, ctx: RequestContext, id: string): Promise<SourceDetailRow> {
  const row = await db.prisma.source.findFirst({
    where: { id, workspaceId: ctx.workspaceId },
    select: { ...summarySelect, text: true, rawSha256: true, textSha256: true, cleaning: true },
  });
  if (!row) throw sourceNotFound();
  const { text, rawSha256, textSha256, cleaning, ...summary } = row;
  return { ...toRow(summary), text, rawSha256, textSha256, cleaning: cleaning as SourceDetailRow['cleaning'] };
}

/** The original exactly as it was received: text, or the file of a PDF or Word document. */
export type SourceOriginal =
  | { kind: 'text'; text: string }
  | { kind: 'file'; format: SourceFormat; bytes: Uint8Array; fileName: string | null };

export async function sourceRawReader(db: Database, ctx: RequestContext, id: string): Promise<SourceOriginal> {
  const row = await db.prisma.source.findFirst({
    where: { id, workspaceId: ctx.workspaceId },
    select: { raw: true, original: true, format: true, fileName: true },
  });
  if (!row) throw sourceNotFound();
  if (row.original) {
    return { kind: 'file', format: row.format as SourceFormat, bytes: row.original, fileName: row.fileName };
  }
  return { kind: 'text', text: row.raw ?? '' };
}

/** The workspace a source belongs to (what the request context authorises against). */
export async function sourceWorkspace(db: Database, id: string): Promise<string | null> {
  const row = await db.prisma.source.findUnique({ where: { id }, select: { workspaceId: true } });
  return row?.workspaceId ?? null;
}
