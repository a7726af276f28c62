import { ExcerptStatusSchema } from '@debrief/briefing';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { briefingCitationLister, sourceCitationLister } from '../commands/citationLister.ts';
import type { AppEnv } from '../context/requestContext.ts';
import type { AppDeps } from './deps.ts';
import { routeGuards } from './guards.ts';
import { errorResponses, guardedRoute, IdParam, json, validationHook } from './openapi.ts';

const BriefingCitation = z
  .object({
    excerptId: z.string(),
    sectionId: z.string(),
    ordinal: z.number().int(),
    number: z.number().int(),
    sourceId: z.string(),
    sourceTitle: z.string(),
    exact: z.string(),
    prefix: z.string(),
    suffix: z.string(),
    start: z.number().int(),
    end: z.number().int(),
    quoteSha256: z.string(),
    status: ExcerptStatusSchema,
    anchoredStart: z.number().int().nullable(),
    anchoredEnd: z.number().int().nullable(),
    note: z.string().nullable(),
  })
  .openapi('BriefingCitation');

const SourceCitation = z
  .object({
    briefingId: z.string(),
    briefingTitle: z.string(),
    excerptId: z.string(),
    sectionId: z.string(),
    number: z.number().int(),
    exact: z.string(),
    start: z.number().int(),
    end: z.number().int(),
    status: ExcerptStatusSchema,
  })
  .openapi('SourceCitation');

export function citationRoutes(deps: AppDeps) {
  const { onBriefing, onSource } = routeGuards(deps);
  const briefingCitations = guardedRoute(onBriefing('citation.read'), {
    method: 'get',
    path: '/briefings/{id}/citations',
    tags: ['citations'],
    summary: 'Every excerpt of a briefing in reading order, with citation number and anchor status',
    request: { params: IdParam },
    responses: { 200: json(z.object({ citations: z.array(BriefingCitation) }), 'Citations'), ...errorResponses(404) },
  });
  const sourceCitations = guardedRoute(onSource('citation.read'), {
    method: 'get',
    path: '/sources/{id}/citations',
    tags: ['citations'],
    summary: 'Which briefings cite a source, and where',
    request: { params: IdParam },
    responses: { 200: json(z.object({ citations: z.array(SourceCitation) }), 'Citations'), ...errorResponses(404) },
  });

  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(briefingCitations, async (c) =>
      c.json({ citations: await briefingCitationLister(deps, c.var.ctx, c.req.valid('param').id) }, 200),
    )
    .openapi(sourceCitations, async (c) =>
      c.json({ citations: await sourceCitationLister(deps.db, c.var.ctx, c.req.valid('param').id) }, 200),
    );
}
