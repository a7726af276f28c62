import * as Y from 'yjs';
import { z } from 'zod';
import { orderedMaps, orderKeyAt } from './ordering.ts';
import { BriefingSchemaError, newId, readString, sectionsArray, validated } from './schema.ts';

/**
 * Narrative sections: BLUF, background and timeline, the place of the lesson entries, the
 * recommendations summary, an after-action review's five parts, or anything people add. Each is
 * a Y.Map: id, kind, heading, order (ordering.ts) and body (rich text).
 */
export const SECTION_KINDS = [
  'bluf',
  'background',
  /** Where the lesson entries are read: its body introduces them, the lessons follow it. */
  'lessons',
  'recommendations',
  // After-action review.
  'planned',
  'happened',
  'why',
  'sustain',
  'improve',
  // Schema version 1's flat layout, kept by the migration with what people wrote in them.
  'observations',
  'discussion',
  'conclusions',
  'custom',
] as const;
export const SectionKindSchema = z.enum(SECTION_KINDS);
export type SectionKind = z.infer<typeof SectionKindSchema>;

export const MAX_HEADING_LENGTH = 120;
export const HeadingSchema = z
  .string()
  .transform((value) => value.replace(/\s+/g, ' ').trim())
  .pipe(
    z.string().min(1, 'must not be empty').max(MAX_HEADING_LENGTH, `must be at most ${MAX_HEADING_LENGTH} characters`),
  );

export interface Section {
  readonly id: string;
  readonly kind: SectionKind;
  readonly heading: string;
  readonly body: Y.XmlFragment;
}

export function createSectionMap(kind: SectionKind, heading: string, order: string, id = newId()): Y.Map<unknown> {
  const section = new Y.Map<unknown>();
  section.set('id', id);
  section.set('kind', kind);
  section.set('heading', heading);
  section.set('order', order);
  section.set('body', new Y.XmlFragment());
  return section;
}

function readSection(map: Y.Map<unknown>): Section | null {
  const id = map.get('id');
  const body = map.get('body');
  if (typeof id !== 'string' || !(body instanceof Y.XmlFragment)) return null;
  const kind = SectionKindSchema.safeParse(map.get('kind'));
  return { id, kind: kind.success ? kind.data : 'custom', heading: readString(map, 'heading'), body };
}

function sectionMaps(doc: Y.Doc): Array<{ map: Y.Map<unknown>; section: Section }> {
  return orderedMaps(sectionsArray(doc)).flatMap((map) => {
    const section = readSection(map);
    return section ? [{ map, section }] : [];
  });
}

/** Sections in reading order; entries a foreign client wrote in a wrong shape are skipped. */
export function getSections(doc: Y.Doc): Section[] {
  return sectionMaps(doc).map((s) => s.section);
}

export function findSection(doc: Y.Doc, id: string): Section | undefined {
  return getSections(doc).find((s) => s.id === id);
}

function mapOf(doc: Y.Doc, id: string): Y.Map<unknown> {
  const found = sectionMaps(doc).find((s) => s.section.id === id);
  if (!found) throw new BriefingSchemaError(`no section ${id}`);
  return found.map;
}

/** Adds a section at `index` in reading order (default: the end); answers its id. */
export function addSection(doc: Y.Doc, input: { heading: string; kind?: SectionKind; index?: number }): string {
  const heading = validated(HeadingSchema, input.heading, 'section heading');
  const kind = validated(SectionKindSchema, input.kind ?? 'custom', 'section kind');
  const id = newId();
  doc.transact(() => {
    const others = sectionMaps(doc).map((s) => s.map);
    sectionsArray(doc).push([createSectionMap(kind, heading, orderKeyAt(others, input.index ?? others.length), id)]);
  });
  return id;
}

export function renameSection(doc: Y.Doc, id: string, heading: string): void {
  const clean = validated(HeadingSchema, heading, 'section heading');
  mapOf(doc, id).set('heading', clean);
}

/** Removes a section with its body (named versions keep what it held). */
export function removeSection(doc: Y.Doc, id: string): void {
  const map = mapOf(doc, id);
  const array = sectionsArray(doc);
  const index = array.toArray().indexOf(map);
  if (index >= 0) array.delete(index, 1);
}

/** Moves a section to `index` in reading order (as counted without it). */
export function moveSection(doc: Y.Doc, id: string, index: number): void {
  doc.transact(() => {
    const map = mapOf(doc, id);
    const others = sectionMaps(doc)
      .map((s) => s.map)
      .filter((m) => m !== map);
    map.set('order', orderKeyAt(others, index));
  });
}
