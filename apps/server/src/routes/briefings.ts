import { BriefingStatusSchema, MAX_TITLE_LENGTH, TemplateIdSchema } from '@debrief/briefing';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { briefingArchiver } from '../commands/briefingArchiver.ts';
import { briefingCreator } from '../commands/briefingCreator.ts';
import { briefingDeleter } from '../commands/briefingDeleter.ts';
import { type BriefingRow, briefingFinder, briefingLister } from '../commands/briefingFinder.ts';
import { briefingRenamer } from '../commands/briefingRenamer.ts';
import { briefingStatusChanger } from '../commands/briefingStatusChanger.ts';
import type { AppEnv } from '../context/requestContext.ts';
import type { AppDeps } from './deps.ts';
import { routeGuards } from './guards.ts';
import { errorResponses, guardedRoute, IdParam, json, jsonBody, validationHook } from './openapi.ts';

const BriefingSummary = z
  .object({
    id: z.string().uuid(),
    title: z.string(),
    status: z.string(),
    archivedAt: z.string().datetime().nullable(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('BriefingSummary');

const BriefingListItem = BriefingSummary.extend({
  /** With a search: where the text matched, when the title did not. */
  snippet: z.string().nullable(),
}).openapi('BriefingListItem');

/** A title as people type it: what is wrong is said in words, with the limit and the length. */
const Title = z
  .string()
  .trim()
  .min(1, 'Give the briefing a title.')
  .max(MAX_TITLE_LENGTH, {
    error: (issue) =>
      `A title can be at most ${MAX_TITLE_LENGTH} characters; this one has ${String(issue.input ?? '').length}.`,
  })
  .openapi({ example: 'Webex intercept lessons' });

const TitleBody = z.object({ title: Title }).openapi('BriefingTitle');

const NewBriefing = z
  .object({
    title: Title,
    template: TemplateIdSchema.optional().openapi({
      description: 'lessons-learned (default), after-action-review or blank',
    }),
  })
  .openapi('NewBriefing');

const ListQuery = z.object({
  q: z.string().max(200).optional().openapi({ description: 'Only briefings whose title or text contains this' }),
  archived: z
    .enum(['true', 'false'])
    .optional()
    .openapi({ description: 'true: the archived briefings instead of the others' }),
  workspace: z.string().optional(),
});

const StatusBody = z.object({ status: BriefingStatusSchema }).openapi('BriefingStatus');
const ArchivedBody = z.object({ archived: z.boolean() }).openapi('BriefingArchived');

const toSummary = (row: BriefingRow) => ({
  id: row.id,
  title: row.title,
  status: row.status,
  archivedAt: row.archivedAt?.toISOString() ?? null,
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
    summary: 'List briefings, most recently changed first; search titles and text with ?q=',
    request: { query: ListQuery },
    responses: {
      200: json(z.object({ briefings: z.array(BriefingListItem) }), 'The briefings'),
      ...errorResponses(400),
    },
  });
  const createBriefing = guardedRoute(inWorkspace('briefing.create'), {
    method: 'post',
    path: '/briefings',
    tags: ['briefings'],
    summary: 'Create a briefing from a template (lessons-learned unless another is named)',
    request: { body: jsonBody(NewBriefing) },
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
  const setStatus = guardedRoute(onBriefing('briefing.edit'), {
    method: 'put',
    path: '/briefings/{id}/status',
    tags: ['briefings'],
    summary: 'Move a briefing between draft, in review and final (final and reopening: leads only)',
    request: { params: IdParam, body: jsonBody(StatusBody) },
    responses: { 200: json(BriefingSummary, 'The briefing'), ...errorResponses(400, 403, 404) },
  });
  const setArchived = guardedRoute(onBriefing('briefing.archive'), {
    method: 'put',
    path: '/briefings/{id}/archived',
    tags: ['briefings'],
    summary: 'Archive a briefing (hidden from the list, kept whole) or bring it back',
    request: { params: IdParam, body: jsonBody(ArchivedBody) },
    responses: { 200: json(BriefingSummary, 'The briefing'), ...errorResponses(400, 404) },
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
    .openapi(listBriefings, async (c) => {
      const { q, archived } = c.req.valid('query');
      const rows = await briefingLister(db, c.var.ctx, { query: q, archived: archived === 'true' });
      return c.json({ briefings: rows.map((row) => ({ ...toSummary(row), snippet: row.snippet })) }, 200);
    })
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
    .openapi(setStatus, async (c) => {
      const input = { id: c.req.valid('param').id, status: c.req.valid('json').status };
      return c.json(toSummary(await briefingStatusChanger(deps, c.var.ctx, input)), 200);
    })
    .openapi(setArchived, async (c) => {
      const input = { id: c.req.valid('param').id, archived: c.req.valid('json').archived };
      return c.json(toSummary(await briefingArchiver(db, c.var.ctx, input)), 200);
    })
    .openapi(deleteBriefing, async (c) => {
      await briefingDeleter(deps, c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    });
}
