import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { ClientConnection, Principal } from './ClientConnection.ts';
import type { UpdateVerdict } from './checkUpdate.ts';
import type { SharedDocument } from './SharedDocument.ts';

/** A change that is in the database log: what extensions derive from. */
export interface DurableUpdate {
  update: Uint8Array;
  /** The connection it came from, or another origin (the API, the server's own corrections). */
  origin: unknown;
  /** Its number in the briefing's log: gapless, in commit order, across every process. */
  seq: bigint;
}

export interface AuthenticationRequest {
  request: IncomingMessage;
  /** Canonical (lower-case) briefing id. */
  briefingId: string;
}

/** Refuses a connection with a close code the client understands (CloseCode). */
export class ConnectionRefused extends Error {
  constructor(
    readonly closeCode: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * One concern of the collaboration server (authentication, derived rows, metrics, fan-out),
 * plugged in through typed hooks in the spirit of Hocuspocus's extensions. Every hook is optional.
 * Hooks run in the order the extensions were composed; a hook that throws is logged and does not
 * stop the others or the durability chain (an extension must never lose an edit).
 */
export interface CollabExtension {
  readonly name: string;
  /**
   * Who is connecting. The first extension answering a principal decides; throw
   * ConnectionRefused to refuse (4401 not signed in, 4403 no access, 4404 no such briefing).
   */
  onAuthenticate?(request: AuthenticationRequest): Promise<Principal | undefined>;
  /** A document was loaded from the database, before any client sees it. */
  onLoad?(document: SharedDocument): void | Promise<void>;
  onConnect?(document: SharedDocument, connection: ClientConnection): void;
  onDisconnect?(document: SharedDocument, connection: ClientConnection, code: number): void;
  /** Once per durable update, in log order, after it was committed and broadcast. */
  afterDurable?(document: SharedDocument, update: DurableUpdate): void;
  /** Presence changed (client ids added, updated, removed), after it was applied and relayed. */
  onAwareness?(document: SharedDocument, change: { added: number[]; updated: number[]; removed: number[] }): void;
  /** A client update was checked (apply, refuse, missing). */
  onUpdateChecked?(verdict: UpdateVerdict['kind']): void;
  /** A connection was refused by a connection cap (4409). */
  onConnectionCapped?(limit: 'briefing' | 'user'): void;
  /** A client update was refused because the document would outgrow its size limit. */
  onDocumentTooLarge?(): void;
  /** A row another process committed was applied here (scale-out). */
  onRemoteUpdate?(document: SharedDocument): void;
  /** A hole in the log sequence lasted: the missing rows are about to be read from the database. */
  onGap?(document: SharedDocument): void;
  /** Rows this copy lacked were read from the database and applied. */
  onCatchUp?(document: SharedDocument, caughtUp: { rows: number; seconds: number }): void;
  /** A client awareness update was not applied. */
  onAwarenessRefused?(reason: 'invalid' | 'foreign_id'): void;
  /** A frame arrived from a client (hot path: keep it cheap). */
  onFrame?(): void;
  /** A socket closed, attached to a document or not. */
  onClose?(code: number): void;
  /** A fault a last-resort handler caught (logged by the server; extensions count or report it). */
  onFault?(kind: string, error: unknown): void;
  /** A document left memory (unloaded, or dropped at once when its briefing was deleted). */
  onDestroy?(document: SharedDocument): void;
  /** Before a document leaves memory: flush what was derived from it. Awaited. */
  onUnload?(document: SharedDocument): Promise<void>;
}

type Hook = Exclude<keyof CollabExtension, 'name' | 'onAuthenticate' | 'onLoad' | 'onUnload'>;

/** The extensions as one: each hook calls every extension's, in order. Composed once, in server.ts. */
export class Extensions {
  constructor(
    private readonly list: readonly CollabExtension[],
    private readonly logger: Logger,
  ) {}

  async authenticate(request: AuthenticationRequest): Promise<Principal | null> {
    for (const extension of this.list) {
      const principal = await extension.onAuthenticate?.(request);
      if (principal) return principal;
    }
    return null;
  }

  async load(document: SharedDocument): Promise<void> {
    for (const extension of this.list) await extension.onLoad?.(document);
  }

  async unload(document: SharedDocument): Promise<void> {
    for (const extension of this.list) {
      try {
        await extension.onUnload?.(document);
      } catch (error) {
        this.logger.warn({ err: error, extension: extension.name, briefingId: document.briefingId }, 'onUnload failed');
      }
    }
  }

  /** Calls a synchronous hook on every extension that has it. */
  emit<H extends Hook>(hook: H, ...args: Parameters<NonNullable<CollabExtension[H]>>): void {
    for (const extension of this.list) {
      const fn = extension[hook] as ((...a: typeof args) => void) | undefined;
      if (!fn) continue;
      try {
        fn.apply(extension, args);
      } catch (error) {
        this.logger.warn({ err: error, extension: extension.name, hook }, 'extension hook failed');
      }
    }
  }
}
