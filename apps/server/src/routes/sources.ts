import { type SourceFormat, sha256Hex } from '@debrief/sources';
import { decodeSourceBytes, fetchSourceUrl, formatFromName } from '@debrief/sources/server';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { mergeMetadata, sourceImporter, sourceTitle } from '../commands/sourceImporter.ts';
import { AppError, errorBody } from '../errors.ts';
import type { AppDeps } from './deps.ts';
import { errorResponses, IdParam, json, jsonBody, validationHook } from './openapi.ts';

/** The routes that take a whole source, with body limits of their own (see sourceRoutes). */
export const SOURCE_BODY_PATHS: ReadonlySet<string> = new Set([
  '/api/sources',
  '/api/sources/preview',
  '/api/sources/upload',
]);

/**
 * Files extracted for one upload, one after another: each may use the whole extraction time limit,
 * so the count bounds how long one request can hold a connection and an extraction worker.
 */
export const MAX_UPLOAD_FILES = 20;

const Format = z.enum(['text', 'markdown', 'html']);
const CslName = z.object({
  family: z.string().max(200).optional(),
  given: z.string().max(200).optional(),
  literal: z.string().max(300).optional(),
});
const CslDate = z.object({ 'date-parts': z.array(z.array(z.number().int()).min(1).max(3)).min(1).max(2) });
const CslItem = z
  .object({
    type: z.enum(['article-newspaper', 'webpage', 'report', 'document']),
    title: z.string().optional(),
    'container-title': z.string().optional(),
    author: z.array(CslName).optional(),
    issued: CslDate.optional(),
    accessed: CslDate.optional(),
    URL: z.string().optional(),
  })
  .openapi('CslItem');
const MetadataPatch = z
  .object({
    type: z.enum(['article-newspaper', 'webpage', 'report', 'document']).optional(),
    title: z.string().trim().max(300).nullable().optional(),
    'container-title': z.string().trim().max(300).nullable().optional(),
    author: z.array(CslName).max(50).nullable().optional(),
    issued: CslDate.nullable().optional(),
    accessed: CslDate.nullable().optional(),
    URL: z.string().url().max(2000).nullable().optional(),
  })
  .openapi('CslPatch', { description: 'Corrections to a source’s metadata; null removes a field.' });

const Proposal = z
  .object({
    id: z.string(),
    kind: z.string(),
    start: z.number().int(),
    end: z.number().int(),
    text: z.string(),
    reason: z.string(),
  })
  .openapi('CleaningProposal');

const Draft = z
  .object({
    fileName: z.string().optional(),
    format: Format,
    url: z.string().optional(),
    content: z.string().openapi({ description: 'The original as received; send it back to save.' }),
    normalised: z.string(),
    proposals: z.array(Proposal),
    metadata: CslItem,
    duplicate: z.object({ sourceId: z.string(), title: z.string() }).nullable(),
  })
  .openapi('SourceDraft');

const DraftOrError = z.union([
  Draft,
  z.object({ fileName: z.string(), error: z.object({ code: z.string(), message: z.string() }) }),
]);

const SourceSummary = z
  .object({
    id: z.string(),
    title: z.string(),
    format: Format,
    csl: CslItem,
    fileName: z.string().nullable(),
    url: z.string().nullable(),
    citationCount: z.number().int(),
    createdAt: z.string(),
  })
  .openapi('SourceSummary');

const SourceDetail = SourceSummary.extend({
  text: z.string(),
  rawSha256: z.string(),
  textSha256: z.string(),
  cleaning: z.array(Proposal.extend({ applied: z.boolean() })),
}).openapi('Source');

const preview = createRoute({
  method: 'post',
  path: '/sources/preview',
  tags: ['sources'],
  summary: 'Extract text and metadata from pasted content and propose cleaning; saves nothing',
  request: {
    body: jsonBody(z.object({ format: Format, content: z.string(), fileName: z.string().max(300).optional() })),
  },
  responses: { 200: json(Draft, 'The draft'), ...errorResponses(400, 413, 415, 422) },
});

const fetchUrl = createRoute({
  method: 'post',
  path: '/sources/fetch',
  tags: ['sources'],
  summary: 'Fetch a page by URL and preview it; saves nothing',
  request: { body: jsonBody(z.object({ url: z.string().url().max(2000) })) },
  responses: { 200: json(Draft, 'The draft'), ...errorResponses(400, 413, 415, 422, 502) },
});

const upload = createRoute({
  method: 'post',
  path: '/sources/upload',
  tags: ['sources'],
  summary: 'Preview uploaded files (.txt, .md, .html; up to 20 at once); saves nothing',
  request: {
    body: {
      content: {
        'multipart/form-data': {
          schema: z.object({ files: z.any().openapi({ type: 'array', items: { type: 'string', format: 'binary' } }) }),
        },
      },
      required: true,
    },
  },
  responses: {
    200: json(z.object({ drafts: z.array(DraftOrError) }), 'One draft or error per file'),
    ...errorResponses(400, 413),
  },
});

