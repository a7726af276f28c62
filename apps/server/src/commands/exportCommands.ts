import { createHash } from 'node:crypto';
import { type BriefingJSON, briefingToJSON, openVersion } from '@debrief/briefing';
import { bytes, type Database } from '@debrief/db';
import { DomainError } from '@debrief/errors';
import type { ExportSource } from '@debrief/export';
import { type CitationStyle, type ExportFormat, type ExportStep, FORMAT_FILES } from '@debrief/export/contract';
import { can } from '@debrief/policy';
import type { CslItem } from '@debrief/sources';
import type { Logger } from 'pino';
import type { DocumentRegistry } from '../collab/DocumentRegistry.ts';
import type { RequestContext } from '../context/requestContext.ts';
import { AppError } from '../errors.ts';
import type { ExportRunner } from '../export/ExportRunner.ts';
import { recordAudit } from './auditRecorder.ts';
import { briefingFinder, briefingNotFound } from './briefingFinder.ts';
import { versionState } from './versionCommands.ts';

/**
 * Exports as jobs: the state to export is read on the request (the live document once every edit
 * so far is durable, or a version), rendered in ExportRunner's worker threads, and kept with its
 * sha256. A second request for the same state, format and options gets the finished file again,
 * recorded as an export of its own (who, when). Every finished export is in the audit log.
 */

type Deps = { db: Database; registry: DocumentRegistry; exportRunner: ExportRunner; logger: Logger };

export interface ExportRequest {
  briefingId: string;
  format: ExportFormat;
  version?: string | undefined;
  style: CitationStyle;
  comments: boolean;
}

export interface ExportJobView {
  id: string;
  briefingId: string;
  format: string;
  version: string | null;
  style: string;
  comments: boolean;
  status: 'queued' | 'running' | 'done' | 'failed';
  step: string | null;
  progress: number;
  error: string | null;
  fileName: string | null;
  sha256: string | null;
  size: number | null;
  reused: boolean;
  createdAt: Date;
  finishedAt: Date | null;
}

export const exportNotFound = () => new AppError('export_not_found', 'No export with this id.');

/** Progress (percent) at the start of each step. */
const STEP_PROGRESS: Record<ExportStep | 'loading', number> = { loading: 5, checking: 20, rendering: 50 };
const STEP_LABELS: Record<ExportStep | 'loading', string> = {
  loading: 'Reading the briefing and its sources',
  checking: 'Checking every excerpt against its source',
  rendering: 'Laying out the document',
};

const select = {
  id: true,
  briefingId: true,
  format: true,
  version: true,
  style: true,
  comments: true,
  status: true,
  step: true,
  progress: true,
  error: true,
  fileName: true,
  sha256: true,
  size: true,
  createdAt: true,
  finishedAt: true,
  stateKey: true,
} as const;

type Row = { [K in keyof typeof select]: unknown } & Record<string, unknown>;

function view(row: Row, reused = false): ExportJobView {
  const { stateKey: _key, ...rest } = row;
  return { ...(rest as unknown as Omit<ExportJobView, 'reused'>), reused };
}

/** The briefing as it is to be exported: its JSON and which state that is. */
async function stateToExport(
  deps: Deps,
  request: ExportRequest,
): Promise<{ briefing: BriefingJSON; stateKey: string; label: string | null }> {
  if (request.version !== undefined) {
    const { version, state } = await versionState(deps.db, request.briefingId, request.version);
    const doc = openVersion(state);
    try {
      return {
        briefing: briefingToJSON(doc),
        stateKey: `version:${version.id}`,
        label: version.name ?? `Version ${version.id}`,
      };
    } finally {
      doc.destroy();
    }
  }
  const live = await deps.registry.use(request.briefingId, async (document) => {
    await document.whenDurable();
    const row = await deps.db.prisma.briefing.findUnique({
      where: { id: request.briefingId },
      select: { lastSeq: true },
    });
    return { briefing: briefingToJSON(document.doc), stateKey: `live:${row?.lastSeq ?? 0}`, label: null };
  });
  if (!live) throw briefingNotFound();
  return live;
}

async function sourcesOf(db: Database, workspaceId: string, briefing: BriefingJSON): Promise<ExportSource[]> {
  const ids = [...new Set(briefing.excerpts.map((e) => e.sourceId))].filter((id) =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id),
  );
  const rows = await db.prisma.source.findMany({
    where: { id: { in: ids }, workspaceId },
    select: { id: true, csl: true, url: true, text: true, textSha256: true },
  });
  return rows.map((row) => ({ ...row, csl: row.csl as CslItem }));
}

const fileNameOf = (title: string, format: ExportFormat) =>
  `${
    title
      .normalize('NFKD')
      .replace(/[^\w\s-]/g, '')
      .trim()
      .replace(/\s+/g, '-')
      .slice(0, 80) || 'briefing'
  }.${FORMAT_FILES[format].extension}`;

/**
 * Starts an export (or serves a finished one of the same state again). Returns the job and a
 * promise of its end, which the one-shot route awaits; the jobs route does not.
 */
