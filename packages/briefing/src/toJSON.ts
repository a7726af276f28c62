import type { Mark, Node as PmNode } from '@tiptap/pm/model';
import type * as Y from 'yjs';
import { editorSchema } from './editor/editorSchema.ts';
import { yjsToProseMirror } from './editor/yjsToProseMirror.ts';
import { BRIEFING_SCHEMA_VERSION, getSchemaVersion, getSections, getTitle, type SectionKind } from './schema.ts';

/**
 * ProseMirror's JSON form of a node of the editor schema, with every attribute that has its
 * schema default left out: the same content gives the same JSON whether the editor wrote it (it
 * stores every attribute) or a plain yjs client did (it may store only those it sets).
 * `Node.fromJSON(editorSchema(), json)` restores the defaults.
 */
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

type AttributeSpecs = Record<string, { default?: unknown }> | undefined;

const same = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));

function changedAttrs(attrs: Record<string, unknown>, specs: AttributeSpecs): Record<string, unknown> | undefined {
  const changed = Object.entries(attrs).filter(([name, value]) => !same(value, specs?.[name]?.default));
  return changed.length > 0 ? Object.fromEntries(changed) : undefined;
}

function markToJSON(mark: Mark): { type: string; attrs?: Record<string, unknown> } {
  const attrs = changedAttrs(mark.attrs, mark.type.spec.attrs);
  return attrs ? { type: mark.type.name, attrs } : { type: mark.type.name };
}

function nodeToJSON(node: PmNode): RichTextNode {
  const json: RichTextNode = { type: node.type.name };
  const attrs = changedAttrs(node.attrs, node.type.spec.attrs);
  if (attrs) json.attrs = attrs;
  if (node.isText) json.text = node.text ?? '';
  if (node.childCount > 0) {
    const content: RichTextNode[] = [];
    node.forEach((child) => {
      content.push(nodeToJSON(child));
    });
    json.content = content;
  }
  if (node.marks.length > 0) json.marks = node.marks.map(markToJSON);
  return json;
}

/**
 * A section body as a ProseMirror `doc` node of the editor schema. What the schema does not know
 * is left out, as the editor leaves it out (docs/document-schema.md); the document is not changed.
 */
export function richTextToJSON(fragment: Y.XmlFragment): RichTextNode {
  return { content: [], ...nodeToJSON(yjsToProseMirror(fragment, editorSchema())) };
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
