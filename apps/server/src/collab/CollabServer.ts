import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  awarenessMessage,
  CloseCode,
  ProtocolError,
  parseId,
  permissionDeniedMessage,
  syncStep1Message,
} from '@debrief/briefing';
import { can } from '@debrief/policy';
import type { Logger } from 'pino';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { ClientConnection, type ConnectionLimits, type Principal } from './ClientConnection.ts';
import { type DocumentRegistry, DocumentUnloadableError } from './DocumentRegistry.ts';
import { ConnectionRefused, type Extensions } from './Extension.ts';
import { receiveMessage } from './MessageReceiver.ts';
import type { SharedDocument } from './SharedDocument.ts';

export interface CollabLimits extends ConnectionLimits {
  /** Largest frame accepted from a client, in bytes; larger ones close the connection (1009). */
  maxMessageBytes: number;
  /** Bytes a client may send before its document is loaded. */
  maxBufferedBytesBeforeReady: number;
  /**
   * Every this many ms each socket is pinged; one that has not answered the previous ping is
   * dropped. A dead connection must not hold its client's presence (and awareness id) for ever.
   * 0 disables.
   */
  pingIntervalMs: number;
  /**
   * Every this many ms every connection's access is checked again (sessions expire, roles change
   * in another process); changes made here are applied at once (`reauthorise`). 0 disables.
   */
  reauthIntervalMs: number;
  /** Connections one briefing may have on this process; more are closed 4409 (0: no cap). */
  maxConnectionsPerBriefing?: number;
  /** Connections one user may have on this process, all briefings together (0: no cap). */
  maxConnectionsPerUser?: number;
}

