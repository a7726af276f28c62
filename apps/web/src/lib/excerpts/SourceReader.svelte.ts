import { citationNumbers, type ExcerptStatus } from '@debrief/briefing';
import type { Editor } from '@tiptap/core';
import { getSource, listBriefingCitations, listSources, type SourceDetail, type SourceSummary } from '../api.ts';
import type { CollabSession } from '../collab/CollabSession.svelte.ts';
import { newExcerptAttrs, type QuotedPassage, quotePassage } from './excerptTransfer.ts';
import type { Highlight } from './highlightSegments.ts';
import type { TextSpan } from './textOffsets.ts';

/** Lets the server's quote check settle before asking where it anchored the excerpts. */
const ANCHOR_REFRESH_DELAY_MS = 400;

/** Excerpts whose place in the source is known; an orphaned or altered quote is found nowhere. */
const LOCATED = new Set<ExcerptStatus>(['pending', 'anchored', 'moved', 'fuzzy']);

const message = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause));

/**
 * The source reader beside a briefing, and what the briefing's excerpts need from it: which
 * source is open, the passages of it this briefing cites, the reader's selection, citation
 * numbers and source titles, and the section editors a passage can be added to.
 */
export class SourceReader {
  readonly #session: CollabSession;
  readonly #briefingId: string;

  sources = $state.raw<SourceSummary[] | null>(null);
  listError = $state<string | null>(null);

  sourceId = $state<string | null>(null);
  source = $state.raw<SourceDetail | null>(null);
  loadError = $state<string | null>(null);

  /** The passage the person selected in the reader, as offsets into the source text. */
  selection = $state<TextSpan | null>(null);
  /** The excerpt whose citation was clicked; `request` changes on every click, to scroll again. */
  focus = $state<{ excerptId: string; request: number } | null>(null);

  /** Where the server found each excerpt in its source, which differs from where it was taken if the quote moved. */
  #anchors = $state.raw(new Map<string, TextSpan>());
  readonly #editors = new Map<string, Editor>();
  readonly #texts = new Map<string, SourceDetail>();
  #focusRequests = 0;
  /** Set once any source was opened: from then on the person alone chooses what the reader shows. */
  #opened = false;

  /** Each source's citation number, by its first excerpt in reading order; live with the document. */
  readonly numbers: Map<string, number>;
  /** Passages of the open source that this briefing quotes. */
  readonly highlights: Highlight[];

  constructor(session: CollabSession, briefingId: string) {
    this.#session = session;
    this.#briefingId = briefingId;
    this.numbers = $derived(citationNumbers(session.excerpts));
    this.highlights = $derived(
      session.excerpts
        .filter((e) => e.sourceId === this.sourceId && LOCATED.has(e.status))
        .map((e) => ({ id: e.excerptId, ...(this.#anchors.get(e.excerptId) ?? { start: e.start, end: e.end }) })),
    );
    $effect(() => {
      // Every change of an excerpt, including the server's verdict on it, may have moved an anchor.
      void this.#session.excerpts;
      const timer = setTimeout(() => void this.#refreshAnchors(), ANCHOR_REFRESH_DELAY_MS);
      return () => clearTimeout(timer);
    });
    $effect(() => {
      // A briefing that already quotes sources opens with the first of them in the reader.
      const first = session.excerpts[0];
      if (first && !this.#opened) void this.open(first.sourceId);
    });
  }

  async loadSources(): Promise<void> {
    try {
      this.sources = await listSources();
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
    const attrs = newExcerptAttrs(passage);
    if (!editor.commands.appendExcerpt(attrs)) return null;
    this.selection = null;
    return editor.view.dom.querySelector<HTMLElement>(`[data-excerpt-id="${CSS.escape(attrs.excerptId)}"]`);
  }

  async #refreshAnchors(): Promise<void> {
    if (this.#session.excerpts.length === 0) {
      this.#anchors = new Map();
      return;
    }
    try {
      const citations = await listBriefingCitations(this.#briefingId);
      const anchors = new Map<string, TextSpan>();
      for (const c of citations) {
        if (c.anchoredStart !== null && c.anchoredEnd !== null) {
          anchors.set(c.excerptId, { start: c.anchoredStart, end: c.anchoredEnd });
        }
      }
      this.#anchors = anchors;
    } catch {
      // Without the server's word the reader falls back on the offsets stored in each excerpt.
    }
  }
}
