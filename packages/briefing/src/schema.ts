import { DomainError } from '@debrief/errors';
import * as Y from 'yjs';
import type { z } from 'zod';

/**
 * The Yjs layout of a briefing, defined once. Every reader and writer (web client, server,
 * export, tests, outside clients) goes through the accessors of this package; docs/document-schema.md
 * describes the same layout for clients that use plain `yjs`.
 *
 *   doc.getMap('meta')        schemaVersion, title, template, marking, event, period, authors, status (meta.ts)
 *   doc.getArray('sections')  Y.Map per section, in any order; `order` sorts them (sections.ts)
 *   doc.getArray('lessons')   Y.Map per lesson entry, sorted by `order` likewise (lessons.ts)
 *   doc.getMap('comments')    Y.Map per comment thread, by thread id (comments.ts)
 *
 * Every rich-text body is a Y.XmlFragment of the editor schema (editor/editorSchema.ts) in
 * y-prosemirror's layout.
 */
export const BRIEFING_SCHEMA_VERSION = 2;

export const ROOT_META = 'meta';
export const ROOT_SECTIONS = 'sections';
export const ROOT_LESSONS = 'lessons';
export const ROOT_COMMENTS = 'comments';
/** Every root type a briefing document has; the server refuses updates that create any other. */
export const ROOT_TYPES: ReadonlySet<string> = new Set([ROOT_META, ROOT_SECTIONS, ROOT_LESSONS, ROOT_COMMENTS]);

/** A document or a value that does not fit the briefing schema (a title too long, a newer version). */
export class BriefingSchemaError extends DomainError<'briefing_schema_invalid'> {
  constructor(message: string) {
    super('briefing_schema_invalid', 400, message);
  }
}

export const metaMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_META);
export const sectionsArray = (doc: Y.Doc): Y.Array<unknown> => doc.getArray(ROOT_SECTIONS);
export const lessonsArray = (doc: Y.Doc): Y.Array<unknown> => doc.getArray(ROOT_LESSONS);
export const commentsMap = (doc: Y.Doc): Y.Map<unknown> => doc.getMap(ROOT_COMMENTS);

export const newId = (): string => globalThis.crypto.randomUUID();

/**
 * Parses `value` with `schema`, or throws BriefingSchemaError naming `what` and the first problem
 * ("lesson title: must be at most 200 characters"), for a person to act on.
 */
export function validated<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = issue.path.length > 0 ? ` ${issue.path.join('.')}` : '';
  throw new BriefingSchemaError(`${what}${path}: ${issue.message}`);
}

export function getSchemaVersion(doc: Y.Doc): number {
  const version = metaMap(doc).get('schemaVersion');
  return typeof version === 'number' ? version : 0;
}

/** A string value of a map, or `fallback` when a foreign client wrote something else there. */
export function readString(map: Y.Map<unknown>, key: string, fallback = ''): string {
  const value = map.get(key);
  return typeof value === 'string' ? value : fallback;
}

/** Calls `listener` after any change to the briefing: structure, fields, content or comments. */
export function observeBriefing(doc: Y.Doc, listener: () => void): () => void {
  const onChange = () => listener();
  // biome-ignore lint/suspicious/noExplicitAny: every root type's deep observer takes the same listener
  const roots: Array<Y.AbstractType<any>> = [metaMap(doc), sectionsArray(doc), lessonsArray(doc), commentsMap(doc)];
  for (const root of roots) root.observeDeep(onChange);
  return () => {
    for (const root of roots) root.unobserveDeep(onChange);
  };
}

/** Whether `value` is a Y.Map (entries a foreign client pushed in another shape are skipped). */
export const isMap = (value: unknown): value is Y.Map<unknown> => value instanceof Y.Map;
