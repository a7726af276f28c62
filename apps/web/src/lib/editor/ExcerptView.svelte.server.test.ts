// @vitest-environment jsdom
import {
  type Excerpt,
  type ExcerptAttrs,
  editorExtensions,
  editorSchema,
  initBriefing,
  newExcerptAttrs,
} from '@debrief/briefing';
import { createSource, startTestServer, type TestServer } from '@debrief/server/testing';
import { Editor, getSchema, type NodeViewRendererProps } from '@tiptap/core';
import { flushSync } from 'svelte';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { setApiBase } from '../api.ts';
import { SourceReader } from '../excerpts/SourceReader.svelte.ts';
import { ExcerptView } from './ExcerptView.svelte.ts';
import { ExcerptEditing } from './excerptEditing.ts';

const TEXT = 'One officer dialed in with his cellphone from a Singapore hotel room.';

let server: TestServer;
/** The id of the library's one source, which holds TEXT. */
let sourceId = '';

beforeAll(async () => {
  server = await startTestServer();
  setApiBase(server.url, { authorization: `Bearer ${server.account.token}` });
  sourceId = (await createSource(server.url, { content: TEXT, metadata: { title: 'WSJ: the Webex call' } })).id;
});
afterAll(() => server?.close());

class FakeSession {
  excerpts = $state.raw<Excerpt[]>([]);
}

const quoted = (): ExcerptAttrs =>
  newExcerptAttrs({
    sourceId,
    exact: 'dialed in with his cellphone',
    prefix: 'One officer ',
    suffix: ' from a Singapore hotel room.',
    start: 12,
    end: 40,
    quoteSha256: 'a'.repeat(64),
  });

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  document.body.replaceChildren();
});

/** A section editor as SectionEditor builds it (without collaboration), holding one excerpt. */
async function excerptEditor(attrs: ExcerptAttrs, { editable = true } = {}) {
  // The reader learns citation numbers from the document's excerpts, as the page's session gives them.
  const doc = new Y.Doc();
  initBriefing(doc, { title: 'T' });
  const session = new FakeSession();
  session.excerpts = [
    {
      ...attrs,
      sectionId: 's',
      location: { kind: 'section', sectionId: 's' },
      ordinal: 0,
      element: new Y.XmlElement('excerpt'),
    },
  ];
  let reader!: SourceReader;
  cleanups.push(
    $effect.root(() => {
      reader = new SourceReader(session);
    }),
  );
  await reader.loadSources();
  const host = document.createElement('div');
  document.body.append(host);
  const editor = new Editor({
    element: host,
    editable,
    extensions: editorExtensions({ excerpt: ExcerptEditing.configure({ reader }) }),
    content: { type: 'doc', content: [{ type: 'excerpt', attrs }, { type: 'paragraph' }] },
  });
  cleanups.push(() => editor.destroy());
  flushSync();
  const figure = () => host.querySelector<HTMLElement>('[data-testid="excerpt"]');
  const part = (testId: string) => host.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
  const setAttrs = (changes: Partial<ExcerptAttrs>) => {
    let tr = editor.state.tr;
    for (const [key, value] of Object.entries(changes)) tr = tr.setNodeAttribute(0, key, value);
    editor.view.dispatch(tr);
    flushSync();
  };
  return { editor, reader, host, figure, part, setAttrs, doc };
}

