import { type CommentAnchor, EXCERPT_NODE, MAX_QUOTE_LENGTH } from '@debrief/briefing';
import type { Editor } from '@tiptap/core';
import { NodeSelection } from '@tiptap/pm/state';
import { absolutePositionToRelativePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

/**
 * What a new comment is on: the selected excerpt, or the selected text as two Yjs relative
 * positions taken through the editor's binding (they follow the text as people edit). Null when
 * nothing is selected.
 */
export function anchorFromSelection(editor: Editor): CommentAnchor | null {
  const { selection } = editor.state;
  if (selection instanceof NodeSelection && selection.node.type.name === EXCERPT_NODE) {
    return { kind: 'excerpt', excerptId: String(selection.node.attrs.excerptId) };
  }
  if (selection.empty) return null;
  const binding = ySyncPluginKey.getState(editor.state)?.binding as
    | { type: Y.XmlFragment; mapping: Parameters<typeof absolutePositionToRelativePosition>[2] }
    | undefined;
  if (!binding) return null;
  const position = (pos: number) =>
    Y.relativePositionToJSON(absolutePositionToRelativePosition(pos, binding.type, binding.mapping));
  return {
    kind: 'range',
    start: position(selection.from),
    end: position(selection.to),
    quote: editor.state.doc.textBetween(selection.from, selection.to, ' ').slice(0, MAX_QUOTE_LENGTH),
  };
}