export async function exportStarter(
  deps: Deps,
  ctx: RequestContext,
  request: ExportRequest,
): Promise<{ job: ExportJobView; finished: Promise<ExportJobView> }> {
  await briefingFinder(deps.db, ctx, request.briefingId);
  const { briefing, stateKey, label } = await stateToExport(deps, request);
  // The document is the source of truth for the status; a version is judged by its own.
  if (!can(ctx.actor, 'briefing.export', { kind: 'briefing', workspaceId: ctx.workspaceId, status: briefing.status })) {
    throw new DomainError(
      'forbidden',
      403,
      request.version === undefined
        ? 'Only leads and admins export a briefing that is not final.'
        : 'Only leads and admins export a version that is not final.',
      { action: 'briefing.export' },
    );
  }
  const key = {
    briefingId: request.briefingId,
    stateKey,
    format: request.format,
    style: request.style,
    comments: request.comments,
  };
  const done = await deps.db.prisma.exportJob.findFirst({
    where: { ...key, status: 'done' },
    orderBy: { createdAt: 'desc' },
  });
  if (done) {
    const copy = await deps.db.prisma.exportJob.create({
      data: {
        ...key,
        version: request.version ?? null,
        requestedById: ctx.actor.userId,
        status: 'done',
        step: 'Done',
        progress: 100,
        fileName: done.fileName,
        file: done.file,
        sha256: done.sha256,
        size: done.size,
        finishedAt: new Date(),
      },
      select,
    });
    await audit(deps.db, ctx, copy as Row, true);
    const job = view(copy as Row, true);
    return { job, finished: Promise.resolve(job) };
  }
  const row = await deps.db.prisma.exportJob.create({
    data: {
      ...key,
      version: request.version ?? null,
      requestedById: ctx.actor.userId,
      step: STEP_LABELS.loading,
      progress: STEP_PROGRESS.loading,
    },
    select,
  });
  const job = view(row as Row);
  const finished = runJob(deps, ctx, job, request, briefing, label);
  return { job, finished };
}

/** Renders a job and records how it ended; never rejects (nobody may be waiting for it). */
async function runJob(
  deps: Deps,
  ctx: RequestContext,
  job: ExportJobView,
  request: ExportRequest,
  briefing: BriefingJSON,
  label: string | null,
): Promise<ExportJobView> {
  const { db } = deps;
  const { id } = job;
  try {
    await db.prisma.exportJob.update({ where: { id }, data: { status: 'running' } });
    const sources = await sourcesOf(db, ctx.workspaceId, briefing);
    const input = {
      briefing,
      sources,
      options: { style: request.style, comments: request.comments },
      exportedAt: new Date().toISOString(),
      versionLabel: label,
    };
    // Progress is written in order, and a write that fails is only logged: a rejected write
    // nobody awaited yet would be an unhandled rejection, and the job's end is recorded anyway.
    let stepWrite = Promise.resolve();
    const file = await deps.exportRunner.run(input, request.format, (step) => {
      stepWrite = stepWrite
        .then(async () => {
          await db.prisma.exportJob.update({
            where: { id },
            data: { step: STEP_LABELS[step], progress: STEP_PROGRESS[step] },
          });
        })
        .catch((error: unknown) => deps.logger.warn({ err: error, exportJob: id }, 'export progress not recorded'));
    });
    await stepWrite;
    const sha256 = createHash('sha256').update(file).digest('hex');
    const row = await db.prisma.exportJob.update({
      where: { id },
      data: {
        status: 'done',
        step: 'Done',
        progress: 100,
        file: bytes(file),
        sha256,
        size: file.byteLength,
        fileName: fileNameOf(briefing.title, request.format),
        finishedAt: new Date(),
      },
      select,
    });
    await audit(db, ctx, row as Row, false);
    return view(row as Row);
  } catch (error) {
    const message =
      error instanceof DomainError ? error.message : 'The export failed on the server; nothing was exported.';
    if (!(error instanceof DomainError)) deps.logger.error({ err: error, exportJob: id }, 'export failed');
    const failed = { status: 'failed' as const, error: message, finishedAt: new Date() };
    // The briefing may have been deleted meanwhile, or the server be closing: the answer stands.
    const row = await db.prisma.exportJob.update({ where: { id }, data: failed, select }).catch(() => null);
    return row ? view(row as Row) : { ...job, ...failed };
  }
}

async function audit(db: Database, ctx: RequestContext, row: Row, reused: boolean) {
  await recordAudit(db, {
    action: 'briefing.exported',
    workspaceId: ctx.workspaceId,
    actorId: ctx.actor.userId,
    targetType: 'briefing',
    targetId: String(row.briefingId),
    details: {
      exportJob: row.id,
      format: row.format,
      version: row.version,
      style: row.style,
      sha256: row.sha256,
      reused,
    },
    ip: ctx.ip,
  });
}

/** One export job of the context's workspace. */
export async function exportFinder(db: Database, ctx: RequestContext, id: string): Promise<ExportJobView> {
  const row = await db.prisma.exportJob.findFirst({
    where: { id, briefing: { workspaceId: ctx.workspaceId } },
    select,
  });
  if (!row) throw exportNotFound();
  return view(row as Row);
}

/** The finished file of an export job. */
export async function exportFile(
  db: Database,
  ctx: RequestContext,
  id: string,
): Promise<{ file: Uint8Array; fileName: string; contentType: string; sha256: string }> {
  const job = await exportFinder(db, ctx, id);
  if (job.status !== 'done') {
    throw new AppError(
      'export_not_ready',
      job.status === 'failed' ? `This export failed: ${job.error}` : 'This export is not finished yet.',
      { status: job.status },
    );
  }
  const row = await db.prisma.exportJob.findUniqueOrThrow({ where: { id }, select: { file: true } });
  return {
    file: new Uint8Array(row.file!),
    fileName: job.fileName!,
    contentType: FORMAT_FILES[job.format as ExportFormat].contentType,
    sha256: job.sha256!,
  };
}

/** The workspace and status of an export's briefing (what the request context authorises against). */
export async function exportBriefingScope(
  db: Database,
  id: string,
): Promise<{ workspaceId: string; status: string } | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const row = await db.prisma.exportJob.findUnique({
    where: { id },
    select: { briefing: { select: { workspaceId: true, status: true } } },
  });
  return row?.briefing ?? null;
}
