import type * as Y from 'yjs';
import { z } from 'zod';
import { type ExcerptStatus, inspectExcerpts } from './excerpts.ts';
import { getLessons } from './lessons.ts';

/**
 * Evidence strength, per lesson entry: how many distinct sources its excerpts (in any of its four
 * bodies) quote, and warnings when a conclusion rests on a single source, on no source at all, or
 * on an excerpt that is not anchored in its source.
 */

/** Statuses of an excerpt whose quote was not found as it was made: evidence to check again. */
export const UNANCHORED_STATUSES: ReadonlySet<ExcerptStatus> = new Set(['fuzzy', 'orphaned', 'modified', 'invalid']);

export const EVIDENCE_WARNINGS = ['no_evidence', 'single_source', 'unanchored_excerpt'] as const;
export type EvidenceWarning = (typeof EVIDENCE_WARNINGS)[number];

export const EVIDENCE_STRENGTHS = ['none', 'single_source', 'corroborated'] as const;

export const LessonEvidenceSchema = z.object({
  /** Well-formed excerpts in the lesson. */
  excerptCount: z.number().int(),
  /** Distinct sources those excerpts quote, by first appearance. */
  sourceIds: z.array(z.string()),
  sourceCount: z.number().int(),
  strength: z.enum(EVIDENCE_STRENGTHS),
  /** Excerpts whose quote is fuzzy, orphaned, modified, or that are not well-formed (invalid). */
  unanchored: z.array(z.object({ excerptId: z.string().nullable(), status: z.string() })),
  warnings: z.array(z.enum(EVIDENCE_WARNINGS)),
});
export type LessonEvidence = z.infer<typeof LessonEvidenceSchema>;

/** Each lesson's evidence, by lesson id. */
export function lessonEvidence(doc: Y.Doc): Map<string, LessonEvidence> {
  const { excerpts, invalid } = inspectExcerpts(doc);
  const result = new Map<string, LessonEvidence>();
  for (const lesson of getLessons(doc)) {
    const inLesson = excerpts.filter((e) => e.location.kind === 'lesson' && e.location.lessonId === lesson.id);
    const sourceIds = [...new Set(inLesson.map((e) => e.sourceId))];
    const unanchored = [
      ...inLesson
        .filter((e) => UNANCHORED_STATUSES.has(e.status))
        .map((e) => ({ excerptId: e.excerptId, status: e.status })),
      ...invalid
        .filter((e) => e.location.kind === 'lesson' && e.location.lessonId === lesson.id)
        .map((e) => {
          const id = e.element.getAttribute('excerptId');
          return { excerptId: typeof id === 'string' ? id : null, status: 'invalid' };
        }),
    ];
    const warnings: EvidenceWarning[] = [];
    if (sourceIds.length === 0) warnings.push('no_evidence');
    if (sourceIds.length === 1) warnings.push('single_source');
    if (unanchored.length > 0) warnings.push('unanchored_excerpt');
    result.set(lesson.id, {
      excerptCount: inLesson.length,
      sourceIds,
      sourceCount: sourceIds.length,
      strength: sourceIds.length === 0 ? 'none' : sourceIds.length === 1 ? 'single_source' : 'corroborated',
      unanchored,
      warnings,
    });
  }
  return result;
}
