import type { NodeType } from '@tiptap/pm/model';
import { Fragment, Slice } from '@tiptap/pm/model';
import { NodeSelection, Plugin, PluginKey } from '@tiptap/pm/state';
import { dropPoint } from '@tiptap/pm/transform';
import { droppedExcerpt, EXCERPT_MIME } from '../excerpts/excerptTransfer.ts';

/**
 * Turns a passage dragged from the source reader into an excerpt where it is dropped. The drop
 * also carries the passage as plain text for other targets; here that text must not land as well.
 */
export function excerptDrop(excerpt: NodeType): Plugin {
  return new Plugin({
    key: new PluginKey('excerptDrop'),
    props: {
      handleDrop(view, event) {
        const data = event.dataTransfer;
        if (!data?.types.includes(EXCERPT_MIME)) return false;
        const attrs = droppedExcerpt(data.getData(EXCERPT_MIME));
        const target = view.posAtCoords({ left: event.clientX, top: event.clientY });
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
