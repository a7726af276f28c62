import {
  type BriefingStatus,
  CloseCode,
  type CommentThread,
  type Excerpt,
  FINAL_CLOSE_CODES,
  getAuthors,
  getEvent,
  getExcerpts,
  getLessons,
  getMarking,
  getPeriod,
  getSections,
  getStatus,
  getThreads,
  getTitle,
  type Lesson,
  type LessonEvidence,
  lessonEvidence,
  type Marking,
  MessageType,
  observeBriefing,
  type Period,
  type ResolvedAnchor,
  readSavedAnswer,
  resolveAnchor,
  type Section,
  savedQueryMessage,
} from '@debrief/briefing';
import * as authProtocol from 'y-protocols/auth';
import type { Awareness } from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { readUser, type UserInfo } from './presence.ts';

export type ConnectionState = 'connected' | 'connecting' | 'offline' | 'closed';
export type SaveState = 'saved' | 'saving' | 'unsaved';

export interface Peer {
  clientId: number;
  name: string;
  color: string;
  self: boolean;
  /** The section or lesson they are working in (their caret's), if any. */
  focus: string | null;
}

/** How long typing must pause before we ask the server whether everything is durable. */
const SAVED_QUERY_DELAY_MS = 250;

const CLOSE_MESSAGES: Record<number, string> = {
  [CloseCode.Unauthorized]: 'Your session is no longer valid. Reload the page to sign in again.',
  [CloseCode.Forbidden]: 'You no longer have access to this briefing.',
  [CloseCode.NotFound]: 'This briefing no longer exists.',
  [CloseCode.Unloadable]:
    'This briefing cannot be opened: part of its stored history failed the server’s checks. Nothing was deleted; an administrator can repair it.',
};

/** What the server's permissionDenied reasons mean for the person whose edits it refuses. */
const READ_ONLY_MESSAGES: Record<string, string> = {
  read_only: 'Your role in this workspace lets you read this briefing and see others edit it live, not change it.',
  status_by_api: 'The status is changed with the status control, not by editing the document.',
};

function collabUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/collab`;
}

export interface SessionOptions {
  /** The collaboration endpoint; the page's own server by default. */
  url?: string;
  /** Query parameters of the socket, e.g. `{ token }` for a client without a session cookie. */
  params?: Record<string, string>;
  /** A WebSocket implementation other than the page's (Node's `ws`, in tests). */
  WebSocketPolyfill?: typeof WebSocket;
}

/**
 * One open briefing: its Yjs document, the connection that keeps it in sync, and everything the
 * page shows about that connection (status, durability, who else is here).
 */
export class CollabSession {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;

  /** False until the first sync: the client never initialises a briefing, so before that it is empty. */
  loaded = $state(false);
  title = $state('');
  sections = $state.raw<Section[]>([]);
  /** Every excerpt in reading order, with what the server last said about its anchoring. */
  excerpts = $state.raw<Excerpt[]>([]);
  lessons = $state.raw<Lesson[]>([]);
  evidence = $state.raw<Map<string, LessonEvidence>>(new Map());
  threads = $state.raw<CommentThread[]>([]);
  /** Where each thread's anchor is now, by thread id. */
  anchors = $state.raw<Map<string, ResolvedAnchor>>(new Map());
  /** Changes whenever a thread or where it is anchored changes (editors redraw highlights). */
  threadRevision = $state(0);
  status = $state<BriefingStatus>('draft');
  marking = $state.raw<Marking>({ classification: null, tlp: null });
  event = $state('');
  period = $state.raw<Period>({ start: null, end: null });
  authors = $state.raw<string[]>([]);
  connection = $state<ConnectionState>('connecting');
  save = $state<SaveState>('saved');
  peers = $state.raw<Peer[]>([]);
  closedMessage = $state<string | null>(null);
  /** Set once the server refused our edits (permissionDenied): why, in words for the person. */
  readOnlyReason = $state<string | null>(null);

  // Numbers our local updates; the server echoes a number once every update sent before it is committed.
  #localVersion = 0;
  #savedQueryTimer: ReturnType<typeof setTimeout> | undefined;
  #stopObserving: () => void;

  constructor(briefingId: string, options: SessionOptions = {}) {
    this.provider = new WebsocketProvider(options.url ?? collabUrl(), briefingId, this.doc, {
      disableBc: true,
      params: options.params ?? {},
      ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
      // The provider's default gives up on every 44xx code, but only these mean retrying is futile.
      shouldReconnect: (event) => !FINAL_CLOSE_CODES.has(event.code),
    });
    this.provider.messageHandlers[MessageType.SavedQuery] = (_encoder, decoder) => {
      this.#onSavedAnswer(readSavedAnswer(decoder));
    };
    this.provider.messageHandlers[MessageType.Auth] = (_encoder, decoder) => {
      authProtocol.readAuthMessage(decoder, this.doc, (_doc, reason) => {
        // A final briefing's lock follows its status (a lead may reopen it): the page reads that.
        if (reason === 'final') return;
        this.readOnlyReason = READ_ONLY_MESSAGES[reason] ?? `The server refused your changes (${reason}).`;
      });
    };
    this.provider.on('status', this.#onStatus);
    this.provider.on('sync', this.#onSync);
    this.provider.on('connection-close', this.#onConnectionClose);
    this.awareness.on('change', this.#onAwarenessChange);
    this.doc.on('update', this.#onDocUpdate);
    this.#stopObserving = observeBriefing(this.doc, this.#readBriefing);
    window.addEventListener('online', this.#onNetworkChange);
    window.addEventListener('offline', this.#onNetworkChange);
    this.#onNetworkChange();
  }

  get awareness(): Awareness {
    return this.provider.awareness;
  }

  setUser(user: UserInfo): void {
    this.awareness.setLocalStateField('user', { name: user.name, color: user.color });
  }

  destroy(): void {
    clearTimeout(this.#savedQueryTimer);
    window.removeEventListener('online', this.#onNetworkChange);
    window.removeEventListener('offline', this.#onNetworkChange);
    this.#stopObserving();
    this.doc.off('update', this.#onDocUpdate);
    this.awareness.off('change', this.#onAwarenessChange);
    // Destroying the awareness first broadcasts our departure, so others do not wait for a timeout.
    this.awareness.destroy();
    this.provider.destroy();
    this.doc.destroy();
  }

  /** Whether the server can hear us; a browser that reports itself offline counts as cut off. */
  get #inSync(): boolean {
    return navigator.onLine && this.provider.wsconnected && this.provider.synced;
  }

  #readBriefing = (): void => {
    this.title = getTitle(this.doc);
    const sections = getSections(this.doc);
    // Body edits also land here; only hand a new list to the page when the outline itself changed.
    const outline = (list: Section[]) => list.map((s) => `${s.id}\u0000${s.kind}\u0000${s.heading}`).join('\u0001');
    if (outline(sections) !== outline(this.sections)) this.sections = sections;
    const excerpts = getExcerpts(this.doc);
    const cited = (list: Excerpt[]) => JSON.stringify(list.map(({ element: _element, ...excerpt }) => excerpt));
    if (cited(excerpts) !== cited(this.excerpts)) this.excerpts = excerpts;
    const lessons = getLessons(this.doc);
    const fields = (list: Lesson[]) => JSON.stringify(list.map(({ bodies: _bodies, ...lesson }) => lesson));
    if (fields(lessons) !== fields(this.lessons)) this.lessons = lessons;
    const evidence = lessonEvidence(this.doc);
    if (JSON.stringify([...evidence]) !== JSON.stringify([...this.evidence])) this.evidence = evidence;
    const threads = getThreads(this.doc);
    const anchors = new Map(threads.map((t) => [t.id, resolveAnchor(this.doc, t.anchor)]));
    const threadsChanged = JSON.stringify(threads) !== JSON.stringify(this.threads);
    if (threadsChanged) this.threads = threads;
    if (threadsChanged || JSON.stringify([...anchors]) !== JSON.stringify([...this.anchors])) {
      this.anchors = anchors;
      this.threadRevision++;
    }
    this.status = getStatus(this.doc);
    this.event = getEvent(this.doc);
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    const marking = getMarking(this.doc);
    if (!same(marking, this.marking)) this.marking = marking;
    const period = getPeriod(this.doc);
    if (!same(period, this.period)) this.period = period;
    const authors = getAuthors(this.doc);
    if (!same(authors, this.authors)) this.authors = authors;
  };

  /** Says which section or lesson our caret is in, for the avatars beside it. */
  setFocus(ownerId: string | null): void {
    if ((this.awareness.getLocalState()?.focus ?? null) !== ownerId)
      this.awareness.setLocalStateField('focus', ownerId);
  }

  #onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }): void => {
    if (this.connection === 'closed') return;
    if (!navigator.onLine || status === 'disconnected') this.connection = 'offline';
    else this.connection = status;
    if (status !== 'connected' && this.save === 'saving') this.save = 'unsaved';
  };

  #onNetworkChange = (): void => {
    if (this.connection === 'closed') return;
    if (navigator.onLine) {
      this.connection = this.provider.wsconnected ? 'connected' : 'connecting';
      // The socket may have survived the outage, in which case no new sync will prompt us.
      this.#confirmPending();
    } else {
      this.connection = 'offline';
      if (this.save === 'saving') this.save = 'unsaved';
    }
  };

  #onSync = (synced: boolean): void => {
    if (!synced) return;
    this.loaded = true;
    // Edits made while disconnected went out with the sync handshake; ask when they are durable.
    this.#confirmPending();
  };

  #onConnectionClose = (event: CloseEvent | null): void => {
    if (!event || !FINAL_CLOSE_CODES.has(event.code)) return;
    this.provider.disconnect();
    clearTimeout(this.#savedQueryTimer);
    this.connection = 'closed';
    this.closedMessage = CLOSE_MESSAGES[event.code] ?? 'The server closed this briefing.';
  };

  #onDocUpdate = (_update: Uint8Array, origin: unknown): void => {
    if (origin === this.provider) return;
    this.#localVersion++;
    this.save = this.#inSync ? 'saving' : 'unsaved';
    clearTimeout(this.#savedQueryTimer);
    this.#savedQueryTimer = setTimeout(() => this.#confirmPending(), SAVED_QUERY_DELAY_MS);
  };

  /** Asks the server to confirm that every local edit so far is durable, if it can hear us now. */
  #confirmPending(): void {
    const ws = this.provider.ws;
    if (this.save === 'saved' || !ws || !this.#inSync) return;
    this.save = 'saving';
    ws.send(savedQueryMessage(this.#localVersion));
  }

  #onSavedAnswer(version: number): void {
    if (version === this.#localVersion && this.save === 'saving') this.save = 'saved';
  }

  #onAwarenessChange = (): void => {
    const self = this.doc.clientID;
    const peers: Peer[] = [];
    for (const [clientId, state] of this.awareness.getStates()) {
      const user = readUser(state);
      const focus = typeof state.focus === 'string' ? state.focus : null;
      if (user) peers.push({ clientId, ...user, self: clientId === self, focus });
    }
    peers.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name));
    this.peers = peers;
  };
}
