import {
  awarenessMessage,
  ProtocolError,
  ROOT_TYPES,
  syncStep1Message,
  syncStep2Message,
  updateMessage,
} from '@debrief/briefing';
import type { Resource } from '@debrief/policy';
import type { Logger } from 'pino';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { ClientConnection } from './ClientConnection.ts';
import { type AwarenessProblem, checkAwareness, encodeAwarenessEntries } from './checkAwareness.ts';
import { checkUpdate } from './checkUpdate.ts';
import type { DocumentStore, StoredDocument } from './DocumentStore.ts';
import type { Extensions } from './Extension.ts';
import { serverOwnedKeyTouched } from './editAccess.ts';
import { AWARENESS_LIMITS } from './limits.ts';
import { compactedState } from './storedDocument.ts';
import type { UpdateLogWriter } from './UpdateLogWriter.ts';

export interface SharedDocumentDeps {
  store: DocumentStore;
  writer: UpdateLogWriter;
  logger: Logger;
  /** Fold the log into a snapshot once this many updates accumulated. */
  compactAfterUpdates: number;
  extensions: Extensions;
  /** Called when the document can no longer be persisted (its briefing was deleted). */
  onLost(document: SharedDocument, error: Error): void;
  /**
   * Called when Yjs threw while applying an update that passed every check: the in-memory state
   * can no longer be trusted, so the registry drops it and the next user reloads from the log.
   */
  onBroken(document: SharedDocument, error: Error): void;
}

/** Connections from which updates committed together are merged into one message (see broadcastCommitted). */
const MERGE_FOR_AUDIENCE = 16;
/** Most updates merged into one message. */
const MERGE_AT_MOST = 64;

/**
 * One loaded briefing: its Y.Doc, awareness and connections.
 *
 * Durability rule: an edit is applied to the in-memory doc (so Yjs yields the effective update,
 * without what the server already had), appended to the log, and only after that append has
 * committed is it broadcast. Sync replies are encoded when asked and sent only after every append
 * issued before them has committed. So no peer ever holds state the database does not.
 */
export class SharedDocument {
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<ClientConnection>();
  /**
   * Who announced each awareness client id: the live connection, and the user it belongs to. A
   * connection speaks only for its own id; after it leaves, only the same user may take the id
   * up again (a reconnecting tab), so nobody can wear a departed user's presence.
   */
  private readonly awarenessOwners = new Map<number, { connection: ClientConnection | null; userId: string }>();
  /** Presence changes not yet relayed: relayed together, at most once per broadcast interval. */
  private readonly awarenessPending = {
    added: new Set<number>(),
    updated: new Set<number>(),
    removed: new Set<number>(),
  };
  private awarenessOrigins = new Set<unknown>();
  private awarenessTimer: NodeJS.Timeout | undefined;
  private durable: Promise<void> = Promise.resolve();
  /** Committed updates not yet broadcast: sent together at the end of this event-loop turn. */
  private committed: { update: Uint8Array; origin: unknown }[] = [];
  /** The whole state as a sync step 2 (for joiners that have nothing), until the next change. */
  private fullStateReply: Uint8Array | null = null;
  /** The seq of the last update this process knows to be in the log. */
  private lastSeq: bigint;
  private updatesSinceSnapshot: number;
  private compacting: Promise<void> | null = null;

  /** `doc` holds the stored state (openStoredDocument); only what happens from now on is logged. */
  constructor(
    readonly briefingId: string,
    /** The workspace the briefing belongs to: what policies are checked against. */
    readonly workspaceId: string,
    readonly doc: Y.Doc,
    stored: Pick<StoredDocument, 'lastSeq' | 'updatesSinceSnapshot'>,
    private readonly deps: SharedDocumentDeps,
  ) {
    this.lastSeq = stored.lastSeq;
    this.updatesSinceSnapshot = stored.updatesSinceSnapshot;
    this.awareness = new awarenessProtocol.Awareness(this.doc);
    // The server itself is not a participant.
    this.awareness.setLocalState(null);
    this.doc.on('update', this.onUpdate);
    this.awareness.on('update', this.onAwarenessUpdate);
  }

  /** What policies about this briefing are checked against. */
  get resource(): Resource {
    return { kind: 'briefing', workspaceId: this.workspaceId };
  }

  /** Resolves once every change applied so far is in the database. Never rejects. */
  whenDurable(): Promise<void> {
    return this.durable;
  }

  /**
   * The sync step 2 answering a client's state vector. A joiner with an empty document gets the
   * whole state, encoded once per state however many join at once (a join storm on a big briefing
   * otherwise encodes it once per joiner).
   */
  syncReply(stateVector: Uint8Array): Uint8Array {
    if (stateVector.length !== 1 || stateVector[0] !== 0) return syncStep2Message(this.doc, stateVector);
    this.fullStateReply ??= syncStep2Message(this.doc, stateVector);
    return this.fullStateReply;
  }

