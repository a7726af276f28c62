import { DomainError } from '@debrief/errors';
import * as Y from 'yjs';

/**
 * The Yjs layout of a briefing, defined once. Every reader and writer (web client, server,
 * export, tests, outside clients) goes through these names and accessors; docs/document-schema.md
 * describes the same layout for clients that use plain `yjs`.
 *
 *   doc.getMap('meta')        schemaVersion: number, title: string
 *   doc.getArray('sections')  Y.Map per section, in reading order:
 *                               id: string, kind: SectionKind, heading: string,
 *                               body: Y.XmlFragment (ProseMirror content of the editor schema,
 *                                     editor/editorSchema.ts, in y-prosemirror's layout)
 */
export const BRIEFING_SCHEMA_VERSION = 1;

export const ROOT_META = 'meta';
export const ROOT_SECTIONS = 'sections';
/** Every root type a briefing document has; the server refuses updates that create any other. */
export const ROOT_TYPES: ReadonlySet<string> = new Set([ROOT_META, ROOT_SECTIONS]);

export const SECTION_KINDS = [
  'bluf',
  'observations',
  'discussion',
  'conclusions',
  'recommendations',
  'custom',
] as const;
export type SectionKind = (typeof SECTION_KINDS)[number];

/** The lessons-learned layout every new briefing starts with (DOMAIN.md: BLUF first). */
export const DEFAULT_SECTIONS: ReadonlyArray<{ kind: SectionKind; heading: string }> = [
  { kind: 'bluf', heading: 'Bottom line up front' },
  { kind: 'observations', heading: 'Observations' },
  { kind: 'discussion', heading: 'Discussion' },
  { kind: 'conclusions', heading: 'Conclusions' },
  { kind: 'recommendations', heading: 'Recommendations' },
];

export const MAX_TITLE_LENGTH = 200;

export interface Section {
  readonly id: string;
  readonly kind: SectionKind;
  readonly heading: string;
  readonly body: Y.XmlFragment;
}

/** A document or a value that does not fit the briefing schema (a title too long, a newer version). */
export class BriefingSchemaError extends DomainError<'briefing_schema_invalid'> {
  constructor(message: string) {
    super('briefing_schema_invalid', 400, message);
  }
}

function meta(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(ROOT_META);
}

function sectionsArray(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
  return doc.getArray<Y.Map<unknown>>(ROOT_SECTIONS);
}

function newSectionId(): string {
  return globalThis.crypto.randomUUID();
}

function createSectionMap(kind: SectionKind, heading: string): Y.Map<unknown> {
  const section = new Y.Map<unknown>();
  section.set('id', newSectionId());
  section.set('kind', kind);
  section.set('heading', heading);
  section.set('body', new Y.XmlFragment());
  return section;
}

/**
 * Fills an empty document with the current schema version, a title and the default sections.
 * Only the server does this, once, when a briefing is created: two clients initialising the same
 * empty document would each insert their own sections and both copies would survive the merge.
 */
export function initBriefing(doc: Y.Doc, init: { title: string }): void {
  if (meta(doc).size > 0 || sectionsArray(doc).length > 0) {
    throw new BriefingSchemaError('document is already initialised');
  }
  doc.transact(() => {
    meta(doc).set('schemaVersion', BRIEFING_SCHEMA_VERSION);
    meta(doc).set('title', normaliseTitle(init.title));
    sectionsArray(doc).push(DEFAULT_SECTIONS.map((s) => createSectionMap(s.kind, s.heading)));
  });
}

export function normaliseTitle(title: string): string {
  const clean = title.replace(/\s+/g, ' ').trim();
  if (!clean) throw new BriefingSchemaError('title must not be empty');
  if (clean.length > MAX_TITLE_LENGTH)
    throw new BriefingSchemaError(`title is longer than ${MAX_TITLE_LENGTH} characters`);
  return clean;
}

export function getSchemaVersion(doc: Y.Doc): number {
  const version = meta(doc).get('schemaVersion');
  return typeof version === 'number' ? version : 0;
}

export function getTitle(doc: Y.Doc): string {
  const title = meta(doc).get('title');
  return typeof title === 'string' ? title : '';
}

export function setTitle(doc: Y.Doc, title: string): void {
  meta(doc).set('title', normaliseTitle(title));
}

function readSection(entry: unknown): Section | null {
  // Anything a foreign client pushed into the array that is not a map is not a section.
  if (!(entry instanceof Y.Map)) return null;
  const map = entry as Y.Map<unknown>;
  const id = map.get('id');
  const kind = map.get('kind');
  const heading = map.get('heading');
  const body = map.get('body');
  if (typeof id !== 'string' || !(body instanceof Y.XmlFragment)) return null;
  return {
    id,
    kind: SECTION_KINDS.includes(kind as SectionKind) ? (kind as SectionKind) : 'custom',
    heading: typeof heading === 'string' ? heading : '',
    body,
  };
}

/** Sections in reading order; entries a foreign client wrote in a wrong shape are skipped. */
export function getSections(doc: Y.Doc): Section[] {
  return sectionsArray(doc)
    .toArray()
    .map(readSection)
    .filter((s): s is Section => s !== null);
}

export function findSection(doc: Y.Doc, id: string): Section | undefined {
  return getSections(doc).find((s) => s.id === id);
}

/** Calls `listener` after any change to the briefing's structure, title or content. */
export function observeBriefing(doc: Y.Doc, listener: () => void): () => void {
  const onChange = () => listener();
  meta(doc).observe(onChange);
  sectionsArray(doc).observeDeep(onChange);
  return () => {
    meta(doc).unobserve(onChange);
    sectionsArray(doc).unobserveDeep(onChange);
  };
}
