import { type Attribute, Node } from '@tiptap/core';
import { EXCERPT_ATTR_DEFAULTS, EXCERPT_NODE, type ExcerptAttrs } from '../excerpts.ts';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    excerpt: {
      /** Adds an excerpt after the section's last content (before a trailing empty paragraph). */
      appendExcerpt: (attrs: ExcerptAttrs) => ReturnType;
    };
  }
}

// Each attribute travels through copy and paste as a data-* attribute, so a pasted excerpt keeps
// its quote, anchor and id (the server gives a copy a fresh id once it sees two).
const dataName = (key: string) => `data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

const NUMBERS: ReadonlySet<string> = new Set(['start', 'end', 'anchoredStart', 'anchoredEnd', 'credibility']);

function attribute(key: keyof ExcerptAttrs): Attribute {
  const fallback = EXCERPT_ATTR_DEFAULTS[key];
  const numeric = NUMBERS.has(key);
  return {
    default: fallback,
    parseHTML: (element) => {
      const value = element.getAttribute(dataName(key));
      if (!numeric) return value ?? fallback;
      const number = Number.parseInt(value ?? '', 10);
      return Number.isInteger(number) ? number : null;
    },
    renderHTML: (attrs) => ({ [dataName(key)]: attrs[key] }),
  };
}

/**
 * An exact quote of a source, as a block. Its attributes are ExcerptAttrs one for one, which
 * y-prosemirror stores as the attributes of the `excerpt` element that the server checks. The
 * quote itself is an attribute, not editable content: it can be moved or deleted, never edited.
 * This is the node's vocabulary only; the web app adds how it is drawn and dropped.
 */
export const ExcerptNode = Node.create({
  name: EXCERPT_NODE,
  group: 'block',
  atom: true,
  draggable: true,
  selectable: true,

  addAttributes() {
    return Object.fromEntries(
      (Object.keys(EXCERPT_ATTR_DEFAULTS) as Array<keyof ExcerptAttrs>).map((key) => [key, attribute(key)]),
    ) as Record<keyof ExcerptAttrs, Attribute>;
  },

  parseHTML() {
    return [{ tag: 'figure[data-excerpt-id]' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    return ['figure', HTMLAttributes, ['blockquote', {}, node.attrs.exact]];
  },

  addCommands() {
    return {
      appendExcerpt:
        (attrs) =>
        ({ state, tr, dispatch }) => {
          const node = state.schema.nodes[EXCERPT_NODE]!.create(attrs);
          const last = state.doc.lastChild;
          const trailingEmpty = last?.type.name === 'paragraph' && last.content.size === 0;
          const at = state.doc.content.size - (trailingEmpty ? last.nodeSize : 0);
          dispatch?.(tr.insert(at, node));
          return true;
        },
    };
  },
});
