import { citationNumbers, type Excerpt, type ExcerptVerdict, inspectExcerpts } from '@debrief/briefing';
import type { Database } from '@debrief/db';
import { sha256Hex, verifyExcerpt } from '@debrief/sources';
import type * as Y from 'yjs';

/** Transaction origin of the server's own status and id corrections. */
export const CITATION_CHECK = 'citation-check';

/** What the projector needs of a loaded document. */
export interface ProjectedDocument {
  readonly briefingId: string;
  readonly doc: Y.Doc;
}

/** Where the projector reports excerpts written in the wrong shape (pino's Logger fits). */
export interface ProjectorLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

interface CheckedExcerpt extends ExcerptVerdict {
  excerpt: Excerpt;
  excerptId: string;
}

/** A source's text never changes after import, so it is cached by id (bounded). */
class SourceTextCache {
  private readonly entries = new Map<string, { workspaceId: string; text: string }>();
  constructor(
    private readonly db: Database,
    private readonly capacity = 200,
  ) {}

  async load(ids: string[]): Promise<Map<string, { workspaceId: string; text: string }>> {
    const missing = ids.filter((id) => !this.entries.has(id));
    if (missing.length > 0) {
      const rows = await this.db.prisma.source.findMany({
        where: { id: { in: missing.filter(isUuid) } },
        select: { id: true, workspaceId: true, text: true },
      });
      for (const row of rows) {
        this.entries.set(row.id, { workspaceId: row.workspaceId, text: row.text });
        if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
      }
    }
    const found = new Map<string, { workspaceId: string; text: string }>();
    for (const id of ids) {
      const entry = this.entries.get(id);
      if (entry) found.set(id, entry);
    }
    return found;
  }
}

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

const verdict = (
  status: ExcerptVerdict['status'],
  statusReason: string | null = null,
  anchoredStart: number | null = null,
  anchoredEnd: number | null = null,
): ExcerptVerdict => ({ status, statusReason, anchoredStart, anchoredEnd });

/** The verdict an element carries now, as written (a client may have written anything there). */
function writtenVerdict(element: Y.XmlElement): Record<keyof ExcerptVerdict, unknown> {
  return {
    status: element.getAttribute('status'),
    statusReason: element.getAttribute('statusReason') ?? null,
    anchoredStart: element.getAttribute('anchoredStart') ?? null,
    anchoredEnd: element.getAttribute('anchoredEnd') ?? null,
  };
}

const VERDICT_KEYS = ['status', 'statusReason', 'anchoredStart', 'anchoredEnd'] as const;

const sameVerdict = (element: Y.XmlElement, next: ExcerptVerdict): boolean => {
  const written = writtenVerdict(element);
  return VERDICT_KEYS.every((key) => written[key] === next[key]);
};

/** Writes a verdict as y-prosemirror would write the node's attributes: a null is no attribute. */
function writeVerdict(element: Y.XmlElement, next: ExcerptVerdict): void {
  for (const key of VERDICT_KEYS) {
    const value = next[key];
    if (value === null) element.removeAttribute(key);
    else element.setAttribute(key, value as string);
  }
}

/**
 * Checks every excerpt against its source whenever the document changed, mirrors the well-formed
 * ones into the Citation table, and writes the verdict into the excerpt element (server-owned
 * attributes: `status`, `statusReason`, `anchoredStart`, `anchoredEnd`):
 * - invalid: the element is not in the excerpt shape (a missing or mistyped attribute…); the
 *   reason says what is wrong, and the server log has a warning;
 * - modified: the quote no longer matches its hash, or its hash is not the one first seen;
 * - anchored / moved / fuzzy: found at its position / elsewhere exactly / approximately, at the
 *   anchored offsets;
 * - orphaned: not found, or its source is missing or belongs to another workspace.
 * Each row carries the excerpt's credibility and its source's reliability (the Admiralty grade).
 * An excerpt copied within the document keeps its id; the copy gets a fresh one.
 */
