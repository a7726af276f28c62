// @vitest-environment jsdom
import { editorExtensions } from '@debrief/briefing';
import { Editor } from '@tiptap/core';
import type { Plugin } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';
import { afterEach, describe, expect, it } from 'vitest';
import { EXCERPT_MIME, quotePassage } from '../excerpts/excerptTransfer.ts';
import { ExcerptEditing } from './excerptEditing.ts';

const SOURCE = '0e5bb2a4-3c83-4a6f-8a0e-2c8e3f6f9d11';
const TEXT = 'One officer dialed in with his cellphone from a Singapore hotel room.';

const editors: Editor[] = [];
afterEach(() => {
  for (const editor of editors.splice(0)) editor.destroy();
  document.body.replaceChildren();
});

function editorWithText(): Editor {
  const host = document.createElement('div');
  document.body.append(host);
  const editor = new Editor({
    element: host,
    extensions: editorExtensions({ excerpt: ExcerptEditing }),
    content: '<p>First paragraph.</p><p>Second one.</p>',
  });
  editors.push(editor);
  return editor;
}

/** Drops `data` at document position `pos`, as the browser reports a drop (jsdom has no layout). */
function drop(editor: Editor, data: Record<string, string>, pos: number): boolean {
  const view = editor.view;
  view.posAtCoords = () => ({ pos, inside: -1 });
  const plugin = view.state.plugins.find((p) => (p as Plugin & { key: string }).key.startsWith('excerptDrop'))!;
  const event = {
    clientX: 10,
    clientY: 10,
    dataTransfer: { types: Object.keys(data), getData: (type: string) => data[type] ?? '' },
  } as unknown as DragEvent;
  const handleDrop = plugin.props.handleDrop as (view: EditorView, event: DragEvent) => boolean;
  return handleDrop.call(plugin, view, event);
}

const blocks = (editor: Editor) => editor.state.doc.content.content.map((n) => n.type.name);

describe('dropping a passage from the reader', () => {
  it('inserts an excerpt of it between blocks, selected, and not its text as well', () => {
    const editor = editorWithText();
    const passage = quotePassage(SOURCE, TEXT, 12, 40);
    // Inside the first paragraph, nearer its end: the excerpt goes after it.
    const handled = drop(editor, { [EXCERPT_MIME]: JSON.stringify(passage), 'text/plain': passage.quote.exact }, 14);
    expect(handled).toBe(true);
    expect(blocks(editor)).toEqual(['paragraph', 'excerpt', 'paragraph']);
    expect(editor.state.doc.child(1).attrs).toMatchObject({ exact: 'dialed in with his cellphone', status: 'pending' });
    expect(editor.state.selection.from).toBe(editor.state.doc.child(0).nodeSize);
    expect(editor.getText()).not.toContain('dialed');
  });

  it('swallows a malformed passage rather than dropping loose text that looks like a quote', () => {
    const editor = editorWithText();
    expect(drop(editor, { [EXCERPT_MIME]: '{"sourceId":"x"}', 'text/plain': 'a quote?' }, 3)).toBe(true);
    expect(blocks(editor)).toEqual(['paragraph', 'paragraph']);
    expect(editor.getText()).not.toContain('a quote?');
  });

  it('leaves other drops to the editor', () => {
    const editor = editorWithText();
    expect(drop(editor, { 'text/plain': 'plain text' }, 3)).toBe(false);
  });

  it('changes nothing in a read-only editor', () => {
    const editor = editorWithText();
    editor.setEditable(false);
    expect(drop(editor, { [EXCERPT_MIME]: JSON.stringify(quotePassage(SOURCE, TEXT, 12, 40)) }, 3)).toBe(true);
    expect(blocks(editor)).toEqual(['paragraph', 'paragraph']);
  });
});
