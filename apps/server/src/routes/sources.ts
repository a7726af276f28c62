import {
  CleaningProposalSchema,
  CslItemSchema,
  CslPatchSchema,
  ReliabilitySchema,
  SourceDraftSchema,
  SourceFormatSchema,
} from '@debrief/sources';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { sourceDeleter } from '../commands/sourceDeleter.ts';
import { sourceEditor } from '../commands/sourceEditor.ts';
import { type SourceRow, sourceDetailFinder, sourceLister, sourceRawReader } from '../commands/sourceFinder.ts';
import { sourceImporter } from '../commands/sourceImporter.ts';
import {
  MAX_UPLOAD_FILES,
  sourceFilesPreviewer,
  sourcePreviewer,
  sourceUrlPreviewer,
} from '../commands/sourcePreviewer.ts';
import type { AppEnv } from '../context/requestContext.ts';
import { errorBody } from '../errors.ts';
import type { AppDeps } from './deps.ts';
import { routeGuards } from './guards.ts';
import { errorResponses, guardedRoute, IdParam, json, jsonBody, validationHook } from './openapi.ts';

/** The routes that take a whole source, with body limits of their own (see sourceRoutes). */
export const SOURCE_BODY_PATHS: ReadonlySet<string> = new Set([
  '/api/sources',
  '/api/sources/preview',
  '/api/sources/upload',
]);

// The contracts are the packages' own validators, named for the OpenAPI document (zod's own
// metadata: `.openapi()` exists only on schemas built with @hono/zod-openapi's `z`).
const Format = SourceFormatSchema;
const CslItem = CslItemSchema.meta({ id: 'CslItem' });
const MetadataPatch = CslPatchSchema.meta({
  id: 'CslPatch',
  description: 'Corrections to a source’s metadata; null removes a field.',
});
const Proposal = CleaningProposalSchema.meta({ id: 'CleaningProposal' });
const Reliability = ReliabilitySchema.meta({
  id: 'Reliability',
  description:
    'Admiralty code source reliability: A completely reliable, B usually reliable, C fairly reliable, D not usually reliable, E unreliable, F cannot be judged.',
});
const Content = z.string().openapi({
  description: 'The original as received: the text, or for pdf and docx the file’s bytes in base64.',
});

