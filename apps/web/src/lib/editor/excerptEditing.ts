import { ExcerptNode } from '@debrief/briefing';
import type { SourceReader } from '../excerpts/SourceReader.svelte.ts';
import { ExcerptView } from './ExcerptView.svelte.ts';
import { excerptDrop } from './excerptDrop.ts';

export interface ExcerptEditingOptions {
  /** The reader beside the briefing: citation numbers and source titles for each excerpt. */
  reader: SourceReader | null;
}

/**
 * The shared excerpt node (same name, attributes and commands, so the same schema) as the web
 * editor shows it: drawn by ExcerptView, and created by dropping a passage from the reader.
 */
export const ExcerptEditing = ExcerptNode.extend<ExcerptEditingOptions>({
  addOptions() {
    return { reader: null };
  },

  addNodeView() {
    const reader = this.options.reader;
    return (props) => new ExcerptView(props, reader);
  },

  addProseMirrorPlugins() {
    return [excerptDrop(this.type)];
  },
});
