import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { Logger } from 'pino';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { DocumentStore } from '../collab/DocumentStore.ts';
import type { CollabExtension, DurableUpdate } from '../collab/Extension.ts';
import { DURABLE_ELSEWHERE, type SharedDocument } from '../collab/SharedDocument.ts';
import type { Metrics } from '../metrics.ts';

/** What one process tells the others about a briefing, on that briefing's channel. */
const Kind = { Update: 0, Awareness: 1, AwarenessQuery: 2 } as const;
/** What one process tells the others about itself, on the processes channel. */
const Beat = { Alive: 0, Leaving: 1 } as const;

const PREFIX = 'debrief:briefing:';
const PROCESSES = 'debrief:processes';

export interface RedisFanoutOptions {
  url: string;
  /** This process's id in messages, logs (the logger given carries it) and metrics. */
  processId: string;
  store: DocumentStore;
  logger: Logger;
  metrics: Metrics;
  /** How often every loaded briefing's last applied seq is compared with the database's. */
  checkIntervalMs: number;
  /** How often this process says it is alive. */
  heartbeatMs: number;
  /** Presence of a process not heard from for this long is removed. */
  presenceTimeoutMs: number;
}

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

/**
 * Scale-out: several server processes share live documents through Redis pub/sub, with the
 * database log as the source of truth. Pub/sub may drop, reorder or duplicate nothing we rely on:
 *
 * - after an update commits, `{seq, process, update}` is published on the briefing's channel; a
 *   receiver applies rows in seq order, ignores duplicates, and reads from the database whatever a
 *   hole in the sequence says it missed (SharedDocument.receiveDurable / catchUp);
 * - after Redis comes back, every loaded briefing catches up from the log, and every
 *   `checkIntervalMs` each one's last applied seq is compared with the database's, so an update
 *   whose publisher died before publishing reaches everyone within that interval;
 * - presence crosses on the same channel, with a heartbeat per process: the presence of a process
 *   not heard from for `presenceTimeoutMs` disappears everywhere;
 * - Redis unreachable: each process keeps serving its own clients durably (publishing fails,
 *   counted, nothing waits for it) and says so in /readyz and /metrics.
 *
 * A malformed message is counted and dropped; it cannot stop the fan-out of anything else.
 */
export class RedisFanout implements CollabExtension {
  readonly name = 'redis-fanout';
  readonly processId: string;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly documents = new Map<string, SharedDocument>();
  /** Per briefing: the awareness client ids held by other processes, with the process. */
  private readonly remoteIds = new Map<string, Map<number, string>>();
  private readonly awarenessHandlers = new Map<string, (change: AwarenessChange, origin: unknown) => void>();
  /** When each other process was last heard from (ms since epoch). */
  private readonly processesSeen = new Map<string, number>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly logger: Logger;
  private closed = false;

