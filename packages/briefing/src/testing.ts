import * as Y from 'yjs';

/** Helpers for this package's tests: documents built as the editor lays them out. */

export function paragraph(text: string, marks: Record<string, unknown> = {}): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  const t = new Y.XmlText();
  p.insert(0, [t]);
  // Text is filled once the paragraph is in a document, as Yjs wants.
  pending.set(t, [text, marks]);
  return p;
}
const pending = new Map<Y.XmlText, [string, Record<string, unknown>]>();

/** Appends paragraphs to a body, inside the document. */
export function write(body: Y.XmlFragment, ...texts: string[]): void {
  const paragraphs = texts.map((text) => paragraph(text));
  body.push(paragraphs);
  for (const p of paragraphs) {
    const t = p.get(0) as Y.XmlText;
    const [text, marks] = pending.get(t)!;
    t.insert(0, text, marks);
    pending.delete(t);
  }
}

/** Exchanges everything two replicas have, both ways. */
export function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

/** A replica of `doc` (another client). */
export function replica(doc: Y.Doc): Y.Doc {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
}

/** A quote as a client would write it (the hash need not match for these tests). */
export const quote = (sourceId: string, exact: string, start = 10) => ({
  sourceId,
  exact,
  prefix: 'before ',
  suffix: ' after',
  start,
  end: start + exact.length,
  quoteSha256: 'f'.repeat(64),
});
