import type { EditorState } from '@tiptap/pm/state';
import { yUndoPluginKey } from '@tiptap/y-tiptap';

/**
 * Runs `change` as an undo step of its own. The collaborative undo history merges changes made
 * within half a second, so without this "Undo" right after a deliberate action (a format button,
 * removing an excerpt) would also take back words typed just before it, or just after.
 */
export function asUndoStep(state: EditorState, change: () => void): void {
  const history = yUndoPluginKey.getState(state)?.undoManager as { stopCapturing(): void } | undefined;
  history?.stopCapturing();
  change();
  history?.stopCapturing();
}