const createSource = createRoute({
  method: 'post',
  path: '/sources',
  tags: ['sources'],
  summary: 'Save a source with the cleaning the user accepted and corrected metadata',
  request: {
    body: jsonBody(
      z.object({
        format: Format,
        content: z.string(),
        fileName: z.string().max(300).optional(),
        url: z.string().url().max(2000).optional(),
        acceptedCleaning: z.array(z.string()).max(1000),
        metadata: MetadataPatch.optional(),
        allowDuplicate: z.boolean().optional(),
      }),
    ),
  },
  responses: {
    201: json(z.object({ id: z.string(), title: z.string() }), 'Created'),
    ...errorResponses(400, 409, 413, 415, 422),
  },
});

const listSources = createRoute({
  method: 'get',
  path: '/sources',
  tags: ['sources'],
  summary: 'The workspace’s source library, newest first',
  responses: { 200: json(z.object({ sources: z.array(SourceSummary) }), 'The sources') },
});

const getSource = createRoute({
  method: 'get',
  path: '/sources/{id}',
  tags: ['sources'],
  summary: 'One source with its normalised text (what excerpts quote)',
  request: { params: IdParam },
  responses: { 200: json(SourceDetail, 'The source'), ...errorResponses(404) },
});

const getRaw = createRoute({
  method: 'get',
  path: '/sources/{id}/raw',
  tags: ['sources'],
  summary: 'The original exactly as received',
  request: { params: IdParam },
  responses: {
    200: { content: { 'text/plain': { schema: z.string() } }, description: 'Raw text' },
    ...errorResponses(404),
  },
});

const patchSource = createRoute({
  method: 'patch',
  path: '/sources/{id}',
  tags: ['sources'],
  summary: 'Correct a source’s metadata',
  request: { params: IdParam, body: jsonBody(z.object({ metadata: MetadataPatch })) },
  responses: { 200: json(SourceSummary, 'The source'), ...errorResponses(400, 404) },
});

const deleteSource = createRoute({
  method: 'delete',
  path: '/sources/{id}',
  tags: ['sources'],
  summary: 'Delete a source that no briefing cites',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses(404, 409) },
});

const summarySelect = {
  id: true,
  title: true,
  format: true,
  csl: true,
  fileName: true,
  url: true,
  createdAt: true,
  _count: { select: { citations: true } },
} as const;

type SummaryRow = {
  id: string;
  title: string;
  format: string;
  csl: unknown;
  fileName: string | null;
  url: string | null;
  createdAt: Date;
  _count: { citations: number };
};

const toSummary = ({ _count, createdAt, format, csl, ...row }: SummaryRow) => ({
  ...row,
  format: format as SourceFormat,
  csl: csl as z.infer<typeof CslItem>,
  citationCount: _count.citations,
  createdAt: createdAt.toISOString(),
});