const COLLAB_PATH = /^\/collab\/([^/?#]+)\/?$/;

/** What a client asked for in the upgrade path, parsed once. */
type Target = { briefingId: string } | { refusal: { code: number; reason: string } };

function parseTarget(segment: string): Target {
  let decoded: string;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    return { refusal: { code: CloseCode.MalformedMessage, reason: 'invalid_path' } };
  }
  const briefingId = parseId(decoded);
  return briefingId ? { briefingId } : { refusal: { code: CloseCode.NotFound, reason: 'briefing_not_found' } };
}

function pathnameOf(request: IncomingMessage): string {
  try {
    return new URL(request.url ?? '/', 'http://localhost').pathname;
  } catch {
    return '';
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * The WebSocket side: upgrades `/collab/:briefingId`, authenticates, attaches each connection to
 * its document once loaded, and routes frames to the message receiver.
 */
export class CollabServer {
  private readonly wss: WebSocketServer;
  private readonly sockets = new Set<WebSocket>();
  /** Sockets that answered the last ping. */
  private readonly alive = new WeakSet<WebSocket>();
  /** Connections attached to a document, with it: what access checks walk. */
  private readonly attached = new Map<ClientConnection, SharedDocument>();
  /** Connections accepted so far: each one's id in the logs. */
  private connectionsAccepted = 0;
  /** Open connections per user id (the per-user cap). */
  private readonly perUser = new Map<string, number>();
  private readonly reauthTimer: NodeJS.Timeout | undefined;
  private readonly heartbeat: NodeJS.Timeout | undefined;

  private readonly registry: DocumentRegistry;
  private readonly extensions: Extensions;
  private readonly limits: CollabLimits;
  private readonly logger: Logger;

  constructor(deps: { registry: DocumentRegistry; extensions: Extensions; limits: CollabLimits; logger: Logger }) {
    ({ registry: this.registry, extensions: this.extensions, limits: this.limits, logger: this.logger } = deps);
    const limits = this.limits;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false });
    if (limits.pingIntervalMs > 0) {
      this.heartbeat = setInterval(() => this.pingAll(), limits.pingIntervalMs);
      this.heartbeat.unref();
    }
    if (limits.reauthIntervalMs > 0) {
      this.reauthTimer = setInterval(() => void this.reauthorise(() => true), limits.reauthIntervalMs);
      this.reauthTimer.unref();
    }
  }

  /**
   * Authenticates again every live connection whose principal `which` selects, from its own
   * upgrade request: one no longer signed in is closed 4401, one that lost access 4403 (or 4404),
   * one whose role changed keeps going with the new role (a viewer's edits are refused from the
   * next frame on, and they are told at once). Called when a member is removed or their role
   * changed, a token revoked, sessions signed out.
   */
  async reauthorise(which: (principal: Principal) => boolean): Promise<void> {
    const checks = [...this.attached].filter(([connection]) => connection.isOpen && which(connection.principal));
    await Promise.all(
      checks.map(async ([connection, document]) => {
        try {
          const principal = await this.extensions.authenticate({
            request: connection.request,
            briefingId: connection.briefingId,
          });
          if (!principal) return connection.close(CloseCode.Unauthorized, 'unauthorized');
          const couldEdit = can(connection.principal, 'briefing.edit', document.resource);
          connection.principal = principal;
          if (couldEdit && !can(principal, 'briefing.edit', document.resource)) {
            connection.send(permissionDeniedMessage('read_only'));
          }
        } catch (error) {
          if (error instanceof ConnectionRefused) {
            // Someone who had the briefing open knows it exists: to them, losing their membership
            // is a refusal (4403), not the "no such briefing" a stranger is told.
            const [code, reason] =
              error.closeCode === CloseCode.NotFound && this.registry.isLoaded(connection.briefingId)
                ? [CloseCode.Forbidden, 'forbidden']
                : [error.closeCode, error.reason];
            connection.send(permissionDeniedMessage(reason));
            return connection.close(code, reason);
          }
          connection.logger.warn({ err: error }, 'checking access again failed; the connection keeps its access');
        }
      }),
    );
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  /** Node's `upgrade` event handler. Answers false when the path is not ours. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const match = COLLAB_PATH.exec(pathnameOf(request));
    if (!match) return false;
    const target = parseTarget(match[1] ?? '');
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      this.accept(ws, request, target).catch((error: unknown) => {
        // accept() handles what it expects; anything else is a bug, logged, never a dead process.
        this.logger.error({ err: error }, 'accepting a connection failed');
        this.extensions.emit('onFault', 'accept', error);
        ws.close(1011, 'internal_error');
      });
    });
    return true;
  }

  /** Closes every socket (shutdown); documents are unloaded by the registry. */
  close(): void {
    clearInterval(this.heartbeat);
    clearInterval(this.reauthTimer);
    for (const ws of this.sockets) ws.close(CloseCode.GoingAway, 'server_shutdown');
    this.wss.close();
  }

  private pingAll(): void {
    for (const ws of this.sockets) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }

  /** Which connection cap one more connection of `userId` to `document` would break, if any. */
  private capReached(userId: string, document: SharedDocument): 'briefing' | 'user' | null {
    const { maxConnectionsPerBriefing = 0, maxConnectionsPerUser = 0 } = this.limits;
    if (maxConnectionsPerBriefing > 0 && document.connections.size >= maxConnectionsPerBriefing) return 'briefing';
    if (maxConnectionsPerUser > 0 && (this.perUser.get(userId) ?? 0) >= maxConnectionsPerUser) return 'user';
    return null;
  }

  private refuse(ws: WebSocket, code: number, reason: string): void {
    if (code === CloseCode.Unauthorized || code === CloseCode.Forbidden) ws.send(permissionDeniedMessage(reason));
    ws.close(code, reason);
  }

  private async accept(ws: WebSocket, request: IncomingMessage, target: Target): Promise<void> {
    this.sockets.add(ws);
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    const early: Uint8Array[] = [];
    let earlyBytes = 0;
    let closed = false;
    const bufferEarly = (data: RawData) => {
      const frame = toBytes(data);
      earlyBytes += frame.byteLength;
      early.push(frame);
      if (earlyBytes > this.limits.maxBufferedBytesBeforeReady)
        ws.close(CloseCode.MessageTooBig, 'too_much_before_ready');
    };
    ws.on('message', bufferEarly);
    ws.on('error', (error) => this.logger.debug({ err: error }, 'socket error'));
    ws.once('close', (code) => {
      closed = true;
      this.sockets.delete(ws);
      this.extensions.emit('onClose', code);
    });

    if ('refusal' in target) return this.refuse(ws, target.refusal.code, target.refusal.reason);
    const { briefingId } = target;
    let principal: Principal | null;
    let document: SharedDocument | null;
    try {
      principal = await this.extensions.authenticate({ request, briefingId });
      if (!principal) return this.refuse(ws, CloseCode.Unauthorized, 'unauthorized');
      document = await this.registry.acquire(briefingId);
    } catch (error) {
      if (error instanceof ConnectionRefused) return this.refuse(ws, error.closeCode, error.reason);
      if (error instanceof DocumentUnloadableError) return this.refuse(ws, CloseCode.Unloadable, 'briefing_unloadable');
      this.logger.error({ err: error, briefingId }, 'could not open document');
      ws.close(1011, 'internal_error');
      return;
    }
    if (!document) return this.refuse(ws, CloseCode.NotFound, 'briefing_not_found');
    if (closed) {
      this.registry.release(document);
      return;
    }
    const cap = this.capReached(principal.userId, document);
    if (cap) {
      this.registry.release(document);
      this.extensions.emit('onConnectionCapped', cap);
      return this.refuse(ws, CloseCode.TooManyConnections, `too_many_connections_${cap}`);
    }
    const userId = principal.userId;
    this.perUser.set(userId, (this.perUser.get(userId) ?? 0) + 1);

    const connection = new ClientConnection(
      ws,
      briefingId,
      principal,
      request,
      this.limits,
      this.logger.child({ briefingId, userId: principal.userId, connectionId: ++this.connectionsAccepted }),
    );
    document.addConnection(connection);
    this.attached.set(connection, document);
    ws.once('close', (code) => {
      const left = (this.perUser.get(userId) ?? 1) - 1;
      if (left > 0) this.perUser.set(userId, left);
      else this.perUser.delete(userId);
      this.attached.delete(connection);
      document.removeConnection(connection, code);
      this.registry.release(document);
    });

    const onFrame = (frame: Uint8Array) => {
      if (!connection.isOpen) return;
      this.extensions.emit('onFrame');
      if (!connection.admit()) {
        connection.close(CloseCode.RateLimited, 'rate_limited');
        return;
      }
      try {
        receiveMessage(connection, document, frame);
      } catch (error) {
        if (error instanceof ProtocolError) {
          connection.logger.info({ reason: error.message }, 'closing connection after a malformed frame');
          connection.close(CloseCode.MalformedMessage, 'malformed_message');
          return;
        }
        // Not the client's fault: a bug, shown as one (error log, fault counter), confined to this socket.
        connection.logger.error({ err: error }, 'handling a frame failed');
        this.extensions.emit('onFault', 'frame', error);
        connection.close(1011, 'internal_error');
      }
    };
    // The server's step 1 goes first, so a client's step 2 reaches us before it sees itself synced.
    connection.send(syncStep1Message(document.doc));
    // A reader is told at once, before the sync completes, so their editor opens read only
    // instead of finding out at their first keystroke.
    if (!can(principal, 'briefing.edit', document.resource)) connection.send(permissionDeniedMessage('read_only'));
    const present = [...document.awareness.getStates().keys()];
    if (present.length > 0) connection.send(awarenessMessage(document.awareness, present));
    ws.off('message', bufferEarly);
    ws.on('message', (data) => onFrame(toBytes(data)));
    for (const frame of early) onFrame(frame);
  }
}