describe('ExcerptView', () => {
  it('draws the quote with its citation number, source and the server’s verdict', async () => {
    const { figure, part } = await excerptEditor({ ...quoted(), status: 'moved', statusReason: null });
    expect(part('excerpt-quote')?.textContent).toBe('dialed in with his cellphone');
    expect(part('citation-number')?.textContent).toBe('[1]');
    expect(part('excerpt-source')?.textContent).toBe('WSJ: the Webex call');
    expect(part('excerpt-status')?.textContent).toBe('moved in source');
    expect(figure()?.dataset.status).toBe('moved');
  });

  it('follows the node as the document changes: anchored is quiet, invalid shows why', async () => {
    const { part, setAttrs } = await excerptEditor(quoted());
    expect(part('excerpt-status')?.textContent).toBe('checking…');
    setAttrs({ status: 'anchored', anchoredStart: 12, anchoredEnd: 40 });
    expect(part('excerpt-status')).toBeNull();
    setAttrs({ status: 'invalid', statusReason: 'start must be a number, not the string "12"' });
    expect(part('excerpt-status')?.textContent).toBe('not a valid excerpt');
    expect(part('excerpt-status')?.title).toBe('start must be a number, not the string "12"');
    expect(part('excerpt-status-reason')?.textContent).toBe('start must be a number, not the string "12"');
    // Not a citation: no number, although its source has one.
    expect(part('citation-number')?.textContent).toBe('[?]');
  });

  it('writes a note back through a transaction, and Escape abandons the draft', async () => {
    const { editor, part } = await excerptEditor(quoted());
    const note = part('excerpt-note') as HTMLInputElement;
    const type = (value: string) => {
      note.focus();
      note.value = value;
      note.dispatchEvent(new Event('input', { bubbles: true }));
      flushSync();
    };
    type('  A single careless dial-in.  ');
    note.blur();
    flushSync();
    expect(editor.state.doc.firstChild?.attrs.note).toBe('A single careless dial-in.');
    type('Never mind');
    note.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    flushSync();
    expect(editor.state.doc.firstChild?.attrs.note).toBe('A single careless dial-in.');
    expect(note.value).toBe('A single careless dial-in.');
  });

  it('makes the note read-only when the editor is, and hides an empty one', async () => {
    const { editor, part } = await excerptEditor({ ...quoted(), note: 'Why it matters' });
    expect((part('excerpt-note') as HTMLInputElement).readOnly).toBe(false);
    editor.setEditable(false);
    flushSync();
    expect((part('excerpt-note') as HTMLInputElement).readOnly).toBe(true);
    const empty = await excerptEditor(quoted(), { editable: false });
    expect(empty.part('excerpt-note')).toBeNull();
  });

  it('leaves its own fields’ events and DOM changes to itself', async () => {
    const { editor, reader } = await excerptEditor(quoted());
    // The class itself, as ProseMirror builds it for the node at position 0.
    const view = new ExcerptView(
      { node: editor.state.doc.firstChild!, editor, getPos: () => 0 } as unknown as NodeViewRendererProps,
      reader,
    );
    cleanups.push(() => view.destroy());
    document.body.append(view.dom);
    flushSync();
    const inside = (testId: string) => view.dom.querySelector<HTMLElement>(`[data-testid="${testId}"]`)!;
    expect(view.stopEvent(eventOn(inside('excerpt-note')))).toBe(true);
    expect(view.stopEvent(eventOn(inside('citation-number')))).toBe(true);
    expect(view.stopEvent(eventOn(inside('excerpt-quote')))).toBe(false);
    expect(view.ignoreMutation()).toBe(true);
    view.selectNode();
    flushSync();
    expect(inside('excerpt').classList.contains('selected')).toBe(true);
    view.deselectNode();
    flushSync();
    expect(inside('excerpt').classList.contains('selected')).toBe(false);
    // Pressing in the note must select its words, not drag the whole block.
    inside('excerpt-note').dispatchEvent(new Event('pointerdown', { bubbles: true }));
    expect(view.dom.draggable).toBe(false);
    inside('excerpt-quote').dispatchEvent(new Event('pointerdown', { bubbles: true }));
    expect(view.dom.draggable).toBe(true);
    expect(view.update(editor.schema.nodes.paragraph!.create())).toBe(false);
  });

  it('opens the cited passage in the reader from the citation number', async () => {
    const { part, reader, figure } = await excerptEditor(quoted());
    part('citation-number')!.click();
    await vi.waitFor(() => expect(reader.source?.id).toBe(sourceId));
    expect(reader.focus?.excerptId).toBe(figure()?.dataset.excerptId);
  });

  it('is removed with the editor', async () => {
    const { editor, host } = await excerptEditor(quoted());
    expect(host.querySelector('[data-testid="excerpt"]')).not.toBeNull();
    editor.destroy();
    flushSync();
    expect(host.querySelector('[data-testid="excerpt"]')).toBeNull();
  });
});

describe('the web editor’s excerpts', () => {
  it('use the shared schema: same nodes, marks and excerpt attributes', () => {
    const web = getSchema(editorExtensions({ excerpt: ExcerptEditing.configure({ reader: null }) }));
    const shared = editorSchema();
    expect(Object.keys(web.nodes)).toEqual(Object.keys(shared.nodes));
    expect(Object.keys(web.marks)).toEqual(Object.keys(shared.marks));
    expect(web.nodes.excerpt!.spec.attrs).toEqual(shared.nodes.excerpt!.spec.attrs);
  });

  it('are added from the reader’s selection through the section’s editor', async () => {
    const { editor, reader } = await excerptEditor(quoted());
    await reader.open(sourceId);
    const unregister = reader.registerEditor('section-1', editor);
    reader.selection = { start: TEXT.indexOf('Singapore'), end: TEXT.indexOf(' hotel') };
    const added = reader.addSelectionTo('section-1');
    expect(added?.querySelector('[data-testid="excerpt-quote"]')?.textContent).toBe('Singapore');
    // Before the trailing empty paragraph, so typing can go on below it.
    expect(editor.state.doc.content.content.map((n) => n.type.name)).toEqual(['excerpt', 'excerpt', 'paragraph']);
    expect(editor.state.doc.child(1).attrs).toMatchObject({ exact: 'Singapore', status: 'pending', sourceId });
    expect(reader.selection).toBeNull();
    unregister();
    reader.selection = { start: 0, end: 3 };
    expect(reader.addSelectionTo('section-1')).toBeNull();
  });
});

function eventOn(target: HTMLElement): Event {
  const event = new Event('mousedown', { bubbles: true });
  Object.defineProperty(event, 'target', { value: target });
  return event;
}