  /** Sends `message` once every change applied before this call is durable. */
  sendWhenDurable(connection: ClientConnection, message: Uint8Array): void {
    void this.durable.then(() => connection.send(message));
  }

  addConnection(connection: ClientConnection): void {
    this.connections.add(connection);
    this.deps.extensions.emit('onConnect', this, connection);
  }

  /** Closes every connection (the briefing was deleted, or the server is going away). */
  closeConnections(code: number, reason: string): void {
    for (const connection of this.connections) connection.close(code, reason);
  }

  removeConnection(connection: ClientConnection, code: number): void {
    if (!this.connections.delete(connection)) return;
    this.deps.extensions.emit('onDisconnect', this, connection, code);
    for (const id of connection.awarenessIds) {
      const owner = this.awarenessOwners.get(id);
      if (owner?.connection === connection) owner.connection = null;
    }
    const present = [...connection.awarenessIds].filter((id) => this.awareness.getStates().has(id));
    if (present.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, present, null);
  }

  /**
   * A client's update, checked before it touches the document (checkUpdate): refused ones close
   * the connection, ones that build on operations the server lacks get a sync step 1 back (the
   * client answers with everything missing), ones that write a key only the server writes (the
   * status, the schema version) are refused like a viewer's (`onServerOwnedWrite`), the rest are
   * applied and go the durable way.
   */
  receiveUpdate(connection: ClientConnection, update: Uint8Array, onServerOwnedWrite: (key: string) => void): void {
    const verdict = checkUpdate(update, this.doc, ROOT_TYPES);
    this.deps.extensions.emit('onUpdateChecked', verdict.kind);
    if (verdict.kind === 'refuse') throw new ProtocolError(verdict.reason);
    if (verdict.kind === 'missing') {
      connection.logger.info({ reason: verdict.reason }, 'update builds on operations the server lacks; resyncing');
      connection.send(syncStep1Message(this.doc));
      return;
    }
    // The status and the schema version are the server's to write.
    const owned = serverOwnedKeyTouched(update, this.doc);
    if (owned !== null) {
      connection.logger.info({ key: owned }, 'refused an update that writes a key only the server writes');
      onServerOwnedWrite(owned);
      return;
    }
    try {
      Y.applyUpdate(this.doc, update, connection);
    } catch (error) {
      this.deps.onBroken(this, error as Error);
    }
  }

