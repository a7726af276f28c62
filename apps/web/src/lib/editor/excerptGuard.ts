import { EXCERPT_NODE } from '@debrief/briefing';
import type { Node as PmNode, Schema } from '@tiptap/pm/model';
import {
  type EditorState,
  NodeSelection,
  Plugin,
  PluginKey,
  Selection,
  TextSelection,
  type Transaction,
} from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { asUndoStep } from './undoStep.ts';

/**
 * Meta of a transaction that removes excerpts on purpose: the card's remove button, Backspace or
 * Delete on a selected excerpt.
 */
export const excerptRemoval = new PluginKey<number>('excerptGuard');

/** Marks a transaction as an explicit removal of excerpts, which the guard lets through and announces. */
export const removingExcerpts = (tr: Transaction): Transaction => tr.setMeta(excerptRemoval, 'explicit');

/**
 * Marks the source side of an excerpt moved to another body's editor: the guard lets it through
 * without announcing a removal, since the excerpt now lives in the target editor.
 */
export const movingExcerpts = (tr: Transaction): Transaction => tr.setMeta(excerptRemoval, 'moved');

/**
 * Dispatches an explicit removal as an undo step of its own: "Undo" on the notice must bring back
 * the excerpt without taking back a grade or words typed just before.
 */
export function removeExcerpts(view: EditorView, tr: Transaction): void {
  asUndoStep(view.state, () => view.dispatch(removingExcerpts(tr).scrollIntoView()));
}

function excerptIds(doc: PmNode): Map<string, number> {
  const ids = new Map<string, number>();
  doc.descendants((node) => {
    if (node.type.name !== EXCERPT_NODE) return true;
    const id = String(node.attrs.excerptId);
    ids.set(id, (ids.get(id) ?? 0) + 1);
    return false;
  });
  return ids;
}

/** How many excerpts `tr` removes (an excerpt moved within the document is not removed). */
function removedCount(before: PmNode, after: PmNode): number {
  const kept = excerptIds(after);
  let removed = 0;
  for (const [id, count] of excerptIds(before)) removed += Math.max(0, count - (kept.get(id) ?? 0));
  return removed;
}

function containsExcerpt(state: EditorState): boolean {
  const { selection } = state;
  if (selection instanceof NodeSelection) return selection.node.type.name === EXCERPT_NODE;
  let found = false;
  state.doc.nodesBetween(selection.from, selection.to, (node) => {
    if (node.type.name === EXCERPT_NODE) found = true;
    return !found;
  });
  return found;
}

/**
 * Where typed or pasted text goes instead of over a selection holding an excerpt: the end of the
 * selection when that is in text, else a new paragraph after the selection.
 */
function besideSelection(state: EditorState, schema: Schema): Transaction {
  const { tr, selection } = state;
  const near = Selection.near(state.doc.resolve(selection.to), -1);
  if (near instanceof TextSelection && near.from >= selection.from) {
    return tr.setSelection(TextSelection.create(tr.doc, near.from));
  }
  const paragraph = schema.nodes.paragraph!.create();
  tr.insert(selection.to, paragraph);
  return tr.setSelection(TextSelection.create(tr.doc, selection.to + 1));
}

export interface ExcerptGuardOptions {
  /** Excerpts were removed on purpose: say so, with a way back. */
  onRemoved: (count: number) => void;
}

/**
 * Excerpts are never lost by accident. Clicking an excerpt selects the whole node, and by default
 * the next keystroke or paste replaces the selection: the quote and its citation would be gone.
 * Here, typing or pasting while an excerpt is selected (alone or within a wider selection) goes
 * beside it, and a transaction from this editor that would still remove an excerpt is refused.
 * Removing one is explicit: the card's remove button, Backspace or Delete on a selection holding
 * it, or cut; each says "Excerpt removed" with an Undo. Edits from collaborators and undo/redo
 * (y-prosemirror's own transactions) pass unchanged, as does moving an excerpt by dragging it.
 */
export function excerptGuard(options: ExcerptGuardOptions): Plugin<number> {
  return new Plugin<number>({
    key: excerptRemoval,
    state: {
      init: () => 0,
      // Counts the excerpts removed on purpose by the last transaction, for the view to announce.
      apply(tr, _value, before, after) {
        if (!tr.docChanged || tr.getMeta(ySyncPluginKey)) return 0;
        const explicit = tr.getMeta(excerptRemoval) === 'explicit' || tr.getMeta('uiEvent') === 'cut';
        return explicit ? removedCount(before.doc, after.doc) : 0;
      },
    },
    filterTransaction(tr, state) {
      if (!tr.docChanged || tr.getMeta(ySyncPluginKey)) return true;
      const intent = tr.getMeta(excerptRemoval);
      if (intent === 'explicit' || intent === 'moved' || tr.getMeta('uiEvent') === 'cut') return true;
      return removedCount(state.doc, tr.doc) === 0;
    },
    props: {
      handleTextInput(view, _from, _to, text) {
        if (!containsExcerpt(view.state)) return false;
        view.dispatch(besideSelection(view.state, view.state.schema).insertText(text).scrollIntoView());
        return true;
      },
      handlePaste(view) {
        if (!containsExcerpt(view.state)) return false;
        // The paste itself then goes where the caret now is.
        view.dispatch(besideSelection(view.state, view.state.schema));
        return false;
      },
      handleKeyDown(view, event) {
        if (event.key !== 'Backspace' && event.key !== 'Delete') return false;
        if (!view.editable || !containsExcerpt(view.state)) return false;
        removeExcerpts(view, view.state.tr.deleteSelection());
        return true;
      },
    },
    view: () => ({
      update(view: EditorView, previous: EditorState) {
        const removed = excerptRemoval.getState(view.state) ?? 0;
        if (removed > 0 && view.state.doc !== previous.doc) options.onRemoved(removed);
      },
    }),
  });
}
