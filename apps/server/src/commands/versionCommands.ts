import { type BriefingJSON, briefingToJSON, openVersion, restoreVersion } from '@debrief/briefing';
import { bytes, type Database } from '@debrief/db';
import { DomainError } from '@debrief/errors';
import * as Y from 'yjs';
import type { DocumentRegistry } from '../collab/DocumentRegistry.ts';
import type { RequestContext } from '../context/requestContext.ts';
import type { Projection } from '../extensions/Projection.ts';
import { briefingFinder, briefingNotFound } from './briefingFinder.ts';

/**
 * A briefing's versions: the names a lead gave to states of it ("Sent to commander") and the
 * automatic ones, the compaction checkpoints the server keeps while people edit. Both are rows of
 * Snapshot holding a whole document state.
 */
export interface VersionRow {
  id: string;
  name: string | null;
  kind: 'named' | 'automatic';
  createdAt: Date;
  createdBy: { id: string; name: string } | null;
}

type Deps = {
  db: Database;
  registry: DocumentRegistry;
  projections: { briefingRow: Projection; citations: Projection };
};

export const versionNotFound = () => new DomainError('version_not_found', 404, 'This briefing has no such version.');

const select = { id: true, name: true, createdAt: true, createdById: true } as const;

async function toRows(
  db: Database,
  rows: Array<{ id: bigint; name: string | null; createdAt: Date; createdById: string | null }>,
): Promise<VersionRow[]> {
  const ids = [...new Set(rows.flatMap((r) => (r.createdById ? [r.createdById] : [])))];
  const users = await db.prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  const names = new Map(users.map((u) => [u.id, u.name]));
  return rows.map((row) => ({
    id: row.id.toString(),
    name: row.name,
    kind: row.name === null ? 'automatic' : 'named',
    createdAt: row.createdAt,
    createdBy:
      row.createdById && names.has(row.createdById) ? { id: row.createdById, name: names.get(row.createdById)! } : null,
  }));
}

/** Every version of a briefing, newest first. */
export async function versionLister(db: Database, ctx: RequestContext, briefingId: string): Promise<VersionRow[]> {
  await briefingFinder(db, ctx, briefingId);
  const rows = await db.prisma.snapshot.findMany({ where: { briefingId }, orderBy: { id: 'desc' }, select });
  return toRows(db, rows);
}

const parseVersion = (version: string): bigint | null => (/^\d{1,18}$/.test(version) ? BigInt(version) : null);

/** A version's summary and its whole document state. */
export async function versionState(db: Database, briefingId: string, version: string) {
  const id = parseVersion(version);
  const row =
    id === null
      ? null
      : await db.prisma.snapshot.findFirst({ where: { id, briefingId }, select: { ...select, state: true } });
  if (!row) throw versionNotFound();
  const [summary] = await toRows(db, [row]);
  return { version: summary!, state: new Uint8Array(row.state) };
}

/** One version, read only: the briefing as it was (briefingToJSON of that state). */
export async function versionFinder(
  db: Database,
  ctx: RequestContext,
  input: { id: string; version: string },
): Promise<{ version: VersionRow; briefing: BriefingJSON }> {
  await briefingFinder(db, ctx, input.id);
  const { version, state } = await versionState(db, input.id, input.version);
  const doc = openVersion(state);
  try {
    return { version, briefing: briefingToJSON(doc) };
  } finally {
    doc.destroy();
  }
}

/** Saves the briefing as it is now, under `name`, once every edit so far is durable. */
async function saveVersion(deps: Deps, ctx: RequestContext, briefingId: string, name: string, doc: Y.Doc) {
  const briefing = await deps.db.prisma.briefing.findUnique({ where: { id: briefingId }, select: { lastSeq: true } });
  if (!briefing) throw briefingNotFound();
  const row = await deps.db.prisma.snapshot.create({
    data: {
      briefingId,
      name,
      state: bytes(Y.encodeStateAsUpdate(doc)),
      upToSeq: briefing.lastSeq,
      createdById: ctx.actor.userId,
    },
    select,
  });
  return (await toRows(deps.db, [row]))[0]!;
}

export async function versionCreator(
  deps: Deps,
  ctx: RequestContext,
  input: { id: string; name: string },
): Promise<VersionRow> {
  await briefingFinder(deps.db, ctx, input.id);
  const saved = await deps.registry.use(input.id, async (document) => {
    await document.whenDurable();
    return saveVersion(deps, ctx, input.id, input.name, document.doc);
  });
  if (!saved) throw briefingNotFound();
  return saved;
}

const timeOf = (date: Date) => date.toISOString().slice(0, 16).replace('T', ' ');

/**
 * Restores a version: first the briefing as it is now is saved as a version ("Before restoring
 * …"), so nothing is lost and restoring that one undoes this; then the content is brought back as
 * one live change (restoreVersion) that everyone with the briefing open sees.
 */
export async function versionRestorer(
  deps: Deps,
  ctx: RequestContext,
  input: { id: string; version: string },
): Promise<{ restored: VersionRow; restorePoint: VersionRow }> {
  await briefingFinder(deps.db, ctx, input.id);
  const { version, state } = await versionState(deps.db, input.id, input.version);
  const label = version.name ? `“${version.name}”` : `the automatic version of ${timeOf(version.createdAt)} UTC`;
  const done = await deps.registry.use(input.id, async (document) => {
    await document.whenDurable();
    const restorePoint = await saveVersion(deps, ctx, input.id, `Before restoring ${label}`, document.doc);
    restoreVersion(document.doc, state, 'api');
    await Promise.all([deps.projections.briefingRow.flush(document), deps.projections.citations.flush(document)]);
    return { restored: version, restorePoint };
  });
  if (!done) throw briefingNotFound();
  return done;
}
