import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  BRIEFING_SCHEMA_VERSION,
  BriefingSchemaError,
  briefingToJSON,
  getSections,
  getTitle,
  initBriefing,
  migrateBriefing,
  richTextToPlainText,
  setTitle,
  TEMPLATES,
} from './index.ts';

const DEFAULT_SECTIONS = TEMPLATES['lessons-learned'].sections;

function paragraph(text: string, marks: Record<string, unknown> = {}): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  const t = new Y.XmlText();
  p.insert(0, [t]);
  t.insert(0, text, marks);
  return p;
}

function sync(a: Y.Doc, b: Y.Doc) {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('briefing schema', () => {
  it('initialises the lessons-learned sections in order, with the current version', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: '  Secure   comms  ' });
    expect(getTitle(doc)).toBe('Secure comms');
    expect(getSections(doc).map((s) => s.kind)).toEqual(DEFAULT_SECTIONS.map((s) => s.kind));
    expect(new Set(getSections(doc).map((s) => s.id)).size).toBe(DEFAULT_SECTIONS.length);
    expect(briefingToJSON(doc).schemaVersion).toBe(BRIEFING_SCHEMA_VERSION);
  });

  it('refuses to initialise a document twice', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'A' });
    expect(() => initBriefing(doc, { title: 'B' })).toThrow(BriefingSchemaError);
  });

  it('rejects empty and overlong titles', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'A' });
    expect(() => setTitle(doc, '   ')).toThrow(/empty/);
    expect(() => setTitle(doc, 'x'.repeat(201))).toThrow(/longer/);
    expect(getTitle(doc)).toBe('A');
  });

  it('converges two replicas editing the same section body', () => {
    const a = new Y.Doc();
    initBriefing(a, { title: 'T' });
    const b = new Y.Doc();
    sync(a, b);
    getSections(a)[0]?.body.insert(0, [paragraph('from a')]);
    getSections(b)[0]?.body.insert(0, [paragraph('from b')]);
    sync(a, b);
    expect(briefingToJSON(a)).toEqual(briefingToJSON(b));
    expect(richTextToPlainText(getSections(a)[0]!.body).split('\n\n').sort()).toEqual(['from a', 'from b']);
  });

  it('renders section bodies as ProseMirror JSON with marks', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'T' });
    const body = getSections(doc)[1]!.body;
    body.insert(0, [paragraph('bold', { bold: {} }), paragraph('link', { link: { href: 'https://example.org' } })]);
    expect(briefingToJSON(doc).sections[1]?.body).toEqual({
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'bold', marks: [{ type: 'bold' }] }] },
        {
          type: 'paragraph',
          content: [{ type: 'text', text: 'link', marks: [{ type: 'link', attrs: { href: 'https://example.org' } }] }],
        },
      ],
    });
  });

  it('skips sections written in a foreign shape instead of failing', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'T' });
    const bogus = new Y.Map<unknown>();
    bogus.set('id', 42);
    doc.getArray('sections').push([bogus]);
    expect(getSections(doc)).toHaveLength(DEFAULT_SECTIONS.length);
  });

  it('leaves a current document alone and refuses one from a newer build', () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'T' });
    expect(migrateBriefing(doc)).toBe(false);
    doc.getMap('meta').set('schemaVersion', BRIEFING_SCHEMA_VERSION + 1);
    expect(() => migrateBriefing(doc)).toThrow(/newer/);
  });
});
