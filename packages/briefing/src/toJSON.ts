import * as Y from 'yjs';
import { BRIEFING_SCHEMA_VERSION, getSchemaVersion, getSections, getTitle, type SectionKind } from './schema.ts';

/** ProseMirror's JSON form of a node, as y-prosemirror lays it out in a Y.XmlFragment. */
export interface RichTextNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: RichTextNode[];
  text?: string;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
}

export interface BriefingJSON {
  schemaVersion: number;
  title: string;
  sections: Array<{ id: string; kind: SectionKind; heading: string; body: RichTextNode }>;
}

// y-prosemirror stores overlapping marks of one type as `name--<hash>`.
const markName = (key: string): string => key.replace(/--[A-Za-z0-9+/=]{8}$/, '');

function textToJSON(text: Y.XmlText): RichTextNode[] {
  const delta = text.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>;
  return delta
    .filter((op): op is { insert: string; attributes?: Record<string, unknown> } => typeof op.insert === 'string')
    .map((op) => {
      const node: RichTextNode = { type: 'text', text: op.insert };
      const marks = Object.entries(op.attributes ?? {}).map(([key, value]) => {
        const attrs = value && typeof value === 'object' && Object.keys(value).length > 0 ? value : undefined;
        return attrs ? { type: markName(key), attrs: attrs as Record<string, unknown> } : { type: markName(key) };
      });
      if (marks.length > 0) node.marks = marks;
      return node;
    });
}

function childrenToJSON(parent: Y.XmlFragment | Y.XmlElement): RichTextNode[] {
  return parent.toArray().flatMap((child): RichTextNode[] => {
    if (child instanceof Y.XmlText) return textToJSON(child);
    if (child instanceof Y.XmlElement) return [elementToJSON(child)];
    return [];
  });
}

function elementToJSON(element: Y.XmlElement): RichTextNode {
  const node: RichTextNode = { type: element.nodeName };
  const attrs = element.getAttributes() as Record<string, unknown>;
  if (Object.keys(attrs).length > 0) node.attrs = attrs;
  const content = childrenToJSON(element);
  if (content.length > 0) node.content = content;
  return node;
}

/** A section body as a ProseMirror `doc` node. */
export function richTextToJSON(fragment: Y.XmlFragment): RichTextNode {
  return { type: 'doc', content: childrenToJSON(fragment) };
}

/** Plain text of a rich-text body, blocks separated by blank lines (search, previews). */
export function richTextToPlainText(fragment: Y.XmlFragment): string {
  const blockText = (node: RichTextNode): string =>
    node.text ?? (node.content ?? []).map((child) => blockText(child)).join(childSeparator(node));
  const childSeparator = (node: RichTextNode) => (node.content?.some((c) => c.type === 'text') ? '' : '\n\n');
  return blockText(richTextToJSON(fragment)).trim();
}

/** The whole briefing as plain data: what export, search and the API read. */
export function briefingToJSON(doc: Y.Doc): BriefingJSON {
  return {
    schemaVersion: getSchemaVersion(doc) || BRIEFING_SCHEMA_VERSION,
    title: getTitle(doc),
    sections: getSections(doc).map((s) => ({
      id: s.id,
      kind: s.kind,
      heading: s.heading,
      body: richTextToJSON(s.body),
    })),
  };
}
