import type { Database } from '@debrief/db';
import type { RequestContext } from '../context/requestContext.ts';
import { AppError } from '../errors.ts';

export interface BriefingRow {
  id: string;
  title: string;
  status: string;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface BriefingMatch extends BriefingRow {
  /** Where the search matched in the briefing's text, with some context; null for a title match. */
  snippet: string | null;
}

const select = { id: true, title: true, status: true, archivedAt: true, createdAt: true, updatedAt: true } as const;

export const briefingNotFound = () => new AppError('briefing_not_found', 'No briefing with this id.');

/** Characters of context on each side of a match in a search snippet. */
const SNIPPET_CONTEXT = 60;

/** The line (paragraph, heading, field) of `text` where `query` first occurs, cut around it. */
function snippetOf(text: string | null, query: string): string | null {
  if (!text) return null;
  const at = text.toLowerCase().indexOf(query.toLowerCase());
  if (at < 0) return null;
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at);
  const from = Math.max(lineStart, at - SNIPPET_CONTEXT);
  const to = Math.min(lineEnd, at + query.length + SNIPPET_CONTEXT);
  return `${from > lineStart ? '…' : ''}${text.slice(from, to).trim()}${to < lineEnd ? '…' : ''}`;
}

/**
 * The briefings of the context's workspace, most recently changed first: archived ones only when
 * asked, and, with a query, those whose title or text contains it (any letter case).
 */
export async function briefingLister(
  db: Database,
  ctx: RequestContext,
  filter: { query?: string | undefined; archived?: boolean | undefined } = {},
): Promise<BriefingMatch[]> {
  const query = filter.query?.trim();
  const rows = await db.prisma.briefing.findMany({
    where: {
      workspaceId: ctx.workspaceId,
      archivedAt: filter.archived ? { not: null } : null,
      ...(query
        ? {
            OR: [
              { title: { contains: query, mode: 'insensitive' as const } },
              { searchText: { contains: query, mode: 'insensitive' as const } },
            ],
          }
        : {}),
    },
    orderBy: { updatedAt: 'desc' },
    select: { ...select, searchText: Boolean(query) },
  });
  return rows.map(({ searchText, ...row }) => ({
    ...row,
    snippet:
      query && !row.title.toLowerCase().includes(query.toLowerCase()) ? snippetOf(searchText ?? null, query) : null,
  }));
}

/** One briefing of the context's workspace; one of another workspace is as missing as no briefing. */
export async function briefingFinder(db: Database, ctx: RequestContext, id: string): Promise<BriefingRow> {
  const row = await db.prisma.briefing.findFirst({ where: { id, workspaceId: ctx.workspaceId }, select });
  if (!row) throw briefingNotFound();
  return row;
}

/** The workspace a briefing belongs to (what the request context authorises against). */
export async function briefingWorkspace(db: Database, id: string): Promise<string | null> {
  const row = await db.prisma.briefing.findUnique({ where: { id }, select: { workspaceId: true } });
  return row?.workspaceId ?? null;
}

/** A briefing's status as its row mirrors it (what export's policy depends on). */
export async function briefingStatus(db: Database, id: string): Promise<string | null> {
  const row = await db.prisma.briefing.findUnique({ where: { id }, select: { status: true } });
  return row?.status ?? null;
}
