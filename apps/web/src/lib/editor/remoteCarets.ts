import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { yCursorPlugin } from '@tiptap/y-tiptap';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { readUser, type UserInfo } from '../collab/presence.ts';

/**
 * y-tiptap 3.0.9's cursor plugin writes the field it is given but reads remote carets (and its own
 * previous caret) from the hard-coded field `cursor`. This view of the shared awareness shows each
 * state's section field under that name, so the plugin draws only the carets of its own section.
 */
function sectionAwareness(awareness: Awareness, field: string): Awareness {
  const asCursor = <S extends Record<string, unknown> | null>(state: S): S =>
    state && { ...state, cursor: state[field] ?? null };
  return new Proxy(awareness, {
    get(target, property) {
      if (property === 'getStates') {
        return () => new Map([...target.getStates()].map(([clientId, state]) => [clientId, asCursor(state)]));
      }
      if (property === 'getLocalState') return () => asCursor(target.getLocalState());
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function buildCaret(user: UserInfo): HTMLElement {
  const caret = document.createElement('span');
  caret.className = 'remote-caret';
  caret.style.borderColor = user.color;
  const label = document.createElement('span');
  label.className = 'remote-caret-label';
  label.style.backgroundColor = user.color;
  label.textContent = user.name;
  caret.append(label);
  return caret;
}

const emptySectionCaretsKey = new PluginKey('emptySectionCarets');

/**
 * The cursor plugin draws nothing while a section's fragment is still empty (it has no position
 * mapping yet), yet a collaborator sitting in a blank section is exactly what people want to see
 * when a briefing starts. This plugin covers that case with a caret at the start of the section.
 */
function emptySectionCarets(awareness: Awareness, body: Y.XmlFragment, field: string): Plugin {
  return new Plugin({
    key: emptySectionCaretsKey,
    props: {
      decorations(state) {
        if (body.length > 0) return null;
        const carets: Decoration[] = [];
        for (const [clientId, remote] of awareness.getStates()) {
          const user = readUser(remote);
          if (clientId === awareness.clientID || remote[field] == null || !user) continue;
          carets.push(Decoration.widget(1, () => buildCaret(user), { key: `${clientId}`, side: 10 }));
        }
        return DecorationSet.create(state.doc, carets);
      },
    },
    view(view) {
      const redraw = () => {
        if (body.length === 0) view.dispatch(view.state.tr.setMeta(emptySectionCaretsKey, true));
      };
      awareness.on('change', redraw);
      return { destroy: () => awareness.off('change', redraw) };
    },
  });
}

/** Shows collaborators' carets and selections in one body's editor, and publishes ours. */
export function remoteCarets(awareness: Awareness, bodyKey: string, body: Y.XmlFragment): Extension {
  // All body editors share one awareness, so each publishes its caret under its own field.
  const field = `cursor:${bodyKey}`;
  return Extension.create({
    name: 'remoteCarets',
    addProseMirrorPlugins() {
      return [
        emptySectionCarets(awareness, body, field),
        yCursorPlugin(
          sectionAwareness(awareness, field),
          {
            cursorBuilder: buildCaret,
            selectionBuilder: (user: UserInfo) => ({
              class: 'remote-selection',
              style: `background-color: ${user.color}33`,
            }),
          },
          field,
        ),
      ];
    },
  });
}
