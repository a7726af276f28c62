import { EXCERPT_NODE, type ExcerptAttrs } from '@debrief/briefing';
import { type Attribute, Node } from '@tiptap/core';
import type { SourceReader } from '../excerpts/SourceReader.svelte.ts';
import { ExcerptView } from './ExcerptView.svelte.ts';
import { excerptDrop } from './excerptDrop.ts';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    excerpt: {
      /** Adds an excerpt after the section's last content (before a trailing empty paragraph). */
      appendExcerpt: (attrs: ExcerptAttrs) => ReturnType;
    };
  }
}

export interface ExcerptOptions {
  reader: SourceReader | null;
}

// Each attribute travels through copy and paste as a data-* attribute, so a pasted excerpt keeps
// its quote, anchor and id (the server gives a copy a fresh id once it sees two).
const dataName = (key: keyof ExcerptAttrs) => `data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
const text = (key: keyof ExcerptAttrs, fallback = ''): Attribute => ({
  default: fallback,
  parseHTML: (element) => element.getAttribute(dataName(key)) ?? fallback,
  renderHTML: (attrs) => ({ [dataName(key)]: attrs[key] }),
});
const offset = (key: keyof ExcerptAttrs): Attribute => ({
  default: null,
  parseHTML: (element) => {
    const value = Number.parseInt(element.getAttribute(dataName(key)) ?? '', 10);
    return Number.isInteger(value) ? value : null;
  },
  renderHTML: (attrs) => ({ [dataName(key)]: attrs[key] }),
});

/**
 * An exact quote of a source, as a block. Its attributes are ExcerptAttrs one for one, which
 * y-prosemirror stores as the attributes of the `excerpt` element that the server checks. The
 * quote itself is an attribute, not editable content: it can be moved or deleted, never edited.
 */
export const ExcerptNode = Node.create<ExcerptOptions>({
  name: EXCERPT_NODE,
  group: 'block',
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { reader: null };
  },

  addAttributes() {
    return {
      excerptId: text('excerptId'),
      sourceId: text('sourceId'),
      exact: text('exact'),
      prefix: text('prefix'),
      suffix: text('suffix'),
      start: offset('start'),
      end: offset('end'),
      quoteSha256: text('quoteSha256'),
      note: text('note'),
      status: text('status', 'pending'),
    } satisfies Record<keyof ExcerptAttrs, Attribute>;
  },

  parseHTML() {
    return [{ tag: 'figure[data-excerpt-id]' }];
  },

  renderHTML({ node, HTMLAttributes }) {
    return ['figure', HTMLAttributes, ['blockquote', {}, node.attrs.exact]];
  },

  addNodeView() {
    const reader = this.options.reader;
    return (props) => new ExcerptView(props, reader);
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

  addProseMirrorPlugins() {
    return [excerptDrop(this.type)];
  },
});
