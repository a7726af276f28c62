import { citationNumbers, type Excerpt, type ExcerptStatus, getExcerpts } from '@debrief/briefing';
import type { Database } from '@debrief/db';
import { anchorQuote, sha256Hex } from '@debrief/sources';
import type { SharedDocument } from './SharedDocument.ts';

/** Transaction origin of the server's own status and id corrections. */
export const CITATION_CHECK = 'citation-check';

interface CheckedExcerpt {
  excerpt: Excerpt;
  excerptId: string;
  status: ExcerptStatus;
  anchoredStart: number | null;
  anchoredEnd: number | null;
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

/**
 * Checks every excerpt against its source whenever the document changed, mirrors them into the
 * Citation table, and writes the verdict into the excerpt's `status` attribute (server-owned):
 * - modified: the quote no longer matches its hash, or its hash is not the one first seen;
 * - anchored / moved / fuzzy: found at its position / elsewhere exactly / approximately;
 * - orphaned: not found, or its source is missing or belongs to another workspace.
 * An excerpt copied within the document keeps its id; the copy gets a fresh one.
 */
export function citationProjector(db: Database) {
  const sources = new SourceTextCache(db);
  // Most edits are prose: when no excerpt changed since the last check, there is nothing to do.
  const lastChecked = new WeakMap<SharedDocument, string>();
  return async (document: SharedDocument): Promise<void> => {
    const { briefingId, doc } = document;
    const excerpts = getExcerpts(doc);
    const signature = JSON.stringify(excerpts.map(({ element: _element, ...attrs }) => attrs));
    if (lastChecked.get(document) === signature) return;
    const briefing = await db.prisma.briefing.findUnique({ where: { id: briefingId }, select: { workspaceId: true } });
    if (!briefing) return;
    const existing = new Map(
      (await db.prisma.citation.findMany({ where: { briefingId } })).map((row) => [row.excerptId, row]),
    );
    const texts = await sources.load([...new Set(excerpts.map((e) => e.sourceId))]);

    const seenIds = new Set<string>();
    const checked: CheckedExcerpt[] = excerpts.map((excerpt) => {
      const excerptId = seenIds.has(excerpt.excerptId) ? globalThis.crypto.randomUUID() : excerpt.excerptId;
      seenIds.add(excerptId);
      const original = existing.get(excerptId)?.originalSha256 ?? excerpt.quoteSha256;
      const source = texts.get(excerpt.sourceId);
      if (sha256Hex(excerpt.exact) !== excerpt.quoteSha256 || excerpt.quoteSha256 !== original) {
        return { excerpt, excerptId, status: 'modified', anchoredStart: null, anchoredEnd: null };
      }
      if (!source || source.workspaceId !== briefing.workspaceId) {
        return { excerpt, excerptId, status: 'orphaned', anchoredStart: null, anchoredEnd: null };
      }
      const result = anchorQuote(source.text, {
        quote: { type: 'TextQuoteSelector', exact: excerpt.exact, prefix: excerpt.prefix, suffix: excerpt.suffix },
        ...(Number.isInteger(excerpt.start) && Number.isInteger(excerpt.end)
          ? { position: { type: 'TextPositionSelector' as const, start: excerpt.start, end: excerpt.end } }
          : {}),
      });
      return {
        excerpt,
        excerptId,
        status: result.status,
        anchoredStart: result.start ?? null,
        anchoredEnd: result.end ?? null,
      };
    });

    const corrections = checked.filter((c) => c.status !== c.excerpt.status || c.excerptId !== c.excerpt.excerptId);
    if (corrections.length > 0) {
      doc.transact(() => {
        for (const c of corrections) {
          c.excerpt.element.setAttribute('status', c.status);
          c.excerpt.element.setAttribute('excerptId', c.excerptId);
        }
      }, CITATION_CHECK);
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
        start: Number.isInteger(c.excerpt.start) ? c.excerpt.start : -1,
        end: Number.isInteger(c.excerpt.end) ? c.excerpt.end : -1,
        quoteSha256: c.excerpt.quoteSha256,
        originalSha256: existing.get(c.excerptId)?.originalSha256 ?? c.excerpt.quoteSha256,
        status: c.status,
        anchoredStart: c.anchoredStart,
        anchoredEnd: c.anchoredEnd,
        note: c.excerpt.note || null,
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
    if (corrections.length === 0) lastChecked.set(document, signature);
  };
}
