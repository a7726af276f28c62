import { CITATION_STYLES, EXPORT_FORMATS, ExportError } from '@debrief/export/contract';
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { type ExportJobView, exportFile, exportFinder, exportStarter } from '../commands/exportCommands.ts';
import type { AppEnv } from '../context/requestContext.ts';
import type { AppDeps } from './deps.ts';
import { routeGuards } from './guards.ts';
import { errorResponses, guardedRoute, IdParam, json, jsonBody, validationHook } from './openapi.ts';

const Format = z.enum(EXPORT_FORMATS).openapi({ description: 'pdf, docx, markdown, html or json', example: 'pdf' });
const Style = z
  .enum(CITATION_STYLES)
  .default('chicago')
  .openapi({ description: 'Citation style: chicago (notes and bibliography, the default) or apa' });
const VersionId = z
  .string()
  .regex(/^\d{1,18}$/, 'must be a version number')
  .optional()
  .openapi({
    description: 'A version to export (GET /api/briefings/{id}/versions); the briefing as it is now without',
  });

const ExportRequestBody = z
  .object({
    format: Format,
    version: VersionId,
    style: Style,
    comments: z.boolean().default(false).openapi({ description: 'Open comment threads in an annex' }),
  })
  .openapi('ExportRequest');

const ExportQuery = z.object({
  format: Format,
  version: VersionId,
  style: Style,
  comments: z.enum(['true', 'false']).optional(),
  workspace: z.string().optional(),
});

const ExportJob = z
  .object({
    id: z.string().uuid(),
    briefingId: z.string().uuid(),
    format: z.string(),
    version: z.string().nullable(),
    style: z.string(),
    comments: z.boolean(),
    status: z.enum(['queued', 'running', 'done', 'failed']),
    step: z.string().nullable().openapi({ description: 'What the export is doing now, in words' }),
    progress: z.number().int().openapi({ description: 'Percent done' }),
    error: z.string().nullable(),
    fileName: z.string().nullable(),
    sha256: z.string().nullable().openapi({ description: 'sha256 (hex) of the finished file' }),
    size: z.number().int().nullable(),
    reused: z.boolean().openapi({ description: 'The file of an earlier export of the same state was served again' }),
    createdAt: z.string().datetime(),
    finishedAt: z.string().datetime().nullable(),
  })
  .openapi('ExportJob');

const JobParam = z.object({
  job: z
    .string()
    .uuid()
    .transform((id) => id.toLowerCase())
    .openapi({ param: { name: 'job', in: 'path' }, type: 'string', format: 'uuid' }),
});

const toJob = (job: ExportJobView) => ({
  ...job,
  createdAt: job.createdAt.toISOString(),
  finishedAt: job.finishedAt?.toISOString() ?? null,
});

const fileContent = {
  content: Object.fromEntries(
    [
      'application/pdf',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      'text/markdown',
      'text/html',
      'application/json',
    ].map((type) => [type, { schema: z.string().openapi({ format: 'binary' }) }]),
  ),
  description: 'The exported file, as a download; its sha256 in the ETag',
};

/** A download, never shown inline: an exported HTML file must not run on this origin. */
function download(c: Context, file: { file: Uint8Array; fileName: string; contentType: string; sha256: string }) {
  return c.body(file.file as Uint8Array<ArrayBuffer>, 200, {
    'content-type': file.contentType,
    'content-disposition': `attachment; filename="${file.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
    etag: `"${file.sha256}"`,
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  });
}

export function exportRoutes(deps: AppDeps) {
  const { onBriefing, onExport } = routeGuards(deps);
  const { db } = deps;

  const startExport = guardedRoute(onBriefing('briefing.export'), {
    method: 'post',
    path: '/briefings/{id}/exports',
    tags: ['exports'],
    summary: 'Start an export (a job); the same state, format and options again serves the finished file',
    request: { params: IdParam, body: jsonBody(ExportRequestBody) },
    responses: { 202: json(ExportJob, 'The job'), ...errorResponses(400, 403, 404) },
  });
  const getJob = guardedRoute(onExport('briefing.export'), {
    method: 'get',
    path: '/exports/{job}',
    tags: ['exports'],
    summary: 'An export job: status, the step it is at, progress',
    request: { params: JobParam },
    responses: { 200: json(ExportJob, 'The job'), ...errorResponses(400, 404) },
  });
  const getFile = guardedRoute(onExport('briefing.export'), {
    method: 'get',
    path: '/exports/{job}/file',
    tags: ['exports'],
    summary: 'The finished file of an export job',
    request: { params: JobParam },
    responses: { 200: fileContent, ...errorResponses(400, 404, 409) },
  });
  const exportNow = guardedRoute(onBriefing('briefing.export'), {
    method: 'get',
    path: '/briefings/{id}/export',
    tags: ['exports'],
    summary: 'Export and download in one request, for scripts (waits for the job)',
    request: { params: IdParam, query: ExportQuery },
    responses: { 200: fileContent, ...errorResponses(400, 403, 404, 422) },
  });

  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(startExport, async (c) => {
      const body = c.req.valid('json');
      const { job } = await exportStarter(deps, c.var.ctx, { briefingId: c.req.valid('param').id, ...body });
      return c.json(toJob(job), 202);
    })
    .openapi(getJob, async (c) => c.json(toJob(await exportFinder(db, c.var.ctx, c.req.valid('param').job)), 200))
    .openapi(getFile, async (c) => download(c, await exportFile(db, c.var.ctx, c.req.valid('param').job)) as never)
    .openapi(exportNow, async (c) => {
      const { comments, workspace: _workspace, ...query } = c.req.valid('query');
      const request = { briefingId: c.req.valid('param').id, ...query, comments: comments === 'true' };
      const { finished } = await exportStarter(deps, c.var.ctx, request);
      const job = await finished;
      if (job.status === 'failed') throw new ExportError('export_failed', job.error ?? 'The export failed.');
      return download(c, await exportFile(db, c.var.ctx, job.id)) as never;
    });
}
