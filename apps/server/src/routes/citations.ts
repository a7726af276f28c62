import { ExcerptStatusSchema } from '@debrief/briefing';
import { ReliabilitySchema } from '@debrief/sources';
import { CorroborationIndex } from '@debrief/sources/intake';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { briefingCitationLister, sourceCitationLister } from '../commands/citationLister.ts';
import { briefingCorroborationFinder } from '../commands/corroborationFinder.ts';
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
    reliability: ReliabilitySchema.nullable().openapi({ description: 'The source’s reliability, A–F' }),
    credibility: z.number().int().min(1).max(6).nullable().openapi({ description: 'The excerpt’s credibility, 1–6' }),
    grade: z
      .string()
      .nullable()
      .openapi({ description: 'The Admiralty grade, e.g. "B2" ("B–" when only one part is graded)' }),
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
    credibility: z.number().int().min(1).max(6).nullable(),
  })
  .openapi('SourceCitation');

const Corroboration = z
  .object({
    excerptId: z.string(),
    sourceId: z.string(),
    corroboratedBy: z.array(
      z.object({
        sourceId: z.string(),
        title: z.string(),
        number: z.number().int().nullable().openapi({ description: 'Its citation number, when the briefing cites it' }),
        match: z.enum(['exact', 'near']),
        similarity: z.number(),
        start: z.number().int(),
        end: z.number().int(),
      }),
    ),
  })
  .openapi('Corroboration');

export function citationRoutes(deps: AppDeps) {
  const { onBriefing, onSource } = routeGuards(deps);
  // One index per server: source texts never change, so each is indexed once.
  const corroborationDeps = { ...deps, corroborations: new CorroborationIndex() };
  const corroborations = guardedRoute(onBriefing('citation.read'), {
    method: 'get',
    path: '/briefings/{id}/corroborations',
    tags: ['citations'],
    summary: 'For each excerpt, the other sources of the workspace that hold its quote, exactly or nearly',
    request: { params: IdParam },
    responses: {
      200: json(z.object({ excerpts: z.array(Corroboration) }), 'Corroborations'),
      ...errorResponses(404),
    },
  });
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
    .openapi(corroborations, async (c) =>
      c.json(
        { excerpts: await briefingCorroborationFinder(corroborationDeps, c.var.ctx, c.req.valid('param').id) },
        200,
      ),
    )
    .openapi(sourceCitations, async (c) =>
      c.json({ citations: await sourceCitationLister(deps.db, c.var.ctx, c.req.valid('param').id) }, 200),
    );
}
