import { ExcerptNode } from '@debrief/briefing';
import type { SourceReader } from '../excerpts/SourceReader.svelte.ts';
import { ExcerptView } from './ExcerptView.svelte.ts';
import { excerptDrop } from './excerptDrop.ts';
import { excerptGuard } from './excerptGuard.ts';
import { removalNotice } from './removalNotice.svelte.ts';

export interface ExcerptEditingOptions {
  /** The reader beside the briefing: citation numbers and source titles for each excerpt. */
  reader: SourceReader | null;
}

/**
 * The shared excerpt node (same name, attributes and commands, so the same schema) as the web
 * editor shows it: drawn by ExcerptView, created by dropping a passage from the reader, and
 * guarded against being lost by accident (excerptGuard).
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
    const editor = this.editor;
    return [
      excerptDrop(this.type),
      excerptGuard({
        onRemoved: (count) =>
          removalNotice().show(count, () => {
            // Collaboration's undo: this tab's own history, as the person expects of Undo.
            editor.chain().focus().undo().run();
          }),
      }),
    ];
  },
});
