import type { CommentThread, ResolvedAnchor } from '@debrief/briefing';
import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';

export interface CommentSource {
  /** Open threads on this body, with where their anchors are now. */
  threadsIn(bodyKey: string): Array<{ thread: CommentThread; where: ResolvedAnchor }>;
}

const key = new PluginKey('commentHighlights');

/**
 * Marks the text each open comment thread is on, in this body's editor: the anchors are Yjs
 * relative positions, mapped to ProseMirror positions through the binding's own mapping, so the
 * highlight follows the text as everyone types. `refresh` is dispatched when threads change.
 */
export function commentHighlights(source: CommentSource, bodyKey: string, fragment: Y.XmlFragment): Extension {
  return Extension.create({
    name: 'commentHighlights',
    addProseMirrorPlugins() {
      return [
        new Plugin({
          key,
          props: {
            decorations(state) {
              const binding = ySyncPluginKey.getState(state)?.binding;
              const doc = fragment.doc;
              if (!binding || !doc) return null;
              const decorations: Decoration[] = [];
              for (const { thread } of source.threadsIn(bodyKey)) {
                if (thread.anchor.kind !== 'range' || thread.resolved) continue;
                try {
                  const at = (json: unknown) =>
                    relativePositionToAbsolutePosition(
                      doc,
                      fragment,
                      Y.createRelativePositionFromJSON(json),
                      binding.mapping,
                    );
                  const from = at(thread.anchor.start);
                  const to = at(thread.anchor.end);
                  if (from !== null && to !== null && from < to && to <= state.doc.content.size) {
                    decorations.push(
                      Decoration.inline(from, to, { class: 'comment-anchor', 'data-thread-id': thread.id }),
                    );
                  }
                } catch {
                  // An anchor that no longer maps into this editor is shown in the comments panel only.
                }
              }
              return DecorationSet.create(state.doc, decorations);
            },
          },
        }),
      ];
    },
  });
}

/** Asks an editor to draw its comment highlights again (threads changed, not its text). */
export const refreshHighlights = key;
