import type { ObserverRecord, SenderRecord } from './stats.ts';

/** How a load generator reaches a server. */
export interface Target {
  /** `y-websocket`: the stock WebsocketProvider (Debrief and the reference server); `hocuspocus`: HocuspocusProvider. */
  protocol: 'y-websocket' | 'hocuspocus';
  /** Server URL the provider is given (for y-websocket the room name is appended as a path segment). */
  wsUrl: string;
  /** Query parameters of the socket URL (Debrief: the bench account's API token). */
  params?: Record<string, string>;
}

export interface ClientSpec {
  key: string;
  room: string;
  /** Whether the client announces presence (user name and colour). Observers and joiners do not. */
  awareness: boolean;
  /** Section the client types into (editors). */
  section?: number;
  /** Seed of the client's edit sequence. */
  seed?: number;
}

/** A client's Yjs state for some client ids: clientId → clock. */
export type Clocks = Record<string, number>;

export type Request =
  | { op: 'seed'; target: Target; rooms: string[]; timeoutMs: number }
  | { op: 'connect'; target: Target; clients: ClientSpec[]; timeoutMs: number }
  | { op: 'type'; keys: string[]; startAt: number; durationMs: number; rate: number; maxEdits?: number }
  | { op: 'presence'; keys: string[]; startAt: number; durationMs: number; hz: number }
  | { op: 'build'; key: string; bytes: number; chunkBytes: number; timeoutMs: number }
  | { op: 'waitFor'; keys: string[]; clocks: Record<string, Clocks>; timeoutMs: number }
  | {
      op: 'join';
      target: Target;
      clients: ClientSpec[];
      startAt: number;
      clocks: Clocks;
      timeoutMs: number;
      keep: boolean;
    }
  | { op: 'collect'; keys?: string[] }
  | { op: 'destroy'; keys?: string[] }
  | { op: 'exit' };

export interface ConnectResult {
  ready: number;
  failed: string[];
}

export interface TypeResult {
  /** Per typing client: room, client id and clock after its last edit. */
  clients: { key: string; room: string; clientId: number; clock: number; edits: number }[];
}

export interface BuildResult {
  clientId: number;
  clock: number;
  bytes: number;
}

export interface WaitResult {
  ok: boolean;
  missing: string[];
}

export interface JoinResult {
  /** Per joiner: ms from creating its provider to holding the whole document (NaN if it did not). */
  ms: number[];
  /** Per joiner: when it completed (monotonic ms). */
  doneAt: number[];
  /** Per joiner: the state it reached for the requested client ids. */
  reached: Clocks[];
  /** Encoded size of the document the first joiner received. */
  bytes: number;
}

export interface CollectResult {
  senders: SenderRecord[];
  observers: ObserverRecord[];
  presenceSenders: SenderRecord[];
  presenceObservers: ObserverRecord[];
  /** Connection closes seen by the collected clients. */
  disconnects: number;
}

export type Response = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
