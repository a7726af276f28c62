import { Node as PmNode } from '@tiptap/pm/model';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  createExcerptElement,
  EXCERPT_ATTR_DEFAULTS,
  editorSchema,
  getSections,
  initBriefing,
  richTextToJSON,
  yjsToProseMirror,
} from '../index.ts';

function element(name: string, attrs: Record<string, unknown>, children: Array<Y.XmlElement | Y.XmlText> = []) {
  const el = new Y.XmlElement(name);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value as string);
  el.insert(0, children);
  return el;
}

function text(...runs: Array<[string, Record<string, unknown>?]>): Y.XmlText {
  const t = new Y.XmlText();
  // Formatting is applied once the text is in a document; until then keep the runs on the side.
  pendingRuns.set(t, runs);
  return t;
}
const pendingRuns = new Map<Y.XmlText, Array<[string, Record<string, unknown>?]>>();
function fillTexts() {
  for (const [t, runs] of pendingRuns) {
    let at = 0;
    for (const [chunk, marks] of runs) {
      t.insert(at, chunk, marks ?? {});
      at += chunk.length;
    }
  }
  pendingRuns.clear();
}

/** A section body with every part of the vocabulary, as the editor would lay it out. */
function richBody(): { doc: Y.Doc; body: Y.XmlFragment } {
  const doc = new Y.Doc();
  initBriefing(doc, { title: 'T' });
  const body = getSections(doc)[1]!.body;
  body.push([
    element('heading', { level: 2 }, [text(['Dial-in'])]),
    element('paragraph', {}, [
      text(
        ['plain '],
        ['bold', { bold: {} }],
        [' and '],
        ['linked', { link: { href: 'https://example.org', target: '_blank', rel: 'noopener noreferrer nofollow' } }],
      ),
      element('hardBreak', {}),
      text(['after the break', { italic: {}, underline: {} }]),
    ]),
    element('bulletList', {}, [element('listItem', {}, [element('paragraph', {}, [text(['item', { strike: {} }])])])]),
    element('orderedList', { start: 3 }, [element('listItem', {}, [element('paragraph', {}, [text(['third'])])])]),
    element('blockquote', {}, [element('paragraph', {}, [text(['quoted', { code: {} }])])]),
    element('codeBlock', { language: 'ts' }, [text(['const x = 1;'])]),
    element('horizontalRule', {}),
    createExcerptElement({
      sourceId: '0e5bb2a4-3c83-4a6f-8a0e-2c8e3f6f9d11',
      exact: 'quoted passage',
      start: 4,
      end: 18,
      quoteSha256: 'a'.repeat(64),
    }),
  ]);
  fillTexts();
  return { doc, body };
}

/** y-tiptap's own reading of a body, on a copy: it deletes what it cannot read from the document it reads. */
function bindingReading(doc: Y.Doc, sectionIndex: number): PmNode {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return yXmlFragmentToProseMirrorRootNode(getSections(copy)[sectionIndex]!.body, editorSchema());
}

describe('the editor schema', () => {
  it('builds in Node without a DOM', () => {
    expect('document' in globalThis).toBe(false);
    expect(editorSchema()).toBe(editorSchema());
  });

  it('has exactly StarterKit’s vocabulary and the excerpt node', () => {
    const schema = editorSchema();
    expect(Object.keys(schema.nodes).sort()).toEqual(
      [
        'blockquote',
        'bulletList',
        'codeBlock',
        'doc',
        'excerpt',
        'hardBreak',
        'heading',
        'horizontalRule',
        'listItem',
        'orderedList',
        'paragraph',
        'text',
      ].sort(),
    );
    expect(Object.keys(schema.marks).sort()).toEqual(['bold', 'code', 'italic', 'link', 'strike', 'underline']);
  });

  it('gives the excerpt node every excerpt attribute, with the same defaults', () => {
    const attrs = editorSchema().nodes.excerpt!.spec.attrs as Record<string, { default: unknown }>;
    expect(Object.fromEntries(Object.entries(attrs).map(([key, spec]) => [key, spec.default]))).toEqual(
      EXCERPT_ATTR_DEFAULTS,
    );
  });
});

describe('reading a section body through the schema', () => {
  it('reads what the editor’s binding reads', () => {
    const { doc, body } = richBody();
    const ours = yjsToProseMirror(body, editorSchema());
    expect(ours.toJSON()).toEqual(bindingReading(doc, 1).toJSON());
    expect(() => ours.check()).not.toThrow();
    expect(ours.childCount).toBe(8);
  });

  it('writes compact JSON that ProseMirror reads back into the same document', () => {
    const { body } = richBody();
    const json = richTextToJSON(body);
    expect(PmNode.fromJSON(editorSchema(), json).eq(yjsToProseMirror(body, editorSchema()))).toBe(true);
    expect(json.content?.[0]).toEqual({
      type: 'heading',
      attrs: { level: 2 },
      content: [{ type: 'text', text: 'Dial-in' }],
    });
    expect(json.content?.[1]?.content?.[3]).toEqual({
      type: 'text',
      text: 'linked',
      marks: [{ type: 'link', attrs: { href: 'https://example.org' } }],
    });
    expect(json.content?.[7]?.attrs).toMatchObject({ exact: 'quoted passage', start: 4, end: 18 });
    expect(json.content?.[7]?.attrs).not.toHaveProperty('anchoredStart');
  });

  it('leaves out what the schema does not know, as the editor does, without changing the document', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'T' });
    const body = getSections(doc)[0]!.body;
    body.push([
      element('paragraph', {}, [text(['kept'])]),
      element('callout', { tone: 'warning' }, [element('paragraph', {}, [text(['unknown block'])])]),
      element('paragraph', {}, [text(['highlighted', { highlight: { color: 'yellow' } }], ['plain'])]),
      element('heading', { level: 3 }, [text(['also kept'])]),
    ]);
    fillTexts();
    const before = Y.encodeStateAsUpdate(doc);
    expect(richTextToJSON(body)).toEqual({
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'kept' }] },
        // The binding drops a text run with an unknown mark whole, so export does too.
        { type: 'paragraph' },
        { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'also kept' }] },
      ],
    });
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    expect(yjsToProseMirror(body, editorSchema()).toJSON()).toEqual(bindingReading(doc, 0).toJSON());
  });

  it('skips text lying loose in a body, where the binding would fail', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'T' });
    const body = getSections(doc)[0]!.body;
    const loose = new Y.XmlText();
    body.push([loose, element('paragraph', {}, [text(['kept'])])]);
    loose.insert(0, 'loose');
    fillTexts();
    expect(richTextToJSON(body)).toEqual({
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'kept' }] }],
    });
  });

  it('renders an empty body as an empty doc', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'T' });
    expect(richTextToJSON(getSections(doc)[0]!.body)).toEqual({ type: 'doc', content: [] });
  });
});
