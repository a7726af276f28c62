import * as Y from 'yjs';
import { createLessonMap } from './lessons.ts';
import { normaliseTitle, type TemplateId, TemplateIdSchema } from './meta.ts';
import { initialOrderKeys } from './ordering.ts';
import {
  BRIEFING_SCHEMA_VERSION,
  BriefingSchemaError,
  lessonsArray,
  metaMap,
  sectionsArray,
  validated,
} from './schema.ts';
import { createSectionMap, type SectionKind } from './sections.ts';

export interface Template {
  id: TemplateId;
  name: string;
  description: string;
  sections: ReadonlyArray<{ kind: SectionKind; heading: string }>;
  /** Lesson entries the briefing starts with (empty ones, ready to fill). */
  lessons: number;
}

/** What a new briefing can start from (the UI's choice and `POST /api/briefings {template}`). */
export const TEMPLATES: Readonly<Record<TemplateId, Template>> = {
  'lessons-learned': {
    id: 'lessons-learned',
    name: 'Lessons-learned briefing',
    description: 'Bottom line up front, background, lesson entries with evidence, recommendations.',
    sections: [
      { kind: 'bluf', heading: 'Bottom line up front' },
      { kind: 'background', heading: 'Background and timeline' },
      { kind: 'lessons', heading: 'Lessons' },
      { kind: 'recommendations', heading: 'Recommendations summary' },
    ],
    lessons: 1,
  },
  'after-action-review': {
    id: 'after-action-review',
    name: 'After-action review',
    description: 'What was planned, what happened, why, what to sustain and what to improve.',
    sections: [
      { kind: 'bluf', heading: 'Bottom line up front' },
      { kind: 'planned', heading: 'What was planned' },
      { kind: 'happened', heading: 'What happened' },
      { kind: 'why', heading: 'Why it happened' },
      { kind: 'sustain', heading: 'Sustain' },
      { kind: 'improve', heading: 'Improve' },
    ],
    lessons: 0,
  },
  blank: {
    id: 'blank',
    name: 'Blank',
    description: 'One empty section; add sections and lessons as you go.',
    sections: [{ kind: 'custom', heading: 'Notes' }],
    lessons: 0,
  },
};

export const DEFAULT_TEMPLATE: TemplateId = 'lessons-learned';

/**
 * Fills an empty document with the current schema version, a title and a template's structure.
 * Only the server does this, once, when a briefing is created: two clients initialising the same
 * empty document would each insert their own sections and both copies would survive the merge.
 */
export function initBriefing(doc: Y.Doc, init: { title: string; template?: TemplateId }): void {
  if (metaMap(doc).size > 0 || sectionsArray(doc).length > 0 || lessonsArray(doc).length > 0) {
    throw new BriefingSchemaError('document is already initialised');
  }
  const template = TEMPLATES[validated(TemplateIdSchema, init.template ?? DEFAULT_TEMPLATE, 'template')];
  const title = normaliseTitle(init.title);
  doc.transact(() => {
    const meta = metaMap(doc);
    meta.set('schemaVersion', BRIEFING_SCHEMA_VERSION);
    meta.set('title', title);
    meta.set('template', template.id);
    meta.set('classification', '');
    meta.set('tlp', null);
    meta.set('event', '');
    meta.set('periodStart', null);
    meta.set('periodEnd', null);
    meta.set('authors', new Y.Array<unknown>());
    meta.set('status', 'draft');
    const sectionKeys = initialOrderKeys(template.sections.length);
    sectionsArray(doc).push(template.sections.map((s, i) => createSectionMap(s.kind, s.heading, sectionKeys[i]!)));
    const lessonKeys = initialOrderKeys(template.lessons);
    lessonsArray(doc).push(lessonKeys.map((key) => createLessonMap(key)));
  });
}
