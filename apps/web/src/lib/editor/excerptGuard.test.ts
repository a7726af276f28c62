// @vitest-environment jsdom
import { editorExtensions, newExcerptAttrs } from '@debrief/briefing';
import { Editor } from '@tiptap/core';
import { NodeSelection, TextSelection } from '@tiptap/pm/state';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import { ExcerptEditing } from './excerptEditing.ts';
import { movingExcerpts } from './excerptGuard.ts';

const excerpt = (exact: string) =>
  newExcerptAttrs({ sourceId: 's1', exact, start: 0, end: exact.length, quoteSha256: 'a'.repeat(64) });

const editors: Editor[] = [];
afterEach(() => {
  for (const editor of editors.splice(0)) editor.destroy();
  document.body.replaceChildren();
});

/** A section editor as the page builds it (without collaboration): a paragraph, an excerpt, a paragraph. */
function sectionEditor() {
  const host = document.createElement('div');
  document.body.append(host);
  const editor = new Editor({
    element: host,
    extensions: editorExtensions({ excerpt: ExcerptEditing.configure({ reader: null }) }),
    content: {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'Before.' }] },
        { type: 'excerpt', attrs: excerpt('The quote that must survive.') },
        { type: 'paragraph', content: [{ type: 'text', text: 'After.' }] },
      ],
    },
  });
  editors.push(editor);
  const excerptAt = () => {
    let at = -1;
    editor.state.doc.forEach((node, offset) => {
      if (node.type.name === 'excerpt') at = offset;
    });
    return at;
  };
  const selectExcerpt = () =>
    editor.view.dispatch(editor.state.tr.setSelection(NodeSelection.create(editor.state.doc, excerptAt())));
  const type = (text: string) => {
    const { from, to } = editor.state.selection;
    const handled = editor.view.someProp('handleTextInput', (handle) =>
      handle(editor.view, from, to, text, () => editor.state.tr),
    );
    if (!handled) editor.view.dispatch(editor.state.tr.insertText(text));
  };
  const press = (key: string) =>
    editor.view.someProp('handleKeyDown', (handle) => handle(editor.view, new KeyboardEvent('keydown', { key })));
  const quotes = () => {
    const found: string[] = [];
    editor.state.doc.descendants((node) => {
      if (node.type.name === 'excerpt') found.push(node.attrs.exact);
    });
    return found;
  };
  return { editor, selectExcerpt, type, press, quotes, excerptAt };
}

describe('excerptGuard: excerpts are never lost by accident', () => {
  it('sends what is typed over a selected excerpt into a new paragraph after it', () => {
    const { editor, selectExcerpt, type, quotes } = sectionEditor();
    selectExcerpt();
    type('N');
    type('ew text');
    expect(quotes()).toEqual(['The quote that must survive.']);
    expect(editor.getJSON().content?.map((node) => node.type)).toEqual([
      'paragraph',
      'excerpt',
      'paragraph',
      'paragraph',
    ]);
    expect(editor.state.doc.child(2).textContent).toBe('New text');
  });

  it('types at the end of a wider selection holding an excerpt, keeping both text and excerpt', () => {
    const { editor, type, quotes } = sectionEditor();
    editor.view.dispatch(
      editor.state.tr.setSelection(TextSelection.create(editor.state.doc, 2, editor.state.doc.content.size - 2)),
    );
    type('!');
    expect(quotes()).toEqual(['The quote that must survive.']);
    expect(editor.state.doc.textContent).toContain('Before.');
    expect(editor.state.doc.lastChild?.textContent).toBe('After!.');
  });

  it('refuses any other edit of this editor that would remove an excerpt', () => {
    const { editor, selectExcerpt, quotes } = sectionEditor();
    selectExcerpt();
    editor.view.dispatch(editor.state.tr.replaceSelectionWith(editor.schema.text('x')));
    editor.commands.setContent({ type: 'doc', content: [{ type: 'paragraph' }] });
    expect(quotes()).toEqual(['The quote that must survive.']);
  });

  it('removes a selected excerpt on Backspace or Delete, and says so with an Undo', () => {
    const { selectExcerpt, press, quotes } = sectionEditor();
    selectExcerpt();
    expect(press('Backspace')).toBe(true);
    flushSync();
    expect(quotes()).toEqual([]);
    const notice = document.querySelector('[data-testid="excerpt-removed"]');
    expect(notice?.textContent).toContain('Excerpt removed');
    expect(notice?.querySelector('[data-testid="excerpt-undo"]')?.textContent).toBe('Undo');
  });

  it('removes it with the card’s remove button too', () => {
    const { editor, quotes } = sectionEditor();
    flushSync();
    editor.view.dom.querySelector<HTMLButtonElement>('[data-testid="excerpt-remove"]')?.click();
    flushSync();
    expect(quotes()).toEqual([]);
    expect(document.querySelector('[data-testid="excerpt-removed"]')).not.toBeNull();
  });

  it('moves an excerpt without counting it removed', () => {
    const { editor, quotes, excerptAt } = sectionEditor();
    const at = excerptAt();
    const node = editor.state.doc.nodeAt(at)!;
    const tr = editor.state.tr.delete(at, at + node.nodeSize);
    tr.insert(0, node);
    editor.view.dispatch(tr);
    expect(quotes()).toEqual(['The quote that must survive.']);
    expect(editor.state.doc.firstChild?.type.name).toBe('excerpt');
  });

  it('lets the source side of a move to another editor go, without announcing a removal', () => {
    const { editor, quotes, excerptAt } = sectionEditor();
    const at = excerptAt();
    const size = editor.state.doc.nodeAt(at)!.nodeSize;
    editor.view.dispatch(editor.state.tr.delete(at, at + size));
    expect(quotes()).toEqual(['The quote that must survive.']);
    editor.view.dispatch(movingExcerpts(editor.state.tr.delete(at, at + size)));
    flushSync();
    expect(quotes()).toEqual([]);
    expect(document.querySelector('[data-testid="excerpt-removed"]')).toBeNull();
  });
});
