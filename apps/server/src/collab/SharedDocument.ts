import type { Logger } from 'pino';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { ClientConnection } from './ClientConnection.ts';
import type { DocumentStore, StoredDocument } from './DocumentStore.ts';
import { awarenessMessage, updateMessage } from './messages.ts';
import type { UpdateLogWriter } from './UpdateLogWriter.ts';

/** Transaction origin of state read from the database: not logged again. */
const LOADED = Symbol('loaded');

export interface SharedDocumentDeps {
  store: DocumentStore;
  writer: UpdateLogWriter;
  logger: Logger;
  /** Fold the log into a snapshot once this many updates accumulated. */
  compactAfterUpdates: number;
  /** Called (debounced by the registry) after durable changes, to refresh derived rows. */
  onDurableChange(document: SharedDocument): void;
  /** Called when the document can no longer be persisted (its briefing was deleted). */
  onLost(document: SharedDocument, error: Error): void;
}

/**
 * One loaded briefing: its Y.Doc, awareness and connections.
 *
 * Durability rule: an edit is applied to the in-memory doc (so Yjs yields the effective update,
 * without what the server already had), appended to the log, and only after that append has
 * committed is it broadcast. Sync replies are encoded when asked and sent only after every append
 * issued before them has committed. So no peer ever holds state the database does not.
 */
export class SharedDocument {
  readonly doc = new Y.Doc();
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<ClientConnection>();
  private durable: Promise<void> = Promise.resolve();
  private lastUpdateId: bigint;
  private updatesSinceSnapshot: number;
  private compacting: Promise<void> | null = null;

  constructor(
    readonly briefingId: string,
    stored: StoredDocument,
    private readonly deps: SharedDocumentDeps,
  ) {
    this.doc.transact(() => {
      for (const update of stored.updates) Y.applyUpdate(this.doc, update);
    }, LOADED);
    this.lastUpdateId = stored.lastUpdateId;
    this.updatesSinceSnapshot = stored.updatesSinceSnapshot;
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The server itself is not a participant.
    this.awareness.setLocalState(null);
    this.doc.on('update', this.onUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  /** Resolves once every change applied so far is in the database. Never rejects. */
  whenDurable(): Promise<void> {
    return this.durable;
  }

  /** Sends `message` once every change applied before this call is durable. */
  sendWhenDurable(connection: ClientConnection, message: Uint8Array): void {
    void this.durable.then(() => connection.send(message));
  }

  get pendingCompaction(): boolean {
    return this.updatesSinceSnapshot > 0;
  }

  addConnection(connection: ClientConnection): void {
    this.connections.add(connection);
  }

  removeConnection(connection: ClientConnection): void {
    this.connections.delete(connection);
    if (connection.awarenessIds.size > 0) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...connection.awarenessIds], null);
    }
  }

  /** Folds the log into one snapshot; concurrent calls share one run. */
  compact(): Promise<void> {
    this.compacting ??= (async () => {
      try {
        await this.durable;
        if (this.updatesSinceSnapshot === 0) return;
        const covered = this.updatesSinceSnapshot;
        const upTo = this.lastUpdateId;
        await this.deps.store.compact(this.briefingId, Y.encodeStateAsUpdate(this.doc), upTo);
        this.updatesSinceSnapshot -= covered;
      } catch (error) {
        this.deps.logger.warn({ err: error, briefingId: this.briefingId }, 'compaction failed; the log keeps the data');
      } finally {
        this.compacting = null;
      }
    })();
    return this.compacting;
  }

  destroy(): void {
    this.doc.off('update', this.onUpdate);
    this.awareness.off('update', this.onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  private broadcast(message: Uint8Array, except: unknown): void {
    for (const connection of this.connections) {
      if (connection !== except) connection.send(message);
    }
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === LOADED) return;
    const appended = this.deps.writer.append(this.briefingId, update);
    this.durable = this.durable.then(
      () =>
        appended.then(
          (id) => {
            if (id > this.lastUpdateId) this.lastUpdateId = id;
            this.updatesSinceSnapshot++;
            this.broadcast(updateMessage(update), origin);
            this.deps.onDurableChange(this);
            if (this.updatesSinceSnapshot >= this.deps.compactAfterUpdates) void this.compact();
          },
          (error: Error) => this.deps.onLost(this, error),
        ),
      // `durable` never rejects, but stay safe if a hook throws.
      (error: Error) => this.deps.logger.error({ err: error }, 'durability chain failed'),
    );
  };

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin instanceof ClientConnection) {
      for (const id of added) origin.awarenessIds.add(id);
      for (const id of removed) origin.awarenessIds.delete(id);
    }
    const changed = [...added, ...updated, ...removed];
    if (changed.length === 0) return;
    this.broadcast(awarenessMessage(this.awareness, changed), origin);
  };
}
