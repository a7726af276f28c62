import type * as Y from 'yjs';
import { z } from 'zod';
import { getLessons, LESSON_FIELDS, type LessonField, LessonFieldSchema } from './lessons.ts';
import { getSections } from './sections.ts';

/** Where a rich-text body is: a section's, or one of a lesson's four. */
export const BodyLocationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('section'), sectionId: z.string() }),
  z.object({ kind: z.literal('lesson'), lessonId: z.string(), field: LessonFieldSchema }),
]);
export type BodyLocation = z.infer<typeof BodyLocationSchema>;

export interface Body {
  readonly location: BodyLocation;
  /** The id of the section or lesson that holds the body. */
  readonly ownerId: string;
  readonly fragment: Y.XmlFragment;
}

const lessonBody = (lessonId: string, field: LessonField, fragment: Y.XmlFragment): Body => ({
  location: { kind: 'lesson', lessonId, field },
  ownerId: lessonId,
  fragment,
});

/**
 * Every rich-text body in reading order: sections in order; the lessons (each's four fields in
 * order) right after the first `lessons` section, or after the last section when there is none.
 * Excerpt numbering, search text, comments and export all read the briefing in this order.
 */
export function getBodies(doc: Y.Doc): Body[] {
  const lessons = getLessons(doc).flatMap((lesson) =>
    LESSON_FIELDS.map((field) => lessonBody(lesson.id, field, lesson.bodies[field])),
  );
  const bodies: Body[] = [];
  let placed = false;
  for (const section of getSections(doc)) {
    bodies.push({ location: { kind: 'section', sectionId: section.id }, ownerId: section.id, fragment: section.body });
    if (section.kind === 'lessons' && !placed) {
      bodies.push(...lessons);
      placed = true;
    }
  }
  if (!placed) bodies.push(...lessons);
  return bodies;
}

/** The body at `location`, if the section or lesson exists. */
export function findBody(doc: Y.Doc, location: BodyLocation): Body | undefined {
  return getBodies(doc).find((body) =>
    location.kind === 'section'
      ? body.location.kind === 'section' && body.location.sectionId === location.sectionId
      : body.location.kind === 'lesson' &&
        body.location.lessonId === location.lessonId &&
        body.location.field === location.field,
  );
}

/** The body whose fragment is (or contains) `type`, walking up from any node inside it. */
export function bodyContaining(doc: Y.Doc, type: Y.AbstractType<unknown> | null): Body | undefined {
  let node: Y.AbstractType<unknown> | null = type;
  const bodies = getBodies(doc);
  while (node) {
    const found = bodies.find((body) => body.fragment === node);
    if (found) return found;
    node = node.parent as Y.AbstractType<unknown> | null;
  }
  return undefined;
}
