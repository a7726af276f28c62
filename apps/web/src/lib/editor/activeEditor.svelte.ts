import type { Editor } from '@tiptap/core';

/**
 * The body editor the person last worked in: what the formatting toolbar acts on. `revision`
 * changes with every transaction of it, so the toolbar shows bold as bold where the caret is.
 */
class ActiveEditor {
  editor = $state.raw<Editor | null>(null);
  key = $state<string | null>(null);
  revision = $state(0);

  activate(key: string, editor: Editor): void {
    this.editor = editor;
    this.key = key;
    this.revision++;
  }

  changed(editor: Editor): void {
    if (editor === this.editor) this.revision++;
  }

  forget(editor: Editor): void {
    if (editor === this.editor) {
      this.editor = null;
      this.key = null;
    }
  }
}

export const activeEditor = new ActiveEditor();
