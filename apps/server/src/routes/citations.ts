import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { AppError } from '../errors.ts';
import type { AppDeps } from './deps.ts';
import { errorResponses, IdParam, json, validationHook } from './openapi.ts';

const Status = z.enum(['pending', 'anchored', 'moved', 'fuzzy', 'orphaned', 'modified']);

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
    status: Status,
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
    status: Status,
  })
  .openapi('SourceCitation');

const briefingCitations = createRoute({
  method: 'get',
  path: '/briefings/{id}/citations',
  tags: ['citations'],
  summary: 'Every excerpt of a briefing in reading order, with citation number and anchor status',
  request: { params: IdParam },
  responses: {
    200: json(z.object({ citations: z.array(BriefingCitation) }), 'Citations'),
    ...errorResponses(404),
  },
});

const sourceCitations = createRoute({
  method: 'get',
  path: '/sources/{id}/citations',
  tags: ['citations'],
  summary: 'Which briefings cite a source, and where',
  request: { params: IdParam },
  responses: {
    200: json(z.object({ citations: z.array(SourceCitation) }), 'Citations'),
    ...errorResponses(404),
  },
});

type Status = z.infer<typeof Status>;

export function citationRoutes({ db, registry, projections, defaultWorkspaceId: workspaceId }: AppDeps) {
  return new OpenAPIHono({ defaultHook: validationHook })
    .openapi(briefingCitations, async (c) => {
      const { id } = c.req.valid('param');
      const briefing = await db.prisma.briefing.findFirst({ where: { id, workspaceId }, select: { id: true } });
      if (!briefing) throw new AppError('briefing_not_found', 'No briefing with this id.');
      // A document being edited may have changes the debounced mirror has not caught up with.
      await registry.ifLoaded(id, (document) => projections.citations.flush(document));
      const rows = await db.prisma.citation.findMany({
        where: { briefingId: id },
        orderBy: { ordinal: 'asc' },
        include: { source: { select: { title: true } } },
      });
      return c.json(
        {
          citations: rows.map(
            ({ source, id: _id, briefingId: _b, originalSha256: _o, createdAt: _c, updatedAt: _u, ...row }) => ({
              ...row,
              status: row.status as Status,
              sourceTitle: source.title,
            }),
          ),
        },
        200,
      );
    })
    .openapi(sourceCitations, async (c) => {
      const { id } = c.req.valid('param');
      const source = await db.prisma.source.findFirst({ where: { id, workspaceId }, select: { id: true } });
      if (!source) throw new AppError('source_not_found', 'No source with this id.');
      const rows = await db.prisma.citation.findMany({
        where: { sourceId: id },
        orderBy: [{ briefingId: 'asc' }, { ordinal: 'asc' }],
        include: { briefing: { select: { title: true } } },
      });
      return c.json(
        {
          citations: rows.map((row) => ({
            briefingId: row.briefingId,
            briefingTitle: row.briefing.title,
            excerptId: row.excerptId,
            sectionId: row.sectionId,
            number: row.number,
            exact: row.exact,
            start: row.start,
            end: row.end,
            status: row.status as Status,
          })),
        },
        200,
      );
    });
}
