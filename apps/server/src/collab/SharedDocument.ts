import {
  awarenessMessage,
  ProtocolError,
  ROOT_TYPES,
  STATUS_KEY,
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

/**
 * The origin of changes that are already in the database log: read back from it (catch-up) or
 * received from another server process. They are shown to this process's clients and never
 * appended again.
 */
export const DURABLE_ELSEWHERE = Symbol('durable elsewhere');

/** Why an update was refused without closing the connection (sent as a permission-denied reason). */
export type RefusalReason = 'status_by_api' | 'server_owned' | 'document_too_large';

export interface SharedDocumentDeps {
  store: DocumentStore;
  writer: UpdateLogWriter;
  logger: Logger;
  /** Fold the log into a snapshot once this many updates accumulated. */
  compactAfterUpdates: number;
  extensions: Extensions;
  /**
   * How long a hole in the log sequence (a later row arrived, an earlier one not) may last before
   * the missing rows are read from the database: rows from two processes may cross on the way.
   */
  gapGraceMs?: number;
  /** Largest state the document may grow to, in bytes (0: no limit). */
  maxDocumentBytes?: number;
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
  /** Every log row up to this seq is in `doc`. */
  private covered: bigint;
  /** Rows after `covered` already in `doc` (this process's own commits, or applied in order). */
  private readonly aheadInDoc = new Set<bigint>();
  /** Rows from other processes after `covered` waiting for an earlier one, to be applied in order. */
  private readonly held = new Map<bigint, Uint8Array>();
  private gapTimer: NodeJS.Timeout | undefined;
  private catchingUp: Promise<number> | null = null;
  /** An upper bound of the encoded state's size: what was loaded plus every update since. */
  private sizeBound: number;
  /** Committed updates not yet broadcast: sent together at the end of this event-loop turn. */
  private committed: { update: Uint8Array; origin: unknown }[] = [];
  /** The whole state as a sync step 2 (for joiners that have nothing), until the next change. */
  private fullStateReply: Uint8Array | null = null;
  private updatesSinceSnapshot: number;
  private compacting: Promise<void> | null = null;
  private destroyed = false;

  /** `doc` holds the stored state (openStoredDocument); only what happens from now on is logged. */
  constructor(
    readonly briefingId: string,
    /** The workspace the briefing belongs to: what policies are checked against. */
    readonly workspaceId: string,
    readonly doc: Y.Doc,
    stored: Pick<StoredDocument, 'lastSeq' | 'updatesSinceSnapshot'> & { bytes?: number },
    private readonly deps: SharedDocumentDeps,
  ) {
    this.covered = stored.lastSeq;
    this.sizeBound = stored.bytes ?? 0;
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
   * status, the schema version) or would grow the document past `maxDocumentBytes` are refused
   * like a viewer's (`onRefused`, the document unchanged), the rest are applied and go the durable
   * way.
   */
  receiveUpdate(connection: ClientConnection, update: Uint8Array, onRefused: (reason: RefusalReason) => void): void {
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
      onRefused(owned === STATUS_KEY ? 'status_by_api' : 'server_owned');
      return;
    }
    if (!this.fits(update)) {
      connection.logger.info(
        { bytes: update.byteLength, limit: this.deps.maxDocumentBytes },
        'refused an update that would make the document larger than the limit',
      );
      this.deps.extensions.emit('onDocumentTooLarge');
      onRefused('document_too_large');
      return;
    }
    try {
      Y.applyUpdate(this.doc, update, connection);
    } catch (error) {
      this.deps.onBroken(this, error as Error);
    }
  }

  /**
   * Whether the document stays within `maxDocumentBytes` with `update` applied. The bound only
   * grows with updates (deletions shrink a state), so when it says no, the state is measured
   * once to be sure, and the bound reset to it.
   */
  private fits(update: Uint8Array): boolean {
    const max = this.deps.maxDocumentBytes ?? 0;
    if (max === 0 || this.sizeBound + update.byteLength <= max) return true;
    this.sizeBound = Y.encodeStateAsUpdate(this.doc).byteLength;
    return this.sizeBound + update.byteLength <= max;
  }

  /** The seq up to which this copy holds every row of the log. */
  get coveredSeq(): bigint {
    return this.covered;
  }

  /**
   * A row of the log another process committed (received through the fan-out). Rows are applied
   * in seq order: a duplicate is ignored, a later one waits for the ones before it, and a hole
   * that lasts is filled from the database. Answers false for a duplicate.
   */
  receiveDurable(seq: bigint, update: Uint8Array): boolean {
    if (seq <= this.covered || this.aheadInDoc.has(seq) || this.held.has(seq)) return false;
    this.held.set(seq, update);
    this.advance();
    return true;
  }

  /**
   * Reads from the database every row this copy lacks (after `coveredSeq`, and the snapshot when
   * another process compacted them away) and applies it. Concurrent calls share one read.
   * Answers how many rows it applied.
   */
  catchUp(): Promise<number> {
    this.catchingUp ??= (async () => {
      const started = performance.now();
      try {
        const from = this.covered;
        const missing = await this.deps.store.since(this.briefingId, from);
        if (!missing || this.destroyed) return 0;
        let rows = 0;
        if (missing.snapshot) this.applyDurable(missing.snapshot);
        for (const row of missing.log) {
          if (row.seq <= this.covered || this.aheadInDoc.has(row.seq)) continue;
          this.applyDurable(row.data);
          rows++;
        }
        if (missing.lastSeq > this.covered) this.covered = missing.lastSeq;
        for (const seq of this.aheadInDoc) if (seq <= this.covered) this.aheadInDoc.delete(seq);
        for (const seq of this.held.keys()) if (seq <= this.covered) this.held.delete(seq);
        this.advance();
        if (rows > 0 || missing.lastSeq > from)
          this.deps.extensions.emit('onCatchUp', this, { rows, seconds: (performance.now() - started) / 1000 });
        return rows;
      } finally {
        this.catchingUp = null;
      }
    })();
    return this.catchingUp;
  }

  /** Applies what the held rows and this process's commits make contiguous; arms the gap timer. */
  private advance(): void {
    for (;;) {
      const next = this.covered + 1n;
      if (this.aheadInDoc.delete(next)) {
        this.covered = next;
        continue;
      }
      const update = this.held.get(next);
      if (!update) break;
      this.held.delete(next);
      this.covered = next;
      this.applyDurable(update);
    }
    const gap = this.held.size > 0 || this.aheadInDoc.size > 0;
    if (!gap) {
      clearTimeout(this.gapTimer);
      this.gapTimer = undefined;
    } else if (!this.gapTimer) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = undefined;
        if (this.destroyed || (this.held.size === 0 && this.aheadInDoc.size === 0)) return;
        this.deps.extensions.emit('onGap', this);
        this.catchUp().catch((error: unknown) =>
          this.deps.logger.warn(
            { err: error, briefingId: this.briefingId },
            'catching up from the log failed; the periodic check retries',
          ),
        );
      }, this.deps.gapGraceMs ?? 200);
      this.gapTimer.unref();
    }
  }

  private applyDurable(update: Uint8Array): void {
    try {
      Y.applyUpdate(this.doc, update, DURABLE_ELSEWHERE);
    } catch (error) {
      this.deps.onBroken(this, error as Error);
    }
  }

  /**
   * Presence of clients connected to another process. `owners` says which user each client id
   * belongs to, so that only the same user may take an id up here (a tab that reconnected to this
   * process), as for ids of clients that left this process.
   */
  receiveRemoteAwareness(update: Uint8Array, owners: ReadonlyMap<number, string>): void {
    for (const [clientId, userId] of owners) {
      const owner = this.awarenessOwners.get(clientId);
      if (owner?.connection) continue;
      this.awarenessOwners.set(clientId, { connection: null, userId });
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, DURABLE_ELSEWHERE);
  }

  /** The user each of these client ids speaks for here, for ids held by this process's connections. */
  localAwarenessOwners(ids: Iterable<number>): Map<number, string> {
    const owners = new Map<number, string>();
    for (const id of ids) {
      const owner = this.awarenessOwners.get(id);
      if (owner?.connection) owners.set(id, owner.userId);
    }
    return owners;
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
    if (this.destroyed) return;
    this.destroyed = true;
    this.deps.extensions.emit('onDestroy', this);
    clearTimeout(this.awarenessTimer);
    clearTimeout(this.gapTimer);
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
    this.sizeBound += update.byteLength;
    if (origin === DURABLE_ELSEWHERE) {
      // Already committed by another process: shown at once, never appended again.
      this.broadcast(updateMessage(update), null);
      this.deps.extensions.emit('onRemoteUpdate', this);
      return;
    }
    const appended = this.deps.writer.append(this.briefingId, update);
    this.durable = this.durable.then(
      () =>
        appended.then(
          (seq) => {
            if (seq > this.covered) {
              this.aheadInDoc.add(seq);
              this.advance();
            }
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
