import { CloseCode, migrateBriefing } from '@debrief/briefing';
import type { Logger } from 'pino';
import type { DocumentStore } from './DocumentStore.ts';
import type { Extensions } from './Extension.ts';
import { SharedDocument } from './SharedDocument.ts';
import { DocumentUnloadableError, openStoredDocument } from './storedDocument.ts';
import type { UpdateLogWriter } from './UpdateLogWriter.ts';

export { DocumentUnloadableError } from './storedDocument.ts';

export interface DocumentRegistryDeps {
  store: DocumentStore;
  writer: UpdateLogWriter;
  extensions: Extensions;
  logger: Logger;
  /** How long a document with no users stays in memory. */
  idleUnloadMs: number;
  /** Fold the log into a snapshot once this many updates accumulated. */
  compactAfterUpdates: number;
  /** Largest state a document may grow to through client updates, in bytes (0: no limit). */
  maxDocumentBytes?: number;
}

interface Entry {
  loading: Promise<SharedDocument | null>;
  users: number;
  idleTimer?: NodeJS.Timeout | undefined;
  unloading?: Promise<void>;
}

/**
 * The documents loaded in this process. A document is loaded once, however many connections or
 * API calls ask for it at the same moment, and nobody gets it before it is fully loaded. Users
 * acquire and release it; when none is left it unloads after `idleUnloadMs`, compacting its log.
 */
export class DocumentRegistry {
  private readonly entries = new Map<string, Entry>();
  /** Briefings whose stored history failed to load, with why; cleared by a successful load. */
  private readonly unloadable = new Map<string, DocumentUnloadableError>();

  constructor(private readonly deps: DocumentRegistryDeps) {}

  get loadedCount(): number {
    return this.entries.size;
  }

  get unloadableCount(): number {
    return this.unloadable.size;
  }

  loadedIds(): string[] {
    return [...this.entries.keys()];
  }

  isLoaded(briefingId: string): boolean {
    return this.entries.has(briefingId);
  }

  /** The loaded document, or null when the briefing does not exist. Pair with `release`. */
  async acquire(briefingId: string): Promise<SharedDocument | null> {
    for (;;) {
      const entry = this.entries.get(briefingId);
      if (entry?.unloading) {
        await entry.unloading;
        continue;
      }
      if (entry) {
        entry.users++;
        clearTimeout(entry.idleTimer);
        entry.idleTimer = undefined;
        const document = await entry.loading;
        if (!document) entry.users--;
        return document;
      }
      const fresh: Entry = { loading: this.load(briefingId), users: 0 };
      this.entries.set(briefingId, fresh);
      fresh.loading.then(
        (document) => {
          if (!document && this.entries.get(briefingId) === fresh) this.entries.delete(briefingId);
        },
        () => {
          if (this.entries.get(briefingId) === fresh) this.entries.delete(briefingId);
        },
      );
    }
  }

  release(document: SharedDocument): void {
    const entry = this.entries.get(document.briefingId);
    if (!entry || entry.unloading) return;
    entry.users = Math.max(0, entry.users - 1);
    if (entry.users === 0) {
      entry.idleTimer = setTimeout(() => void this.unload(document.briefingId), this.deps.idleUnloadMs);
      entry.idleTimer.unref();
    }
  }

  /** Runs `fn` on the loaded document (loading it if needed); null when it does not exist. */
  async use<T>(briefingId: string, fn: (document: SharedDocument) => T | Promise<T>): Promise<T | null> {
    const document = await this.acquire(briefingId);
    if (!document) return null;
    try {
      return await fn(document);
    } finally {
      this.release(document);
    }
  }

  /** Runs `fn` only if the document is in memory now (e.g. to flush what was derived from it). */
  async ifLoaded(briefingId: string, fn: (document: SharedDocument) => Promise<void>): Promise<void> {
    if (this.isLoaded(briefingId)) await this.use(briefingId, fn);
  }

  /**
   * Drops a document at once, closing its connections with `code` (briefing deleted). Nothing is
   * compacted: its rows are about to go.
   */
  async evict(briefingId: string, code: number, reason: string): Promise<void> {
    const entry = this.entries.get(briefingId);
    if (!entry) return;
    this.entries.delete(briefingId);
    clearTimeout(entry.idleTimer);
    const document = await entry.loading.catch(() => null);
    if (!document) return;
    document.closeConnections(code, reason);
    await document.whenDurable();
    document.destroy();
  }

  /** Unloads every document: connections closed with `code`, logs flushed and compacted. */
  async unloadAll(code: number, reason: string): Promise<void> {
    const ids = [...this.entries.keys()];
    await Promise.all(
      ids.map(async (id) => {
        const document = await this.entries.get(id)?.loading.catch(() => null);
        document?.closeConnections(code, reason);
        await this.unload(id);
      }),
    );
  }

  private async load(briefingId: string): Promise<SharedDocument | null> {
    const { store, writer, extensions, logger, compactAfterUpdates, maxDocumentBytes } = this.deps;
    const stored = await store.load(briefingId);
    if (!stored) return null;
    let doc: ReturnType<typeof openStoredDocument>;
    try {
      doc = openStoredDocument(briefingId, stored);
    } catch (error) {
      if (error instanceof DocumentUnloadableError) {
        this.unloadable.set(briefingId, error);
        logger.error(
          { briefingId, badParts: error.badParts.map((p) => ({ row: String(p.row), reason: p.reason })) },
          'stored briefing cannot be loaded; its log is kept as it is (npm run cli -- doc check)',
        );
      }
      throw error;
    }
    this.unloadable.delete(briefingId);
    const bytes = stored.log.reduce((sum, row) => sum + row.data.byteLength, stored.snapshot?.byteLength ?? 0);
    const document = new SharedDocument(
      briefingId,
      stored.workspaceId,
      doc,
      { ...stored, bytes },
      {
        store,
        writer,
        extensions,
        logger,
        compactAfterUpdates,
        maxDocumentBytes,
        onLost: (d, error) => {
          logger.info({ briefingId, reason: error.message }, 'document lost its briefing; evicting');
          void this.evict(d.briefingId, CloseCode.NotFound, 'briefing_not_found');
        },
        onBroken: (d, error) => {
          // The log holds only what passed the checks; reloading from it is the way back to a good state.
          logger.error({ err: error, briefingId }, 'applying a checked update failed; dropping the in-memory copy');
          extensions.emit('onFault', 'apply_update', error);
          void this.evict(d.briefingId, 1011, 'internal_error');
        },
      },
    );
    try {
      // Migration edits go through the normal path: logged, then visible.
      migrateBriefing(document.doc);
      await extensions.load(document);
    } catch (error) {
      // A briefing of a newer schema, an extension that failed: this copy is never served.
      document.destroy();
      throw error;
    }
    logger.debug({ briefingId, updates: stored.log.length }, 'document loaded');
    return document;
  }

  private unload(briefingId: string): Promise<void> {
    const entry = this.entries.get(briefingId);
    if (!entry) return Promise.resolve();
    entry.unloading ??= (async () => {
      clearTimeout(entry.idleTimer);
      const document = await entry.loading.catch(() => null);
      if (document) {
        await document.whenDurable();
        await this.deps.extensions.unload(document);
        await document.whenDurable();
        await document.compact();
        document.destroy();
        this.deps.logger.debug({ briefingId }, 'document unloaded');
      }
      this.entries.delete(briefingId);
    })();
    return entry.unloading;
  }
}
