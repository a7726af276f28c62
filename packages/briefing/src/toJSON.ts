import type { Mark, Node as PmNode } from '@tiptap/pm/model';
import type * as Y from 'yjs';
import { z } from 'zod';
import { BodyLocationSchema, getBodies } from './bodies.ts';
import { CommentAuthorSchema, CommentMessageSchema, getThreads, resolveAnchor } from './comments.ts';
import { editorSchema } from './editor/editorSchema.ts';
import { yjsToProseMirror } from './editor/yjsToProseMirror.ts';
import { LessonEvidenceSchema, lessonEvidence } from './evidence.ts';
import { citationNumbers, ExcerptAttrsSchema, getExcerpts, inspectExcerpts } from './excerpts.ts';
import { CapabilityAreaSchema, getLessons, LessonStatusSchema } from './lessons.ts';
import {
  BriefingStatusSchema,
  getAuthors,
  getEvent,
  getMarking,
  getPeriod,
  getStatus,
  getTemplate,
  getTitle,
  MarkingSchema,
  TemplateIdSchema,
} from './meta.ts';
import { BRIEFING_SCHEMA_VERSION, getSchemaVersion } from './schema.ts';
import { getSections, SectionKindSchema } from './sections.ts';

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

export const RichTextNodeSchema: z.ZodType<RichTextNode> = z.lazy(() =>
  z.object({
    type: z.string(),
    attrs: z.record(z.string(), z.unknown()).optional(),
    content: z.array(RichTextNodeSchema).optional(),
    text: z.string().optional(),
    marks: z.array(z.object({ type: z.string(), attrs: z.record(z.string(), z.unknown()).optional() })).optional(),
  }),
);

/** A rich-text body: ProseMirror's JSON of a `doc` node of the editor schema. */
const BodySchema = RichTextNodeSchema;

/**
 * The whole briefing as plain data, what export, search and the API read; validated by export
 * before it renders anything. Sections in reading order (a `lessons` section marks where the
 * lessons are read; without one they follow the last section), lessons in reading order, every
 * well-formed excerpt in reading order with its attributes and citation number, comment threads.
 */
export const BriefingJSONSchema = z.object({
  schemaVersion: z.number().int(),
  title: z.string(),
  template: TemplateIdSchema.nullable(),
  marking: MarkingSchema,
  event: z.string(),
  period: z.object({ start: z.string().nullable(), end: z.string().nullable() }),
  authors: z.array(z.string()),
  status: BriefingStatusSchema,
  sections: z.array(z.object({ id: z.string(), kind: SectionKindSchema, heading: z.string(), body: BodySchema })),
  lessons: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      capabilityArea: CapabilityAreaSchema.nullable(),
      status: LessonStatusSchema,
      actionBody: z.string(),
      owner: z.string(),
      dueDate: z.string().nullable(),
      observation: BodySchema,
      discussion: BodySchema,
      conclusion: BodySchema,
      recommendation: BodySchema,
      evidence: LessonEvidenceSchema,
    }),
  ),
  excerpts: z.array(
    ExcerptAttrsSchema.extend({
      location: BodyLocationSchema,
      /** Position among the briefing's excerpts in reading order, from 0. */
      ordinal: z.number().int(),
      /** The citation number of its source (sources numbered by first excerpt, from 1). */
      citationNumber: z.number().int(),
    }),
  ),
  /** Excerpt elements in a wrong shape: not citations, listed so that nothing is silently dropped. */
  invalidExcerpts: z.array(z.object({ location: BodyLocationSchema, reason: z.string() })),
  comments: z.array(
    z.object({
      id: z.string(),
      anchor: z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('range'), quote: z.string(), originalQuote: z.string() }),
        z.object({ kind: z.literal('excerpt'), excerptId: z.string(), quote: z.string() }),
      ]),
      location: BodyLocationSchema.nullable(),
      detached: z.boolean(),
      resolved: z.boolean(),
      author: CommentAuthorSchema,
      createdAt: z.string(),
      messages: z.array(CommentMessageSchema),
    }),
  ),
});
export type BriefingJSON = z.infer<typeof BriefingJSONSchema>;

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

/** The whole briefing as plain data (BriefingJSONSchema). Reads only: the document is not changed. */
export function briefingToJSON(doc: Y.Doc): BriefingJSON {
  const { excerpts, invalid } = inspectExcerpts(doc);
  const numbers = citationNumbers(excerpts);
  const evidence = lessonEvidence(doc);
  return {
    schemaVersion: getSchemaVersion(doc) || BRIEFING_SCHEMA_VERSION,
    title: getTitle(doc),
    template: getTemplate(doc),
    marking: getMarking(doc),
    event: getEvent(doc),
    period: getPeriod(doc),
    authors: getAuthors(doc),
    status: getStatus(doc),
    sections: getSections(doc).map((s) => ({
      id: s.id,
      kind: s.kind,
      heading: s.heading,
      body: richTextToJSON(s.body),
    })),
    lessons: getLessons(doc).map((lesson) => ({
      id: lesson.id,
      title: lesson.title,
      capabilityArea: lesson.capabilityArea,
      status: lesson.status,
      actionBody: lesson.actionBody,
      owner: lesson.owner,
      dueDate: lesson.dueDate,
      observation: richTextToJSON(lesson.bodies.observation),
      discussion: richTextToJSON(lesson.bodies.discussion),
      conclusion: richTextToJSON(lesson.bodies.conclusion),
      recommendation: richTextToJSON(lesson.bodies.recommendation),
      evidence: evidence.get(lesson.id)!,
    })),
    excerpts: excerpts.map(({ element: _element, sectionId: _owner, ...excerpt }) => ({
      ...excerpt,
      citationNumber: numbers.get(excerpt.sourceId)!,
    })),
    invalidExcerpts: invalid.map((e) => ({ location: e.location, reason: e.reason })),
    comments: getThreads(doc).map((thread) => {
      const where = resolveAnchor(doc, thread.anchor);
      return {
        id: thread.id,
        anchor:
          thread.anchor.kind === 'range'
            ? { kind: 'range' as const, quote: where.quote, originalQuote: thread.anchor.quote }
            : { kind: 'excerpt' as const, excerptId: thread.anchor.excerptId, quote: where.quote },
        location: where.location,
        detached: where.detached,
        resolved: thread.resolved,
        author: thread.author,
        createdAt: thread.createdAt,
        messages: thread.messages,
      };
    }),
  };
}

/** Everything a person can search a briefing by, as plain text: fields, headings, lessons, bodies. */
export function briefingPlainText(doc: Y.Doc): string {
  const parts: string[] = [getTitle(doc), getEvent(doc), ...getAuthors(doc)];
  const marking = getMarking(doc);
  if (marking.classification) parts.push(marking.classification);
  if (marking.tlp) parts.push(marking.tlp);
  for (const section of getSections(doc)) parts.push(section.heading);
  for (const lesson of getLessons(doc)) parts.push(lesson.title, lesson.actionBody, lesson.owner);
  for (const body of getBodies(doc)) parts.push(richTextToPlainText(body.fragment));
  for (const excerpt of getExcerpts(doc)) parts.push(excerpt.exact, excerpt.note);
  return parts.filter(Boolean).join('\n');
}
