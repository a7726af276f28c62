import { citationNumbers, excerptSpan } from '@debrief/briefing';
import type { Editor } from '@tiptap/core';
import {
  type Corroboration,
  getSource,
  listCorroborations,
  listSources,
  type Reliability,
  type SourceDetail,
  type SourceSummary,
} from '../api.ts';
import type { CollabSession } from '../collab/CollabSession.svelte.ts';
import { excerptFromPassage, type QuotedPassage, quotePassage } from './excerptTransfer.ts';
import type { Highlight } from './highlightSegments.ts';
import type { TextSpan } from './textOffsets.ts';

const message = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/**
 * The source reader beside a briefing, and what the briefing's excerpts need from it: which
 * source is open, the passages of it this briefing cites, the reader's selection, citation
 * numbers and source titles, and the section editors a passage can be added to.
 */
/** How long the excerpts must stay unchanged before the server is asked about corroborations again. */
const CORROBORATION_DELAY_MS = 600;

/** What the reader needs of the page's session: its excerpts, and which briefing it is connected to. */
type ReaderSession = Pick<CollabSession, 'excerpts'> & { readonly provider?: { readonly roomname: string } };

export class SourceReader {
  readonly #session: ReaderSession;

  sources = $state.raw<SourceSummary[] | null>(null);
  listError = $state<string | null>(null);

  sourceId = $state<string | null>(null);
  source = $state.raw<SourceDetail | null>(null);
  loadError = $state<string | null>(null);

  /** The passage the person selected in the reader, as offsets into the source text. */
  selection = $state<TextSpan | null>(null);
  /** The excerpt whose citation was clicked; `request` changes on every click, to scroll again. */
  focus = $state<{ excerptId: string; request: number } | null>(null);
  /** Other sources that hold each excerpt's quote (the server's answer), by excerpt id. */
  corroborations = $state.raw<ReadonlyMap<string, Corroboration['corroboratedBy']>>(new Map());

  readonly #editors = new Map<string, Editor>();
  readonly #texts = new Map<string, SourceDetail>();
  #focusRequests = 0;
  /** Set once any source was opened: from then on the person alone chooses what the reader shows. */
  #opened = false;

  /** Each source's citation number, by its first excerpt in reading order; live with the document. */
  readonly numbers: Map<string, number>;
  /**
   * Passages of the open source that this briefing quotes, where the server found them: it writes
   * each excerpt's anchor into the document, so they follow the document live.
   */
  readonly highlights: Highlight[];

  constructor(session: ReaderSession) {
    this.#session = session;
    this.numbers = $derived(citationNumbers(session.excerpts));
    this.highlights = $derived(
      session.excerpts.flatMap((e) => {
        const span = e.sourceId === this.sourceId ? excerptSpan(e) : null;
        return span ? [{ id: e.excerptId, ...span }] : [];
      }),
    );
    $effect(() => {
      // A briefing that already quotes sources opens with the first of them in the reader.
      const first = session.excerpts[0];
      if (first && !this.#opened) void this.open(first.sourceId);
    });
    $effect(() => {
      // Asked again when the set of quotes changes (not on every keystroke of prose).
      const quoted = session.excerpts.map((e) => `${e.excerptId}:${e.sourceId}`).join();
      if (quoted === '' || !session.provider) return;
      const timer = setTimeout(() => void this.loadCorroborations(), CORROBORATION_DELAY_MS);
      return () => clearTimeout(timer);
    });
  }

  /** Which other sources of the workspace hold each excerpt's quote; unchanged when the server cannot say. */
  async loadCorroborations(): Promise<void> {
    const briefingId = this.#session.provider?.roomname;
    if (!briefingId) return;
    try {
      const answer = await listCorroborations(briefingId);
      this.corroborations = new Map(answer.map((entry) => [entry.excerptId, entry.corroboratedBy]));
    } catch {
      // An offer, not a fact the page depends on: the next change asks again.
    }
  }

  /** The source's reliability grade (A–F), when the library knows it. */
  reliabilityOf(sourceId: string): Reliability | null {
    return this.sources?.find((s) => s.id === sourceId)?.reliability ?? null;
  }

  async loadSources(): Promise<void> {
    try {
      this.sources = await listSources();
      // A source imported meanwhile may hold quotes of this briefing.
      if (this.#session.excerpts.length > 0) void this.loadCorroborations();
      this.listError = null;
    } catch (cause) {
      this.listError = message(cause);
    }
  }

  titleOf(sourceId: string): string | null {
    return this.sources?.find((s) => s.id === sourceId)?.title ?? null;
  }

  async open(sourceId: string | null): Promise<void> {
    this.#opened = true;
    if (sourceId === this.sourceId && (this.source || this.loadError)) return;
    this.sourceId = sourceId;
    this.selection = null;
    this.loadError = null;
    this.source = sourceId ? (this.#texts.get(sourceId) ?? null) : null;
    if (!sourceId || this.source) return;
    try {
      const source = await getSource(sourceId);
      this.#texts.set(sourceId, source);
      if (this.sourceId === sourceId) this.source = source;
    } catch (cause) {
      if (this.sourceId === sourceId) this.loadError = message(cause);
    }
  }

  /** Opens the excerpt's source and marks its passage, for the reader to scroll to. */
  async openCitation(excerptId: string): Promise<void> {
    const excerpt = this.#session.excerpts.find((e) => e.excerptId === excerptId);
    if (!excerpt) return;
    this.focus = { excerptId, request: ++this.#focusRequests };
    await this.open(excerpt.sourceId);
  }

  /** The reader's selection as a passage to quote; throws SourceError when it is only blanks. */
  quoteSelection(): QuotedPassage | null {
    if (!this.source || !this.selection) return null;
    return quotePassage(this.source.id, this.source.text, this.selection.start, this.selection.end);
  }

  registerEditor(sectionId: string, editor: Editor): () => void {
    this.#editors.set(sectionId, editor);
    return () => {
      if (this.#editors.get(sectionId) === editor) this.#editors.delete(sectionId);
    };
  }

  /**
   * Appends the selected passage to a section through its editor, so the insertion is an ordinary
   * ProseMirror transaction (undoable, mapped over collaborators' edits) that y-prosemirror syncs.
   * Returns the new excerpt's element, or null when there was nothing to add.
   */
  addSelectionTo(sectionId: string): HTMLElement | null {
    const passage = this.quoteSelection();
    const editor = this.#editors.get(sectionId);
    if (!passage || !editor) return null;
    const attrs = excerptFromPassage(passage);
    if (!editor.commands.appendExcerpt(attrs)) return null;
    this.selection = null;
    let at: number | null = null;
    editor.state.doc.descendants((node, pos) => {
      if (node.attrs.excerptId === attrs.excerptId) at = pos;
      return at === null;
    });
    const dom = at === null ? null : editor.view.nodeDOM(at);
    return dom instanceof HTMLElement ? dom : null;
  }
}