/** The media types the originals of file sources are served with. */
const FILE_MEDIA_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** A draft as the API sends it: the package's draft with its original as `content`, as saving takes it. */
const Draft = SourceDraftSchema.omit({ raw: true, rawSha256: true })
  .extend({
    fileName: z.string().optional(),
    format: Format,
    url: z.string().optional(),
    content: z.string().openapi({
      description: 'The original as received (base64 for pdf and docx); send it back to save.',
    }),
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
    reliability: Reliability.nullable(),
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

const toSummary = <Row extends SourceRow>(row: Row) => ({ ...row, createdAt: row.createdAt.toISOString() });

export function sourceRoutes(deps: AppDeps) {
  const { db, maxSourceBytes } = deps;
  const { inWorkspace, onSource } = routeGuards(deps);
  const preview = guardedRoute(inWorkspace('source.create'), {
    method: 'post',
    path: '/sources/preview',
    tags: ['sources'],
    summary: 'Extract text and metadata from pasted content and propose cleaning; saves nothing',
    request: {
      body: jsonBody(z.object({ format: Format, content: Content, fileName: z.string().max(300).optional() })),
    },
    responses: { 200: json(Draft, 'The draft'), ...errorResponses(400, 413, 415, 422) },
  });

  const fetchUrl = guardedRoute(inWorkspace('source.create'), {
    method: 'post',
    path: '/sources/fetch',
    tags: ['sources'],
    summary: 'Fetch a page by URL and preview it; saves nothing',
    request: { body: jsonBody(z.object({ url: z.string().url().max(2000) })) },
    responses: { 200: json(Draft, 'The draft'), ...errorResponses(400, 413, 415, 422, 502) },
  });

  const upload = guardedRoute(inWorkspace('source.create'), {
    method: 'post',
    path: '/sources/upload',
    tags: ['sources'],
    summary: `Preview uploaded files (.txt, .md, .html, .pdf, .docx; up to ${MAX_UPLOAD_FILES} at once); saves nothing`,
    request: {
      body: {
        content: {
          'multipart/form-data': {
            schema: z.object({
              files: z.any().openapi({ type: 'array', items: { type: 'string', format: 'binary' } }),
            }),
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

  const createSource = guardedRoute(inWorkspace('source.create'), {
    method: 'post',
    path: '/sources',
    tags: ['sources'],
    summary: 'Save a source with the cleaning the user accepted and corrected metadata',
    request: {
      body: jsonBody(
        z.object({
          format: Format,
          content: Content,
          fileName: z.string().max(300).optional(),
          url: z.string().url().max(2000).optional(),
          acceptedCleaning: z.array(z.string()).max(1000),
          metadata: MetadataPatch.optional(),
          allowDuplicate: z.boolean().optional(),
          reliability: Reliability.nullable().optional(),
        }),
      ),
    },
    responses: {
      201: json(z.object({ id: z.string(), title: z.string() }), 'Created'),
      ...errorResponses(400, 409, 413, 415, 422),
    },
  });

  const listSources = guardedRoute(inWorkspace('source.read'), {
    method: 'get',
    path: '/sources',
    tags: ['sources'],
    summary: 'The workspace’s source library, newest first',
    responses: { 200: json(z.object({ sources: z.array(SourceSummary) }), 'The sources') },
  });

  const getSource = guardedRoute(onSource('source.read'), {
    method: 'get',
    path: '/sources/{id}',
    tags: ['sources'],
    summary: 'One source with its normalised text (what excerpts quote)',
    request: { params: IdParam },
    responses: { 200: json(SourceDetail, 'The source'), ...errorResponses(404) },
  });

  const getRaw = guardedRoute(onSource('source.read'), {
    method: 'get',
    path: '/sources/{id}/raw',
    tags: ['sources'],
    summary: 'The original exactly as received: the text, or the PDF or Word file as a download',
    request: { params: IdParam },
    responses: {
      200: {
        content: {
          'text/plain': { schema: z.string() },
          ...Object.fromEntries(
            Object.values(FILE_MEDIA_TYPES).map((type) => [type, { schema: z.string().openapi({ format: 'binary' }) }]),
          ),
        },
        description: 'The original',
      },
      ...errorResponses(404),
    },
  });

  const patchSource = guardedRoute(onSource('source.edit'), {
    method: 'patch',
    path: '/sources/{id}',
    tags: ['sources'],
    summary: 'Correct a source’s metadata and grade its reliability',
    request: {
      params: IdParam,
      body: jsonBody(
        z
          .object({ metadata: MetadataPatch.optional(), reliability: Reliability.nullable().optional() })
          .refine((body) => body.metadata !== undefined || body.reliability !== undefined, {
            message: 'Send metadata, reliability or both.',
          }),
      ),
    },
    responses: { 200: json(SourceSummary, 'The source'), ...errorResponses(400, 404) },
  });

  const deleteSource = guardedRoute(onSource('source.delete'), {
    method: 'delete',
    path: '/sources/{id}',
    tags: ['sources'],
    summary: 'Delete a source that no briefing cites',
    request: { params: IdParam },
    responses: { 204: { description: 'Deleted' }, ...errorResponses(404, 409) },
  });

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

  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use('/sources/upload', uploadLimit);
  app.use('/sources/preview', jsonLimit);
  app.on('POST', '/sources', jsonLimit);

  return app
    .openapi(preview, async (c) => c.json(await sourcePreviewer(deps, c.var.ctx, c.req.valid('json')), 200))
    .openapi(fetchUrl, async (c) => c.json(await sourceUrlPreviewer(deps, c.var.ctx, c.req.valid('json').url), 200))
    .openapi(upload, async (c) => {
      const form = await c.req.parseBody({ all: true });
      const files = [form.files ?? form['files[]'] ?? []].flat().filter((f): f is File => f instanceof File);
      return c.json({ drafts: await sourceFilesPreviewer(deps, c.var.ctx, files) }, 200);
    })
    .openapi(createSource, async (c) => c.json(await sourceImporter(deps, c.var.ctx, c.req.valid('json')), 201))
    .openapi(listSources, async (c) => c.json({ sources: (await sourceLister(db, c.var.ctx)).map(toSummary) }, 200))
    .openapi(getSource, async (c) => {
      const detail = await sourceDetailFinder(db, c.var.ctx, c.req.valid('param').id);
      return c.json(toSummary(detail), 200);
    })
    .openapi(getRaw, async (c) => {
      const original = await sourceRawReader(db, c.var.ctx, c.req.valid('param').id);
      if (original.kind === 'text') return c.text(original.text, 200);
      // A download, never shown inline: the browser must not open a stranger's file on this origin.
      // (The typed route knows text answers only; the OpenAPI document lists the file types.)
      const name = original.fileName ?? `source.${original.format}`;
      return c.body(original.bytes as Uint8Array<ArrayBuffer>, 200, {
        'content-type': FILE_MEDIA_TYPES[original.format] ?? 'application/octet-stream',
        'content-disposition': `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`,
      }) as never;
    })
    .openapi(patchSource, async (c) => {
      const { metadata, reliability } = c.req.valid('json');
      const input = { id: c.req.valid('param').id, metadata, reliability };
      return c.json(toSummary(await sourceEditor(db, c.var.ctx, input)), 200);
    })
    .openapi(deleteSource, async (c) => {
      await sourceDeleter(db, c.var.ctx, c.req.valid('param').id);
      return c.body(null, 204);
    });
}
