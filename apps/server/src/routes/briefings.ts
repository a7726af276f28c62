import { MAX_TITLE_LENGTH } from '@debrief/briefing';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { briefingCreator } from '../commands/briefingCreator.ts';
import { briefingDeleter } from '../commands/briefingDeleter.ts';
import { type BriefingRow, briefingFinder, briefingLister } from '../commands/briefingFinder.ts';
import { briefingRenamer } from '../commands/briefingRenamer.ts';
import type { AppEnv } from '../context/requestContext.ts';
import type { AppDeps } from './deps.ts';
import { routeGuards } from './guards.ts';
import { errorResponses, guardedRoute, IdParam, json, jsonBody, validationHook } from './openapi.ts';

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

const toSummary = (row: BriefingRow) => ({
  ...row,
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

export function briefingRoutes(deps: AppDeps) {
  const { inWorkspace, onBriefing } = routeGuards(deps);
  const { db } = deps;

  const listBriefings = guardedRoute(inWorkspace('briefing.read'), {
    method: 'get',
    path: '/briefings',
    tags: ['briefings'],
    summary: 'List briefings, most recently changed first',
    responses: { 200: json(z.object({ briefings: z.array(BriefingSummary) }), 'The briefings') },
  });
  const createBriefing = guardedRoute(inWorkspace('briefing.create'), {
    method: 'post',
    path: '/briefings',
    tags: ['briefings'],
    summary: 'Create a briefing with the default lessons-learned sections',
    request: { body: jsonBody(TitleBody) },
    responses: { 201: json(z.object({ id: z.string().uuid() }), 'Created'), ...errorResponses(400) },
  });
  const getBriefing = guardedRoute(onBriefing('briefing.read'), {
    method: 'get',
    path: '/briefings/{id}',
    tags: ['briefings'],
    summary: 'One briefing',
    request: { params: IdParam },
    responses: { 200: json(BriefingSummary, 'The briefing'), ...errorResponses(404) },
  });
  const renameBriefing = guardedRoute(onBriefing('briefing.edit'), {
    method: 'patch',
    path: '/briefings/{id}',
    tags: ['briefings'],
    summary: 'Rename a briefing (open editors see the new title live)',
    request: { params: IdParam, body: jsonBody(TitleBody) },
    responses: { 200: json(BriefingSummary, 'The renamed briefing'), ...errorResponses(400, 404) },
  });
  const deleteBriefing = guardedRoute(onBriefing('briefing.delete'), {
    method: 'delete',
    path: '/briefings/{id}',
    tags: ['briefings'],
    summary: 'Delete a briefing with its history (open editors are disconnected)',
    request: { params: IdParam },
    responses: { 204: { description: 'Deleted' }, ...errorResponses(404) },
  });

  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(listBriefings, async (c) =>
      c.json({ briefings: (await briefingLister(db, c.var.ctx)).map(toSummary) }, 200),
    )
    .openapi(createBriefing, async (c) =>
      c.json({ id: await briefingCreator(db, c.var.ctx, c.req.valid('json')) }, 201),
    )
    .openapi(getBriefing, async (c) =>
      c.json(toSummary(await briefingFinder(db, c.var.ctx, c.req.valid('param').id)), 200),
    )
    .openapi(renameBriefing, async (c) => {
      const input = { id: c.req.valid('param').id, title: c.req.valid('json').title };
      return c.json(toSummary(await briefingRenamer(deps, c.var.ctx, input)), 200);
    })
    .openapi(deleteBriefing, async (c) => {
      await briefingDeleter(deps, c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    });
}