export function citationProjector(db: Database, logger?: ProjectorLogger) {
  const sources = new SourceTextCache(db);
  // Most edits are prose: when no excerpt changed since the last check, there is nothing to do.
  const lastChecked = new WeakMap<ProjectedDocument, string>();
  return async (document: ProjectedDocument): Promise<void> => {
    const { briefingId, doc } = document;
    const { excerpts, invalid } = inspectExcerpts(doc);
    const signature = JSON.stringify([
      excerpts.map(({ element: _element, ...attrs }) => attrs),
      invalid.map(({ element }) => element.getAttributes()),
    ]);
    if (lastChecked.get(document) === signature) return;
    const briefing = await db.prisma.briefing.findUnique({ where: { id: briefingId }, select: { workspaceId: true } });
    if (!briefing) return;
    const existing = new Map(
      (await db.prisma.citation.findMany({ where: { briefingId } })).map((row) => [row.excerptId, row]),
    );
    const sourceIds = [...new Set(excerpts.map((e) => e.sourceId))];
    const texts = await sources.load(sourceIds);
    // A source's grade changes (sourceEditor mirrors it into existing rows); its text never does.
    const grades = new Map(
      (
        await db.prisma.source.findMany({
          where: { id: { in: sourceIds.filter(isUuid) } },
          select: { id: true, reliability: true },
        })
      ).map((row) => [row.id, row.reliability]),
    );

    const seenIds = new Set<string>();
    const checked: CheckedExcerpt[] = excerpts.map((excerpt) => {
      const excerptId = seenIds.has(excerpt.excerptId) ? globalThis.crypto.randomUUID() : excerpt.excerptId;
      seenIds.add(excerptId);
      const original = existing.get(excerptId)?.originalSha256 ?? excerpt.quoteSha256;
      const source = texts.get(excerpt.sourceId);
      // A quote whose hash is not the one first seen was changed after it was made.
      if (sha256Hex(excerpt.exact) === excerpt.quoteSha256 && excerpt.quoteSha256 !== original) {
        return { excerpt, excerptId, ...verdict('modified', 'quoteSha256 is not the one first seen for this excerpt') };
      }
      const text = source && source.workspaceId === briefing.workspaceId ? source.text : null;
      return { excerpt, excerptId, ...verifyExcerpt(excerpt, text) };
    });

    const corrections = checked.filter(
      (c) => !sameVerdict(c.excerpt.element, c) || c.excerptId !== c.excerpt.excerptId,
    );
    const newlyInvalid = invalid.filter(({ element, reason }) => !sameVerdict(element, verdict('invalid', reason)));
    if (corrections.length > 0 || newlyInvalid.length > 0) {
      doc.transact(() => {
        for (const c of corrections) {
          writeVerdict(c.excerpt.element, c);
          c.excerpt.element.setAttribute('excerptId', c.excerptId);
        }
        for (const { element, reason } of newlyInvalid) writeVerdict(element, verdict('invalid', reason));
      }, CITATION_CHECK);
    }
    for (const { element, sectionId, reason } of newlyInvalid) {
      const excerptId = element.getAttribute('excerptId');
      logger?.warn(
        { briefingId, sectionId, ...(typeof excerptId === 'string' ? { excerptId } : {}), reason },
        'excerpt in the wrong shape marked invalid',
      );
    }

    const numbers = citationNumbers(excerpts);
    const rows = checked
      .filter((c) => texts.get(c.excerpt.sourceId)?.workspaceId === briefing.workspaceId)
      .map((c) => ({
        briefingId,
        sourceId: c.excerpt.sourceId,
        excerptId: c.excerptId,
        sectionId: c.excerpt.sectionId,
        ordinal: c.excerpt.ordinal,
        number: numbers.get(c.excerpt.sourceId) ?? 0,
        exact: c.excerpt.exact,
        prefix: c.excerpt.prefix,
        suffix: c.excerpt.suffix,
        start: c.excerpt.start,
        end: c.excerpt.end,
        quoteSha256: c.excerpt.quoteSha256,
        originalSha256: existing.get(c.excerptId)?.originalSha256 ?? c.excerpt.quoteSha256,
        status: c.status,
        anchoredStart: c.anchoredStart,
        anchoredEnd: c.anchoredEnd,
        note: c.excerpt.note || null,
        reliability: grades.get(c.excerpt.sourceId) ?? null,
        credibility: c.excerpt.credibility,
      }));
    const unchanged = (row: (typeof rows)[number]) => {
      const old = existing.get(row.excerptId);
      return old !== undefined && (Object.keys(row) as Array<keyof typeof row>).every((key) => old[key] === row[key]);
    };
    const keep = new Set(rows.map((r) => r.excerptId));
    const gone = [...existing.keys()].filter((id) => !keep.has(id));
    const changed = rows.filter((row) => !unchanged(row));
    if (gone.length > 0 || changed.length > 0) {
      await db.prisma.$transaction([
        db.prisma.citation.deleteMany({
          where: { briefingId, excerptId: { in: [...gone, ...changed.map((r) => r.excerptId)] } },
        }),
        db.prisma.citation.createMany({ data: changed }),
      ]);
    }
    // After our own corrections the next run sees the corrected excerpts, and settles then.
    if (corrections.length === 0 && newlyInvalid.length === 0) lastChecked.set(document, signature);
  };
}
