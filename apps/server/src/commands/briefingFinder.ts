import type { Database } from '@debrief/db';
import type { RequestContext } from '../context/requestContext.ts';
import { AppError } from '../errors.ts';

export interface BriefingRow {
  id: string;
  title: string;
  status: string;
  createdAt: Date;
  updatedAt: Date;
}

const select = { id: true, title: true, status: true, createdAt: true, updatedAt: true } as const;

export const briefingNotFound = () => new AppError('briefing_not_found', 'No briefing with this id.');

/** The briefings of the context's workspace, most recently changed first. */
export function briefingLister(db: Database, ctx: RequestContext): Promise<BriefingRow[]> {
  return db.prisma.briefing.findMany({
    where: { workspaceId: ctx.workspaceId },
    orderBy: { updatedAt: 'desc' },
    select,
  });
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
