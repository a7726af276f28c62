import type { BodyLocation } from '@debrief/briefing';

/** One key per rich-text body: a section's id, or `<lessonId>/<field>` for a lesson's. */
export const bodyKey = (location: BodyLocation): string =>
  location.kind === 'section' ? location.sectionId : `${location.lessonId}/${location.field}`;
