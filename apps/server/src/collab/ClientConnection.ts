import type { IncomingMessage } from 'node:http';
import { CloseCode } from '@debrief/briefing';
import type { Actor } from '@debrief/policy';
import type { Logger } from 'pino';
import WebSocket from 'ws';
import { TokenBucket } from './TokenBucket.ts';

/** Who is on the other end of a connection; what they may do is the policies' to say. */
export type Principal = Actor;

export interface ConnectionLimits {
  /**
   * Bytes queued for a client that does not read them. Past this the connection is closed: the
   * client reconnects and resyncs what it missed, instead of the server buffering without bound.
   */
  maxBufferedBytes: number;
  /** Messages a connection may send in a burst. */
  burstMessages: number;
  /** Sustained messages per second. */
  messagesPerSecond: number;
}

/** One client's WebSocket on one briefing. */
export class ClientConnection {
  /** Awareness client ids this connection has announced; removed for everyone when it leaves. */
  readonly awarenessIds = new Set<number>();
  private readonly bucket: TokenBucket;

  constructor(
    private readonly ws: WebSocket,
    readonly briefingId: string,
    /** Who is connected; replaced when their access is checked again (a role changed). */
    public principal: Principal,
    /** The upgrade request: what the connection is authenticated again from. */
    readonly request: IncomingMessage,
    private readonly limits: ConnectionLimits,
    readonly logger: Logger,
  ) {
    this.bucket = new TokenBucket(limits.burstMessages, limits.messagesPerSecond);
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Whether one more message fits in this connection's rate budget. */
  admit(): boolean {
    return this.bucket.take();
  }

  send(message: Uint8Array): void {
    if (!this.isOpen) return;
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.logger.warn({ bufferedBytes: this.ws.bufferedAmount }, 'closing a connection that stopped reading');
      this.close(CloseCode.SlowConsumer, 'slow_consumer');
      return;
    }
    this.ws.send(message, (error) => {
      if (error) this.logger.debug({ err: error }, 'send failed; the close handler cleans up');
    });
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, reason);
    }
  }
}
