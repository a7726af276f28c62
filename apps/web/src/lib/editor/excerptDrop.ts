import { EXCERPT_NODE } from '@debrief/briefing';
import type { NodeType } from '@tiptap/pm/model';
import { Fragment, Slice } from '@tiptap/pm/model';
import { NodeSelection, Plugin, PluginKey, Selection } from '@tiptap/pm/state';
import { dropPoint } from '@tiptap/pm/transform';
import type { EditorView } from '@tiptap/pm/view';
import { droppedExcerpt, EXCERPT_MIME } from '../excerpts/excerptTransfer.ts';
import { movingExcerpts } from './excerptGuard.ts';

/** An excerpt being dragged out of one body's editor, to be moved (not copied) into another. */
let dragged: { view: EditorView; excerptId: string } | null = null;

function excerptPosition(view: EditorView, excerptId: string): number | null {
  let at: number | null = null;
  view.state.doc.descendants((node, pos) => {
    if (at === null && node.type.name === EXCERPT_NODE && node.attrs.excerptId === excerptId) at = pos;
    return at === null;
  });
  return at;
}

/**
 * Drops into a body: a passage dragged from the source reader becomes an excerpt where it is
 * dropped (its plain text must not land as well), and an excerpt dragged from another section or
 * lesson moves there: ProseMirror moves a node within one editor, but between two editors it
 * would only copy it, leaving the original behind.
 */
export function excerptDrop(excerpt: NodeType): Plugin {
  return new Plugin({
    key: new PluginKey('excerptDrop'),
    props: {
      handleDOMEvents: {
        dragstart(view) {
          // ProseMirror selects the dragged node in its own dragstart handler, which runs after this one.
          setTimeout(() => {
            const slice = view.dragging?.slice;
            const node = slice?.content.childCount === 1 ? slice.content.firstChild : null;
            dragged = node?.type === excerpt ? { view, excerptId: String(node.attrs.excerptId) } : null;
          });
          return false;
        },
        dragend() {
          setTimeout(() => {
            dragged = null;
          });
          return false;
        },
      },
      handleDrop(view, event) {
        const target = view.posAtCoords({ left: event.clientX, top: event.clientY });
        const data = event.dataTransfer;
        if (dragged && dragged.view !== view) {
          const source = dragged;
          dragged = null;
          const from = excerptPosition(source.view, source.excerptId);
          const node = from === null ? null : source.view.state.doc.nodeAt(from);
          // A node of this editor's own schema: each editor has its own schema instance.
          const moved = node && excerpt.create(node.attrs);
          const at =
            moved && target && view.editable
              ? dropPoint(view.state.doc, target.pos, new Slice(Fragment.from(moved), 0, 0))
              : null;
          // Tiptap (3.31, PasteRule.ts) deletes the source editor's selection after a drop from
          // another editor, once per paste-rule plugin, which would take the neighbours too: the
          // source's selection is made empty, and the original is deleted here, only once moved.
          const sourceTr = source.view.state.tr;
          if (at !== null && moved) {
            const tr = view.state.tr.insert(at, moved);
            view.dispatch(tr.setSelection(NodeSelection.create(tr.doc, at)));
            movingExcerpts(sourceTr.delete(from!, from! + moved.nodeSize));
          }
          source.view.dispatch(sourceTr.setSelection(Selection.atEnd(sourceTr.doc)));
          if (at !== null) view.focus();
          return true;
        }
        if (!data?.types.includes(EXCERPT_MIME)) return false;
        const attrs = droppedExcerpt(data.getData(EXCERPT_MIME));
        // A malformed passage is swallowed rather than dropped as loose text pretending to be a quote.
        if (!attrs || !target || !view.editable) return true;
        const node = excerpt.create(attrs);
        // The excerpt is a block: inside a paragraph, it goes before or after it, whichever is nearer.
        const at = dropPoint(view.state.doc, target.pos, new Slice(Fragment.from(node), 0, 0));
        if (at === null) return true;
        const tr = view.state.tr.insert(at, node);
        view.dispatch(tr.setSelection(NodeSelection.create(tr.doc, at)));
        view.focus();
        return true;
      },
    },
  });
}
