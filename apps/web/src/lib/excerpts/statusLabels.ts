import type { ExcerptStatus } from '@debrief/briefing';

/** How each verdict of the server's quote check reads to people; `anchored` is the quiet default. */
export const EXCERPT_STATUS_LABELS: Record<ExcerptStatus, string> = {
  pending: 'checking…',
  anchored: 'anchored',
  moved: 'moved in source',
  fuzzy: 'approximate match',
  orphaned: 'not found in source',
  modified: 'quote altered',
  invalid: 'not a valid excerpt',
};
