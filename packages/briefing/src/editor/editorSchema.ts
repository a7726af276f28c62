import { type AnyExtension, getSchema } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import StarterKit from '@tiptap/starter-kit';
import { ExcerptNode } from './excerptNode.ts';

/**
 * The editor's vocabulary, defined once for the web editor, the server's `toJSON` and export:
 * Tiptap's StarterKit (paragraph, headings, lists, blockquote, code block, hard break, horizontal
 * rule; bold, italic, strike, code, underline, link) and the excerpt node. `excerpt` lets the web
 * app pass the same node extended with how it is drawn; it must keep the node's name and attributes.
 */
export function editorExtensions(options: { excerpt?: AnyExtension } = {}): AnyExtension[] {
  // Collaboration brings its own Yjs-aware undo; the plain one would undo other people's edits.
  return [StarterKit.configure({ undoRedo: false }), options.excerpt ?? ExcerptNode];
}

let schema: Schema | undefined;

/** The ProseMirror schema of a section body, built on first use. */
export function editorSchema(): Schema {
  schema ??= getSchema(editorExtensions());
  return schema;
}