  constructor(private readonly options: RedisFanoutOptions) {
    this.processId = options.processId;
    this.logger = options.logger;
    const retryStrategy = (attempt: number) => Math.min(attempt * 100, 1_000);
    // Publishing never waits for Redis: while it is away a publish fails at once (the log has the
    // update; the others catch up from it), instead of queueing without bound.
    this.pub = new Redis(options.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy });
    // Subscriptions made while Redis is away are sent when it is back; ioredis resubscribes after
    // every reconnect.
    this.sub = new Redis(options.url, { maxRetriesPerRequest: null, retryStrategy });
    for (const [name, client] of [
      ['publisher', this.pub],
      ['subscriber', this.sub],
    ] as const) {
      client.on('error', (error: Error) => this.logger.debug({ err: error, client: name }, 'redis connection error'));
      client.on('end', () => this.logger.debug({ client: name }, 'redis connection ended'));
    }
    let wasDown = false;
    this.sub.on('close', () => {
      if (this.closed || wasDown) return;
      wasDown = true;
      this.logger.warn('redis unreachable: serving this process’s clients alone until it is back');
    });
    this.sub.on('ready', () => void this.afterReconnect(wasDown).finally(() => (wasDown = false)));
    void this.sub.subscribe(PROCESSES).catch(() => undefined);
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));

    this.every(options.heartbeatMs, () => {
      this.publish(PROCESSES, this.header(Beat.Alive), 'heartbeat');
      this.forgetSilentProcesses();
    });
    this.every(options.checkIntervalMs, () => void this.checkAll());
    options.metrics.watchFanout({
      connected: () => this.connected,
      presenceEntries: () => this.presenceEntries(),
    });
    options.metrics.processInfo.set({ process_id: this.processId }, 1);
  }

  /** Both connections are up: updates are published and received live. */
  get connected(): boolean {
    return this.pub.status === 'ready' && this.sub.status === 'ready';
  }

  onLoad(document: SharedDocument): void {
    const { briefingId } = document;
    this.documents.set(briefingId, document);
    this.remoteIds.set(briefingId, new Map());
    const onAwareness = (change: AwarenessChange, origin: unknown) => this.publishAwareness(document, change, origin);
    this.awarenessHandlers.set(briefingId, onAwareness);
    document.awareness.on('update', onAwareness);
    // What was published between the load's read and the subscription is read from the log.
    this.sub.subscribe(PREFIX + briefingId).then(
      () => {
        if (this.documents.get(briefingId) !== document) return;
        this.publish(PREFIX + briefingId, this.header(Kind.AwarenessQuery), 'awareness_query');
        return this.catchUp(document);
      },
      (error: unknown) =>
        this.logger.warn({ err: error, briefingId }, 'subscribing failed; the periodic check covers it'),
    );
  }

  /** Once per durable update of this process: tell the others. */
  afterDurable(document: SharedDocument, { update, seq }: DurableUpdate): void {
    const encoder = this.header(Kind.Update);
    encoding.writeVarUint(encoder, Number(seq));
    encoding.writeVarUint8Array(encoder, update);
    this.publish(PREFIX + document.briefingId, encoder, 'update');
  }

  onDestroy(document: SharedDocument): void {
    const { briefingId } = document;
    if (this.documents.get(briefingId) !== document) return;
    this.documents.delete(briefingId);
    this.remoteIds.delete(briefingId);
    const handler = this.awarenessHandlers.get(briefingId);
    if (handler) document.awareness.off('update', handler);
    this.awarenessHandlers.delete(briefingId);
    void this.sub.unsubscribe(PREFIX + briefingId).catch(() => undefined);
  }

  /** Stops the timers, tells the others this process's presence is gone, closes the connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    if (this.pub.status === 'ready') {
      await this.pub.publish(PROCESSES, Buffer.from(encoding.toUint8Array(this.header(Beat.Leaving)))).catch(() => 0);
    }
    this.pub.disconnect();
    this.sub.disconnect();
  }

  private every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private header(kind: number): encoding.Encoder {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, kind);
    encoding.writeVarString(encoder, this.processId);
    return encoder;
  }

  private publish(channel: string, encoder: encoding.Encoder, kind: string): void {
    if (this.closed) return;
    const { metrics } = this.options;
    this.pub.publish(channel, Buffer.from(encoding.toUint8Array(encoder))).then(
      () => metrics.redisPublished.inc({ kind }),
      () => metrics.redisPublishFailures.inc({ kind }),
    );
  }

  private publishAwareness(document: SharedDocument, change: AwarenessChange, origin: unknown): void {
    if (origin === DURABLE_ELSEWHERE) return;
    const remote = this.remoteIds.get(document.briefingId);
    const ids = [...change.added, ...change.updated, ...change.removed].filter((id) => !remote?.has(id));
    if (ids.length > 0) this.publishPresence(document, ids);
  }

  private publishPresence(document: SharedDocument, ids: number[]): void {
    const owners = document.localAwarenessOwners(ids);
    const encoder = this.header(Kind.Awareness);
    encoding.writeVarUint(encoder, owners.size);
    for (const [clientId, userId] of owners) {
      encoding.writeVarUint(encoder, clientId);
      encoding.writeVarString(encoder, userId);
    }
    encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(document.awareness, ids));
    this.publish(PREFIX + document.briefingId, encoder, 'awareness');
  }

  private receive(channel: string, message: Buffer): void {
    const { metrics } = this.options;
    try {
      const decoder = decoding.createDecoder(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
      const kind = decoding.readVarUint(decoder);
      const from = decoding.readVarString(decoder);
      if (from === this.processId) return;
      if (channel === PROCESSES) {
        if (kind === Beat.Leaving) this.forgetProcess(from);
        else this.processesSeen.set(from, Date.now());
        return;
      }
      const document = this.documents.get(channel.slice(PREFIX.length));
      if (!channel.startsWith(PREFIX) || !document) return;
      this.processesSeen.set(from, Date.now());
      switch (kind) {
        case Kind.Update: {
          const seq = BigInt(decoding.readVarUint(decoder));
          const update = decoding.readVarUint8Array(decoder);
          metrics.redisReceived.inc({ kind: 'update' });
          if (!document.receiveDurable(seq, update)) metrics.redisDuplicates.inc();
          return;
        }
        case Kind.Awareness: {
          const owners = new Map<number, string>();
          const count = decoding.readVarUint(decoder);
          for (let i = 0; i < count; i++) owners.set(decoding.readVarUint(decoder), decoding.readVarString(decoder));
          const update = decoding.readVarUint8Array(decoder);
          metrics.redisReceived.inc({ kind: 'awareness' });
          this.receivePresence(document, from, update, owners);
          return;
        }
        case Kind.AwarenessQuery: {
          metrics.redisReceived.inc({ kind: 'awareness_query' });
          const remote = this.remoteIds.get(document.briefingId);
          const local = [...document.awareness.getStates().keys()].filter((id) => !remote?.has(id));
          if (local.length > 0) this.publishPresence(document, local);
          return;
        }
        default:
          throw new Error(`unknown message kind ${kind}`);
      }
    } catch (error) {
      metrics.redisMalformed.inc();
      this.logger.warn({ err: error, channel }, 'dropped a malformed scale-out message');
    }
  }

  private receivePresence(
    document: SharedDocument,
    from: string,
    update: Uint8Array,
    owners: ReadonlyMap<number, string>,
  ): void {
    const remote = this.remoteIds.get(document.briefingId);
    if (!remote) return;
    const decoder = decoding.createDecoder(update);
    const count = decoding.readVarUint(decoder);
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      ids.push(decoding.readVarUint(decoder));
      decoding.readVarUint(decoder);
      decoding.readVarString(decoder);
    }
    for (const id of ids) {
      // An id this process's own connections hold now is theirs (a tab that moved here).
      if (!document.localAwarenessOwners([id]).has(id)) remote.set(id, from);
    }
    document.receiveRemoteAwareness(update, owners);
    for (const id of ids) if (!document.awareness.getStates().has(id)) remote.delete(id);
  }

  /** Removes the presence of processes not heard from for `presenceTimeoutMs`. */
  private forgetSilentProcesses(): void {
    const limit = Date.now() - this.options.presenceTimeoutMs;
    for (const [processId, seen] of this.processesSeen) if (seen < limit) this.forgetProcess(processId);
  }

  private forgetProcess(processId: string): void {
    this.processesSeen.delete(processId);
    for (const [briefingId, remote] of this.remoteIds) {
      const gone = [...remote].filter(([, owner]) => owner === processId).map(([id]) => id);
      if (gone.length === 0) continue;
      for (const id of gone) remote.delete(id);
      const document = this.documents.get(briefingId);
      if (document) awarenessProtocol.removeAwarenessStates(document.awareness, gone, DURABLE_ELSEWHERE);
    }
  }

  private presenceEntries(): number {
    let entries = 0;
    for (const document of this.documents.values()) entries += document.awareness.getStates().size;
    return entries;
  }

  private async afterReconnect(wasDown: boolean): Promise<void> {
    if (this.closed) return;
    // The reply comes after every resubscription sent before it: from here on nothing is missed,
    // and what was published while away is read from the log.
    await this.sub.ping().catch(() => undefined);
    if (wasDown) this.logger.info({ documents: this.documents.size }, 'redis is back: catching up from the log');
    await Promise.all(
      [...this.documents.values()].map((document) => {
        this.publish(PREFIX + document.briefingId, this.header(Kind.AwarenessQuery), 'awareness_query');
        return this.catchUp(document);
      }),
    );
  }

  /** Compares every loaded briefing's last applied seq with the database's; catches up the late. */
  private async checkAll(): Promise<void> {
    try {
      const last = await this.options.store.lastSeqs([...this.documents.keys()]);
      await Promise.all(
        [...last].map(([briefingId, seq]) => {
          const document = this.documents.get(briefingId);
          return document && seq > document.coveredSeq ? this.catchUp(document) : undefined;
        }),
      );
    } catch (error) {
      this.logger.warn({ err: error }, 'periodic log check failed; retried at the next interval');
    }
  }

  private async catchUp(document: SharedDocument): Promise<void> {
    await document
      .catchUp()
      .catch((error: unknown) =>
        this.logger.warn({ err: error, briefingId: document.briefingId }, 'catching up from the log failed'),
      );
  }
}
