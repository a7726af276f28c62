export type { Body, BodyLocation } from './bodies.ts';
export { BodyLocationSchema, bodyContaining, findBody, getBodies } from './bodies.ts';
export type {
  CommentAnchor,
  CommentAuthor,
  CommentMessage,
  CommentThread,
  RelativePositionJSON,
  ResolvedAnchor,
} from './comments.ts';
export {
  anchorText,
  COMMENT_MESSAGE_KINDS,
  CommentAnchorSchema,
  CommentAuthorSchema,
  CommentBodySchema,
  CommentMessageSchema,
  findThread,
  getThreads,
  MAX_COMMENT_LENGTH,
  MAX_QUOTE_LENGTH,
  rangeAnchor,
  replyToThread,
  resolveAnchor,
  setThreadResolved,
  startThread,
} from './comments.ts';
export type {
  BriefingDiff,
  ChangeKind,
  ExcerptChange,
  FieldChange,
  LessonDiff,
  SectionDiff,
  TextChange,
} from './diff.ts';
export { bodyText, diffBriefings, diffText } from './diff.ts';
export { editorExtensions, editorSchema } from './editor/editorSchema.ts';
export { ExcerptNode } from './editor/excerptNode.ts';
export { yjsToProseMirror } from './editor/yjsToProseMirror.ts';
export type { EvidenceWarning, LessonEvidence } from './evidence.ts';
export {
  EVIDENCE_STRENGTHS,
  EVIDENCE_WARNINGS,
  LessonEvidenceSchema,
  lessonEvidence,
  UNANCHORED_STATUSES,
} from './evidence.ts';
export type {
  Excerpt,
  ExcerptAttrs,
  ExcerptQuote,
  ExcerptShape,
  ExcerptStatus,
  ExcerptVerdict,
  InvalidExcerpt,
  NewExcerpt,
} from './excerpts.ts';
export {
  appendExcerpt,
  checkExcerpt,
  citationNumbers,
  createExcerptElement,
  EXCERPT_ATTR_DEFAULTS,
  EXCERPT_NODE,
  EXCERPT_STATUSES,
  ExcerptAttrsSchema,
  ExcerptQuoteSchema,
  ExcerptShapeError,
  ExcerptStatusSchema,
  ExcerptVerdictSchema,
  excerptSpan,
  getExcerpts,
  inspectExcerpts,
  newExcerptAttrs,
  readExcerpt,
} from './excerpts.ts';
export { isId, parseId } from './ids.ts';
export type { CapabilityArea, Lesson, LessonField, LessonPatch, LessonStatus } from './lessons.ts';
export {
  addLesson,
  CAPABILITY_AREAS,
  CapabilityAreaSchema,
  findLesson,
  getLessons,
  LESSON_FIELD_LABELS,
  LESSON_FIELDS,
  LESSON_STATUSES,
  LessonFieldSchema,
  LessonPatchSchema,
  LessonStatusSchema,
  MAX_LESSON_TITLE_LENGTH,
  moveLesson,
  removeLesson,
  updateLesson,
} from './lessons.ts';
export type { ClientMessage } from './messages.ts';
export {
  awarenessMessage,
  decodeClientMessage,
  ProtocolError,
  permissionDeniedMessage,
  readSavedAnswer,
  savedQueryMessage,
  syncStep1Message,
  syncStep2Message,
  updateMessage,
} from './messages.ts';
export type { BriefingStatus, Marking, Period, TemplateId, TlpLabel } from './meta.ts';
export {
  AuthorSchema,
  addAuthor,
  BRIEFING_STATUSES,
  BriefingStatusSchema,
  EventSchema,
  getAuthors,
  getEvent,
  getMarking,
  getPeriod,
  getStatus,
  getTemplate,
  getTitle,
  IsoDateSchema,
  MAX_CLASSIFICATION_LENGTH,
  MAX_TITLE_LENGTH,
  MarkingSchema,
  normaliseTitle,
  PeriodSchema,
  removeAuthor,
  SCHEMA_VERSION_KEY,
  SERVER_OWNED_META_KEYS,
  STATUS_KEY,
  setEvent,
  setMarking,
  setPeriod,
  setStatus,
  setTitle,
  TEMPLATE_IDS,
  TemplateIdSchema,
  TLP_LABELS,
  TlpLabelSchema,
} from './meta.ts';
export { migrateBriefing } from './migrations.ts';
export type { CloseCodeValue } from './protocol.ts';
export { CloseCode, COLLAB_PROTOCOL_VERSION, FINAL_CLOSE_CODES, MessageType } from './protocol.ts';
export {
  BRIEFING_SCHEMA_VERSION,
  BriefingSchemaError,
  getSchemaVersion,
  observeBriefing,
  ROOT_COMMENTS,
  ROOT_LESSONS,
  ROOT_META,
  ROOT_SECTIONS,
  ROOT_TYPES,
} from './schema.ts';
export type { Section, SectionKind } from './sections.ts';
export {
  addSection,
  findSection,
  getSections,
  HeadingSchema,
  MAX_HEADING_LENGTH,
  moveSection,
  removeSection,
  renameSection,
  SECTION_KINDS,
  SectionKindSchema,
} from './sections.ts';
export type { Template } from './templates.ts';
export { DEFAULT_TEMPLATE, initBriefing, TEMPLATES } from './templates.ts';
export type { BriefingJSON, RichTextNode } from './toJSON.ts';
export {
  BriefingJSONSchema,
  briefingPlainText,
  briefingToJSON,
  RichTextNodeSchema,
  richTextToJSON,
  richTextToPlainText,
} from './toJSON.ts';
export { openVersion, restoreVersion } from './versions.ts';