export function sourceRoutes({
  db,
  defaultWorkspaceId: workspaceId,
  sourceExtractor,
  maxSourceBytes,
  sourceFetchAllowPrivate,
}: AppDeps) {
  const findDuplicate = async (content: string) => {
    const found = await db.prisma.source.findFirst({
      where: { workspaceId, rawSha256: sha256Hex(content) },
      select: { id: true, title: true },
    });
    return found ? { sourceId: found.id, title: found.title } : null;
  };
  const checkSize = (content: string) => {
    if (Buffer.byteLength(content, 'utf8') > maxSourceBytes) {
      throw new AppError(
        'source_too_large',
        `The source is larger than ${Math.round(maxSourceBytes / 1024 / 1024)} MB.`,
      );
    }
  };
  const draftOf = async (input: {
    format: SourceFormat;
    content: string;
    fileName?: string | undefined;
    url?: string | undefined;
  }) => {
    const draft = await sourceExtractor.prepare({ format: input.format, content: input.content, url: input.url });
    return {
      ...(input.fileName ? { fileName: input.fileName } : {}),
      ...(input.url ? { url: input.url } : {}),
      format: draft.format,
      content: draft.raw,
      normalised: draft.normalised,
      proposals: draft.proposals,
      metadata: draft.metadata as z.infer<typeof CslItem>,
      duplicate: await findDuplicate(draft.raw),
    };
  };
  const findSummary = async (id: string) => {
    const row = await db.prisma.source.findFirst({ where: { id, workspaceId }, select: summarySelect });
    if (!row) throw new AppError('source_not_found', 'No source with this id.');
    return toSummary(row);
  };
  // JSON carries the content escaped: allow some headroom over the source limit.
  const jsonLimit = bodyLimit({
    maxSize: maxSourceBytes * 2 + 64 * 1024,
    onError: (c) => c.json(errorBody('source_too_large', 'The request is larger than the source size limit.'), 413),
  });
  const uploadLimit = bodyLimit({
    maxSize: maxSourceBytes * 10,
    onError: (c) =>
      c.json(errorBody('source_too_large', 'The upload is larger than ten times the source size limit.'), 413),
  });

  const app = new OpenAPIHono({ defaultHook: validationHook });
  app.use('/sources/upload', uploadLimit);
  app.use('/sources/preview', jsonLimit);
  app.on('POST', '/sources', jsonLimit);

  return app
    .openapi(preview, async (c) => {
      const body = c.req.valid('json');
      checkSize(body.content);
      return c.json(await draftOf(body), 200);
    })
    .openapi(fetchUrl, async (c) => {
      const fetched = await fetchSourceUrl(c.req.valid('json').url, {
        maxBytes: maxSourceBytes,
        allowPrivateNetwork: sourceFetchAllowPrivate,
      });
      return c.json(await draftOf({ format: fetched.format, content: fetched.content, url: fetched.finalUrl }), 200);
    })
    .openapi(upload, async (c) => {
      const form = await c.req.parseBody({ all: true });
      const files = [form.files ?? form['files[]'] ?? []].flat().filter((f): f is File => f instanceof File);
      if (files.length === 0) throw new AppError('invalid_request', 'Attach one or more files in the field "files".');
      if (files.length > MAX_UPLOAD_FILES) {
        throw new AppError('invalid_request', `Upload at most ${MAX_UPLOAD_FILES} files at once.`);
      }
      const drafts = [];
      for (const file of files) {
        try {
          const format = formatFromName(file.name, file.type);
          const content = decodeSourceBytes(new Uint8Array(await file.arrayBuffer()), { maxBytes: maxSourceBytes });
          drafts.push(await draftOf({ format, content, fileName: file.name }));
        } catch (error) {
          const { code, message } = error as { code?: string; message: string };
          if (!code) throw error;
          drafts.push({ fileName: file.name, error: { code, message } });
        }
      }
      return c.json({ drafts }, 200);
    })
    .openapi(createSource, async (c) => {
      const body = c.req.valid('json');
      checkSize(body.content);
      const created = await sourceImporter(db, sourceExtractor, { ...body, workspaceId });
      return c.json(created, 201);
    })
    .openapi(listSources, async (c) => {
      const rows = await db.prisma.source.findMany({
        where: { workspaceId },
        orderBy: { createdAt: 'desc' },
        select: summarySelect,
      });
      return c.json({ sources: rows.map(toSummary) }, 200);
    })
    .openapi(getSource, async (c) => {
      const { id } = c.req.valid('param');
      const row = await db.prisma.source.findFirst({
        where: { id, workspaceId },
        select: { ...summarySelect, text: true, rawSha256: true, textSha256: true, cleaning: true },
      });
      if (!row) throw new AppError('source_not_found', 'No source with this id.');
      const { text, rawSha256, textSha256, cleaning, ...summary } = row;
      return c.json(
        {
          ...toSummary(summary),
          text,
          rawSha256,
          textSha256,
          cleaning: cleaning as Array<z.infer<typeof Proposal> & { applied: boolean }>,
        },
        200,
      );
    })
    .openapi(getRaw, async (c) => {
      const row = await db.prisma.source.findFirst({
        where: { id: c.req.valid('param').id, workspaceId },
        select: { raw: true },
      });
      if (!row) throw new AppError('source_not_found', 'No source with this id.');
      return c.text(row.raw, 200);
    })
    .openapi(patchSource, async (c) => {
      const { id } = c.req.valid('param');
      const current = await db.prisma.source.findFirst({
        where: { id, workspaceId },
        select: { csl: true, text: true },
      });
      if (!current) throw new AppError('source_not_found', 'No source with this id.');
      const csl = mergeMetadata(current.csl as never, c.req.valid('json').metadata);
      await db.prisma.source.update({
        where: { id },
        data: { csl: csl as object, title: sourceTitle(csl, current.text) },
      });
      return c.json(await findSummary(id), 200);
    })
    .openapi(deleteSource, async (c) => {
      const { id } = c.req.valid('param');
      const summary = await findSummary(id);
      if (summary.citationCount > 0) {
        throw new AppError(
          'source_cited',
          `This source is cited ${summary.citationCount} time(s); remove those excerpts first.`,
          {
            citationCount: summary.citationCount,
          },
        );
      }
      await db.prisma.source.delete({ where: { id } });
      return c.body(null, 204);
    });
}
