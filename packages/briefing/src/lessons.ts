import * as Y from 'yjs';
import { z } from 'zod';
import { IsoDateSchema } from './meta.ts';
import { orderedMaps, orderKeyAt } from './ordering.ts';
import { BriefingSchemaError, lessonsArray, newId, readString, validated } from './schema.ts';

/**
 * A lesson entry as the NATO lessons-learned process writes one (DOMAIN.md): a title limited to
 * one issue; Observation, Discussion, Conclusion and Recommendation, each rich text that can hold
 * excerpts; the capability area (DOTMLPF-P) it is routed to; where it is in its lifecycle; the
 * action body that must act, an owner and a due date. A Y.Map in the `lessons` array:
 *
 *   id, order (ordering.ts), title, capabilityArea, status, actionBody, owner, dueDate: plain values
 *   observation, discussion, conclusion, recommendation: Y.XmlFragment
 */
export const LESSON_FIELDS = ['observation', 'discussion', 'conclusion', 'recommendation'] as const;
export const LessonFieldSchema = z.enum(LESSON_FIELDS);
export type LessonField = z.infer<typeof LessonFieldSchema>;

export const LESSON_FIELD_LABELS: Readonly<Record<LessonField, string>> = {
  observation: 'Observation',
  discussion: 'Discussion',
  conclusion: 'Conclusion',
  recommendation: 'Recommendation',
};

/** DOTMLPF-P: who owns the fix. */
export const CAPABILITY_AREAS = [
  'doctrine',
  'organisation',
  'training',
  'materiel',
  'leadership',
  'personnel',
  'facilities',
  'policy',
] as const;
export const CapabilityAreaSchema = z.enum(CAPABILITY_AREAS, {
  error: () => `must be one of ${CAPABILITY_AREAS.join(', ')}`,
});
export type CapabilityArea = z.infer<typeof CapabilityAreaSchema>;

/** observation → lesson identified → action planned → lesson learned; or rejected. */
export const LESSON_STATUSES = [
  'observation',
  'lesson_identified',
  'action_planned',
  'lesson_learned',
  'rejected',
] as const;
export const LessonStatusSchema = z.enum(LESSON_STATUSES, {
  error: () => `must be one of ${LESSON_STATUSES.join(', ')}`,
});
export type LessonStatus = z.infer<typeof LessonStatusSchema>;

export const MAX_LESSON_TITLE_LENGTH = 200;
export const MAX_LESSON_FIELD_LENGTH = 200;

const singleLine = (max: number) =>
  z
    .string()
    .transform((value) => value.replace(/\s+/g, ' ').trim())
    .pipe(z.string().max(max, `must be at most ${max} characters`));

/** The plain fields of a lesson, as a person edits them; every one optional in a patch. */
export const LessonPatchSchema = z
  .object({
    title: singleLine(MAX_LESSON_TITLE_LENGTH),
    capabilityArea: CapabilityAreaSchema.nullable(),
    status: LessonStatusSchema,
    actionBody: singleLine(MAX_LESSON_FIELD_LENGTH),
    owner: singleLine(MAX_LESSON_FIELD_LENGTH),
    dueDate: IsoDateSchema.nullable(),
  })
  .partial()
  .strict();
export type LessonPatch = z.input<typeof LessonPatchSchema>;

export interface Lesson {
  readonly id: string;
  readonly title: string;
  readonly capabilityArea: CapabilityArea | null;
  readonly status: LessonStatus;
  readonly actionBody: string;
  readonly owner: string;
  readonly dueDate: string | null;
  readonly bodies: Readonly<Record<LessonField, Y.XmlFragment>>;
}

function readLesson(map: Y.Map<unknown>): Lesson | null {
  const id = map.get('id');
  if (typeof id !== 'string') return null;
  const bodies = {} as Record<LessonField, Y.XmlFragment>;
  for (const field of LESSON_FIELDS) {
    const body = map.get(field);
    if (!(body instanceof Y.XmlFragment)) return null;
    bodies[field] = body;
  }
  const capability = CapabilityAreaSchema.safeParse(map.get('capabilityArea'));
  const status = LessonStatusSchema.safeParse(map.get('status'));
  const due = IsoDateSchema.safeParse(map.get('dueDate'));
  return {
    id,
    title: readString(map, 'title'),
    capabilityArea: capability.success ? capability.data : null,
    status: status.success ? status.data : 'observation',
    actionBody: readString(map, 'actionBody'),
    owner: readString(map, 'owner'),
    dueDate: due.success ? due.data : null,
    bodies,
  };
}

function lessonMaps(doc: Y.Doc): Array<{ map: Y.Map<unknown>; lesson: Lesson }> {
  return orderedMaps(lessonsArray(doc)).flatMap((map) => {
    const lesson = readLesson(map);
    return lesson ? [{ map, lesson }] : [];
  });
}

/** Lesson entries in reading order; entries in a wrong shape are skipped. */
export function getLessons(doc: Y.Doc): Lesson[] {
  return lessonMaps(doc).map((l) => l.lesson);
}

export function findLesson(doc: Y.Doc, id: string): Lesson | undefined {
  return getLessons(doc).find((l) => l.id === id);
}

function mapOf(doc: Y.Doc, id: string): Y.Map<unknown> {
  const found = lessonMaps(doc).find((l) => l.lesson.id === id);
  if (!found) throw new BriefingSchemaError(`no lesson ${id}`);
  return found.map;
}

export function createLessonMap(order: string, patch: LessonPatch = {}, id = newId()): Y.Map<unknown> {
  const fields = validated(LessonPatchSchema, patch, 'lesson');
  const lesson = new Y.Map<unknown>();
  lesson.set('id', id);
  lesson.set('order', order);
  lesson.set('title', fields.title ?? '');
  lesson.set('capabilityArea', fields.capabilityArea ?? null);
  lesson.set('status', fields.status ?? 'observation');
  lesson.set('actionBody', fields.actionBody ?? '');
  lesson.set('owner', fields.owner ?? '');
  lesson.set('dueDate', fields.dueDate ?? null);
  for (const field of LESSON_FIELDS) lesson.set(field, new Y.XmlFragment());
  return lesson;
}

/** Adds a lesson entry at `index` in reading order (default: the end); answers its id. */
export function addLesson(doc: Y.Doc, input: LessonPatch & { index?: number } = {}): string {
  const { index, ...patch } = input;
  const id = newId();
  doc.transact(() => {
    const others = lessonMaps(doc).map((l) => l.map);
    lessonsArray(doc).push([createLessonMap(orderKeyAt(others, index ?? others.length), patch, id)]);
  });
  return id;
}

/** Changes a lesson's plain fields; a bad value is refused whole, nothing written. */
export function updateLesson(doc: Y.Doc, id: string, patch: LessonPatch): void {
  const fields = validated(LessonPatchSchema, patch, 'lesson');
  const map = mapOf(doc, id);
  doc.transact(() => {
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined && map.get(key) !== value) map.set(key, value);
    }
  });
}

/** Removes a lesson with its bodies (named versions keep what it held). */
export function removeLesson(doc: Y.Doc, id: string): void {
  const map = mapOf(doc, id);
  const array = lessonsArray(doc);
  const index = array.toArray().indexOf(map);
  if (index >= 0) array.delete(index, 1);
}

/** Moves a lesson to `index` in reading order (as counted without it). */
export function moveLesson(doc: Y.Doc, id: string, index: number): void {
  doc.transact(() => {
    const map = mapOf(doc, id);
    const others = lessonMaps(doc)
      .map((l) => l.map)
      .filter((m) => m !== map);
    map.set('order', orderKeyAt(others, index));
  });
}
