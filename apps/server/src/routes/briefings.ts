import { MAX_TITLE_LENGTH } from '@debrief/briefing';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { briefingCreator } from '../commands/briefingCreator.ts';
import { briefingDeleter } from '../commands/briefingDeleter.ts';
import { briefingRenamer } from '../commands/briefingRenamer.ts';
import { AppError } from '../errors.ts';
import type { AppDeps } from './deps.ts';
import { errorResponses, IdParam, json, jsonBody, validationHook } from './openapi.ts';

const BriefingSummary = z
  .object({
    id: z.string().uuid(),
    title: z.string(),
    status: z.string(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('BriefingSummary');

const TitleBody = z
  .object({ title: z.string().trim().min(1).max(MAX_TITLE_LENGTH).openapi({ example: 'Webex intercept lessons' }) })
  .openapi('BriefingTitle');

const listBriefings = createRoute({
  method: 'get',
  path: '/briefings',
  tags: ['briefings'],
  summary: 'List briefings, most recently changed first',
  responses: { 200: json(z.object({ briefings: z.array(BriefingSummary) }), 'The briefings') },
});

const createBriefing = createRoute({
  method: 'post',
  path: '/briefings',
  tags: ['briefings'],
  summary: 'Create a briefing with the default lessons-learned sections',
  request: { body: jsonBody(TitleBody) },
  responses: {
    201: json(z.object({ id: z.string().uuid() }), 'Created'),
    ...errorResponses(400),
  },
});

const getBriefing = createRoute({
  method: 'get',
  path: '/briefings/{id}',
  tags: ['briefings'],
  summary: 'One briefing',
  request: { params: IdParam },
  responses: { 200: json(BriefingSummary, 'The briefing'), ...errorResponses(404) },
});

const renameBriefing = createRoute({
  method: 'patch',
  path: '/briefings/{id}',
  tags: ['briefings'],
  summary: 'Rename a briefing (open editors see the new title live)',
  request: { params: IdParam, body: jsonBody(TitleBody) },
  responses: {
    200: json(BriefingSummary, 'The renamed briefing'),
    ...errorResponses(400, 404),
  },
});

const deleteBriefing = createRoute({
  method: 'delete',
  path: '/briefings/{id}',
  tags: ['briefings'],
  summary: 'Delete a briefing with its history (open editors are disconnected)',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(404) },
});

const summarySelect = { id: true, title: true, status: true, createdAt: true, updatedAt: true } as const;
type SummaryRow = { id: string; title: string; status: string; createdAt: Date; updatedAt: Date };
const toSummary = (row: SummaryRow) => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export function briefingRoutes({ db, registry, projections, defaultWorkspaceId }: AppDeps) {
  const findSummary = async (id: string) => {
    const row = await db.prisma.briefing.findUnique({ where: { id }, select: summarySelect });
    if (!row) throw new AppError('briefing_not_found', 'No briefing with this id.');
    return toSummary(row);
  };

  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(listBriefings, async (c) => {
      const rows = await db.prisma.briefing.findMany({
        where: { workspaceId: defaultWorkspaceId },
        orderBy: { updatedAt: 'desc' },
        select: summarySelect,
      });
      return c.json({ briefings: rows.map(toSummary) }, 200);
    })
    .openapi(createBriefing, async (c) => {
      const { title } = c.req.valid('json');
      const id = await briefingCreator(db, { workspaceId: defaultWorkspaceId, title });
      return c.json({ id }, 201);
    })
    .openapi(getBriefing, async (c) => c.json(await findSummary(c.req.valid('param').id), 200))
    .openapi(renameBriefing, async (c) => {
      const { id } = c.req.valid('param');
      await briefingRenamer(registry, projections.briefingRow, id, c.req.valid('json').title);
      return c.json(await findSummary(id), 200);
    })
    .openapi(deleteBriefing, async (c) => {
      await briefingDeleter(db, registry, c.req.valid('param').id);
      return c.body(null, 204);
    });
}
