import type { Logger } from 'pino';
import type { CollabExtension } from '../collab/Extension.ts';
import type { SharedDocument } from '../collab/SharedDocument.ts';

/** Refreshes relational rows derived from a document (the document is the source of truth). */
export type Projector = (document: SharedDocument) => Promise<void>;

interface State {
  timer?: NodeJS.Timeout | undefined;
  /** The refresh running or last run; refreshes never overlap. */
  running: Promise<void>;
}

/**
 * Derived rows as an extension: a refresh runs `delayMs` after the first durable change (later
 * changes within that time ride along), before the document unloads, and whenever a command needs
 * the rows current (`flush`, e.g. before answering an API call about an open briefing).
 */
export class Projection implements CollabExtension {
  private readonly states = new WeakMap<SharedDocument, State>();

  constructor(
    readonly name: string,
    private readonly project: Projector,
    private readonly delayMs: number,
    private readonly logger: Logger,
  ) {}

  afterDurable(document: SharedDocument): void {
    const state = this.stateOf(document);
    if (state.timer) return;
    state.timer = setTimeout(() => void this.flush(document), this.delayMs);
    state.timer.unref();
  }

  onUnload(document: SharedDocument): Promise<void> {
    const state = this.states.get(document);
    return state?.timer ? this.flush(document) : (state?.running ?? Promise.resolve());
  }

  /** Runs the pending refresh now, once every change so far is durable. Never rejects. */
  async flush(document: SharedDocument): Promise<void> {
    const state = this.stateOf(document);
    clearTimeout(state.timer);
    state.timer = undefined;
    await document.whenDurable();
    state.running = state.running.then(() =>
      this.project(document).catch((error) =>
        this.logger.warn({ err: error, briefingId: document.briefingId, projection: this.name }, 'refresh failed'),
      ),
    );
    await state.running;
  }

  private stateOf(document: SharedDocument): State {
    let state = this.states.get(document);
    if (!state) {
      state = { running: Promise.resolve() };
      this.states.set(document, state);
    }
    return state;
  }
}
