import { migrateBriefing } from '@debrief/briefing';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.ts';
import type { DocumentStore } from './DocumentStore.ts';
import { SharedDocument } from './SharedDocument.ts';
import { DocumentUnloadableError, openStoredDocument } from './storedDocument.ts';
import type { UpdateLogWriter } from './UpdateLogWriter.ts';

export { DocumentUnloadableError } from './storedDocument.ts';

export interface RegistryOptions {
  /** How long a document with no users stays in memory. */
  idleUnloadMs: number;
  compactAfterUpdates: number;
  /** Debounce of derived-row refreshes after changes. */
  projectionDelayMs: number;
}

/** Refreshes the relational rows derived from a document (title, updatedAt, later citations). */
export type Projector = (document: SharedDocument) => Promise<void>;

/** What happens to the connections of a document the registry drops. */
export type CloseConnections = (document: SharedDocument, code: number, reason: string) => void;

interface Entry {
  loading: Promise<SharedDocument | null>;
  users: number;
  idleTimer?: NodeJS.Timeout | undefined;
  projectionTimer?: NodeJS.Timeout | undefined;
  projecting: Promise<void>;
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

  constructor(
    private readonly store: DocumentStore,
    private readonly writer: UpdateLogWriter,
    private readonly project: Projector,
    private readonly closeConnections: CloseConnections,
    private readonly logger: Logger,
    private readonly options: RegistryOptions,
    private readonly metrics?: Metrics,
  ) {}

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
      const fresh: Entry = { loading: this.load(briefingId), users: 0, projecting: Promise.resolve() };
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
      entry.idleTimer = setTimeout(() => void this.unload(document.briefingId), this.options.idleUnloadMs);
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

  /** Runs the pending derived-row refresh now (e.g. so an API answer reflects an edit). */
  async flushProjection(document: SharedDocument): Promise<void> {
    const entry = this.entries.get(document.briefingId);
    if (!entry) return;
    clearTimeout(entry.projectionTimer);
    entry.projectionTimer = undefined;
    await document.whenDurable();
    entry.projecting = entry.projecting.then(() =>
      this.project(document).catch((error) =>
        this.logger.warn({ err: error, briefingId: document.briefingId }, 'refreshing derived rows failed'),
      ),
    );
    await entry.projecting;
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
    clearTimeout(entry.projectionTimer);
    const document = await entry.loading.catch(() => null);
    if (!document) return;
    this.closeConnections(document, code, reason);
    await document.whenDurable();
    document.destroy();
  }

  /** Unloads every document: connections closed with `code`, logs flushed and compacted. */
  async unloadAll(code: number, reason: string): Promise<void> {
    const ids = [...this.entries.keys()];
    await Promise.all(
      ids.map(async (id) => {
        const document = await this.entries.get(id)?.loading.catch(() => null);
        if (document) this.closeConnections(document, code, reason);
        await this.unload(id);
      }),
    );
  }

  private async load(briefingId: string): Promise<SharedDocument | null> {
    const stored = await this.store.load(briefingId);
    if (!stored) return null;
    let doc: ReturnType<typeof openStoredDocument>;
    try {
      doc = openStoredDocument(briefingId, stored);
    } catch (error) {
      if (error instanceof DocumentUnloadableError) {
        this.unloadable.set(briefingId, error);
        this.logger.error(
          { briefingId, badParts: error.badParts.map((p) => ({ row: String(p.row), reason: p.reason })) },
          'stored briefing cannot be loaded; its log is kept as it is (npm run cli -- doc check)',
        );
      }
      throw error;
    }
    this.unloadable.delete(briefingId);
    const document = new SharedDocument(briefingId, doc, stored, {
      store: this.store,
      writer: this.writer,
      logger: this.logger,
      metrics: this.metrics,
      compactAfterUpdates: this.options.compactAfterUpdates,
      onDurableChange: (d) => this.scheduleProjection(d),
      onLost: (d, error) => {
        this.logger.info({ briefingId, reason: error.message }, 'document lost its briefing; evicting');
        void this.evict(d.briefingId, 4404, 'briefing_not_found');
      },
      onBroken: (d, error) => {
        // The log holds only what passed the checks; reloading from it is the way back to a good state.
        this.logger.error({ err: error, briefingId }, 'applying a checked update failed; dropping the in-memory copy');
        this.metrics?.unhandledErrors.inc({ kind: 'apply_update' });
        void this.evict(d.briefingId, 1011, 'internal_error');
      },
    });
    // Migration edits go through the normal path: logged, then visible.
    migrateBriefing(document.doc);
    this.logger.debug({ briefingId, updates: stored.log.length }, 'document loaded');
    return document;
  }

  private scheduleProjection(document: SharedDocument): void {
    const entry = this.entries.get(document.briefingId);
    if (!entry || entry.projectionTimer) return;
    entry.projectionTimer = setTimeout(() => void this.flushProjection(document), this.options.projectionDelayMs);
    entry.projectionTimer.unref();
  }

  private unload(briefingId: string): Promise<void> {
    const entry = this.entries.get(briefingId);
    if (!entry) return Promise.resolve();
    entry.unloading ??= (async () => {
      clearTimeout(entry.idleTimer);
      const document = await entry.loading.catch(() => null);
      if (document) {
        if (entry.projectionTimer) await this.flushProjection(document);
        await entry.projecting;
        await document.whenDurable();
        await document.compact();
        document.destroy();
        this.logger.debug({ briefingId }, 'document unloaded');
      }
      this.entries.delete(briefingId);
    })();
    return entry.unloading;
  }
}
