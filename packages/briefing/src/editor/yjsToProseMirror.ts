import type { Mark, Node as PmNode, Schema } from '@tiptap/pm/model';
import * as Y from 'yjs';

/**
 * Reads a section body (a Y.XmlFragment in y-prosemirror's layout) into a ProseMirror document of
 * `schema`, reading exactly what the editor's binding reads and dropping what it drops: an element
 * whose node type the schema does not know or whose attributes it refuses, and a text run carrying
 * a mark it does not know. Unlike the binding (y-prosemirror's own converter deletes what it drops
 * from the Yjs document), this only reads: export and the API never change a document.
 */
export function yjsToProseMirror(fragment: Y.XmlFragment, schema: Schema): PmNode {
  const blocks = fragment.toArray().flatMap((child) => (child instanceof Y.XmlElement ? nodeOf(child, schema) : []));
  return schema.topNodeType.create(null, blocks);
}

// y-prosemirror stores overlapping marks of one type as `name--<hash>`.
const markName = (key: string): string => /^(.*)--[a-zA-Z0-9+/=]{8}$/.exec(key)?.[1] ?? key;

function nodeOf(element: Y.XmlElement, schema: Schema): PmNode[] {
  const children = element.toArray().flatMap((child): PmNode[] => {
    if (child instanceof Y.XmlElement) return nodeOf(child, schema);
    if (child instanceof Y.XmlText) return textOf(child, schema);
    return [];
  });
  try {
    return [schema.node(element.nodeName, element.getAttributes(), children)];
  } catch {
    return [];
  }
}

function textOf(text: Y.XmlText, schema: Schema): PmNode[] {
  const delta = text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>;
  try {
    return delta.map((op) => {
      if (typeof op.insert !== 'string') throw new TypeError('an embed is not text');
      const marks: Mark[] = Object.entries(op.attributes ?? {}).map(([key, attrs]) =>
        schema.mark(markName(key), attrs as Record<string, unknown>),
      );
      return schema.text(op.insert, marks);
    });
  } catch {
    return [];
  }
}