  /**
   * A client's presence. Every entry is checked first (checkAwareness: a bad one closes the
   * connection); a connection speaks only for its own client id, claimed on first use, and an
   * update naming any other (another connection's, the server's, a second one) is dropped whole.
   * The `user` of every state is the connection's account (name and colour), whatever was sent.
   */
  receiveAwareness(connection: ClientConnection, update: Uint8Array): void {
    let entries: ReturnType<typeof checkAwareness>;
    try {
      entries = checkAwareness(update);
    } catch (error) {
      this.deps.extensions.emit('onAwarenessRefused', 'invalid');
      throw new ProtocolError((error as AwarenessProblem).message);
    }
    const mayClaim = (id: number) => {
      if (id === this.doc.clientID) return false;
      const owner = this.awarenessOwners.get(id);
      if (owner?.connection) return owner.connection === connection;
      if (owner && owner.userId !== connection.principal.userId) return false;
      return connection.awarenessIds.has(id) || connection.awarenessIds.size < AWARENESS_LIMITS.idsPerConnection;
    };
    const own = entries.filter((entry) => mayClaim(entry.clientId));
    const foreign = entries.filter((entry) => !mayClaim(entry.clientId));
    // Stock y-websocket clients send every presence change they receive back to the server: an
    // entry for someone else's id that is not newer than what the server has is such an echo.
    const known = (id: number) => this.awareness.meta.get(id)?.clock ?? -1;
    const usurping = foreign.find((entry) => entry.clock > known(entry.clientId));
    if (usurping) {
      this.deps.extensions.emit('onAwarenessRefused', 'foreign_id');
      connection.logger.info(
        { clientId: usurping.clientId },
        'dropped awareness for a client id this connection does not own',
      );
      return;
    }
    if (own.length === 0) return;
    for (const { clientId } of own) {
      this.awarenessOwners.set(clientId, { connection, userId: connection.principal.userId });
      connection.awarenessIds.add(clientId);
    }
    // Who someone is comes from their account, not from what their client says.
    const { name, color } = connection.principal;
    const stamped = own.map((entry) =>
      entry.state !== null && typeof entry.state === 'object' && !Array.isArray(entry.state)
        ? { ...entry, state: { ...entry.state, user: { name, color: color ?? null } } }
        : entry,
    );
    awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(stamped), connection);
  }

  /**
   * Folds the log into one snapshot, built from the database rows (DocumentStore.compact), so it
   * holds exactly what is durable, whatever this process has in memory. Concurrent calls share
   * one run.
   */
  compact(): Promise<void> {
    this.compacting ??= (async () => {
      try {
        await this.durable;
        if (this.updatesSinceSnapshot === 0) return;
        const folded = await this.deps.store.compact(this.briefingId, (stored) =>
          compactedState(this.briefingId, stored),
        );
        this.updatesSinceSnapshot = Math.max(0, this.updatesSinceSnapshot - folded);
      } catch (error) {
        this.deps.logger.warn({ err: error, briefingId: this.briefingId }, 'compaction failed; the log keeps the data');
      } finally {
        this.compacting = null;
      }
    })();
    return this.compacting;
  }

  destroy(): void {
    clearTimeout(this.awarenessTimer);
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

  /**
   * Sends what committed in this turn. Group commit resolves many updates at once under load; to a
   * large audience they go as one merged message per connection (one Y.mergeUpdates instead of an
   * encode and a send per update per connection), never back to their sender. Merging costs more
   * than it saves for a few connections (~0.2 ms per update merged against ~15 µs per send), and
   * grows faster than linearly with the updates merged, so it is kept to large audiences and
   * bounded chunks.
   */
  private readonly broadcastCommitted = (): void => {
    const committed = this.committed;
    this.committed = [];
    if (committed.length === 1 || this.connections.size < MERGE_FOR_AUDIENCE) {
      for (const { update, origin } of committed) this.broadcast(updateMessage(update), origin);
      return;
    }
    for (let i = 0; i < committed.length; i += MERGE_AT_MOST)
      this.broadcastMerged(committed.slice(i, i + MERGE_AT_MOST));
  };

  private broadcastMerged(committed: { update: Uint8Array; origin: unknown }[]): void {
    const merged = (except: unknown): Uint8Array | null => {
      const updates = committed.filter((c) => c.origin !== except).map((c) => c.update);
      if (updates.length === 0) return null;
      return updateMessage(updates.length === 1 ? (updates[0] as Uint8Array) : Y.mergeUpdates(updates));
    };
    const origins = new Set(committed.map((c) => c.origin));
    const everything = merged(undefined);
    const withoutOwn = new Map<unknown, Uint8Array | null>();
    for (const connection of this.connections) {
      if (!origins.has(connection)) {
        if (everything) connection.send(everything);
        continue;
      }
      if (!withoutOwn.has(connection)) withoutOwn.set(connection, merged(connection));
      const message = withoutOwn.get(connection);
      if (message) connection.send(message);
    }
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    this.fullStateReply = null;
    const appended = this.deps.writer.append(this.briefingId, update);
    this.durable = this.durable.then(
      () =>
        appended.then(
          (seq) => {
            if (seq > this.lastSeq) this.lastSeq = seq;
            this.updatesSinceSnapshot++;
            // After every promise job of this turn (the rest of the batch's commits), before I/O.
            if (this.committed.push({ update, origin }) === 1) process.nextTick(this.broadcastCommitted);
            this.deps.extensions.emit('afterDurable', this, { update, origin, seq });
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
    if (added.length + updated.length + removed.length === 0) return;
    const pending = this.awarenessPending;
    for (const id of added) pending.added.add(id);
    for (const id of updated) pending.updated.add(id);
    for (const id of removed) pending.removed.add(id);
    this.awarenessOrigins.add(origin);
    this.awarenessTimer ??= setTimeout(this.relayAwareness, AWARENESS_LIMITS.broadcastIntervalMs);
  };

  /**
   * Relays the presence changes of the last interval in one message. However fast clients send
   * (and stock clients echo what they receive), each connection gets at most one awareness message
   * per interval, so presence cannot be turned into a flood that trips everyone's rate limit.
   */
  private readonly relayAwareness = (): void => {
    this.awarenessTimer = undefined;
    const { added, updated, removed } = this.awarenessPending;
    const change = { added: [...added], updated: [...updated], removed: [...removed] };
    const origins = this.awarenessOrigins;
    added.clear();
    updated.clear();
    removed.clear();
    this.awarenessOrigins = new Set();
    // The one sender of everything in the batch already has it.
    const except = origins.size === 1 ? [...origins][0] : undefined;
    this.broadcast(awarenessMessage(this.awareness, [...change.added, ...change.updated, ...change.removed]), except);
    this.deps.extensions.emit('onAwareness', this, change);
  };
}
