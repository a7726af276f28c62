import { initBriefing, normaliseTitle, type TemplateId } from '@debrief/briefing';
import { bytes, type Database } from '@debrief/db';
import * as Y from 'yjs';
import type { RequestContext } from '../context/requestContext.ts';

/**
 * Creates a briefing in the context's workspace with its initial document (title and the
 * template's structure), in one transaction. The server writes the initial content so that
 * clients never each insert their own.
 */
export async function briefingCreator(
  db: Database,
  ctx: RequestContext,
  input: { title: string; template?: TemplateId | undefined },
): Promise<string> {
  const title = normaliseTitle(input.title);
  const doc = new Y.Doc();
  initBriefing(doc, { title, ...(input.template ? { template: input.template } : {}) });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  const briefing = await db.prisma.briefing.create({
    data: {
      workspaceId: ctx.workspaceId,
      title,
      searchText: title,
      snapshots: { create: { state: bytes(state), upToSeq: 0n } },
    },
    select: { id: true },
  });
  return briefing.id;
}
