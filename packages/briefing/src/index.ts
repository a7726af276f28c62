export { editorExtensions, editorSchema } from './editor/editorSchema.ts';
export { ExcerptNode } from './editor/excerptNode.ts';
export { yjsToProseMirror } from './editor/yjsToProseMirror.ts';
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
export { migrateBriefing } from './migrations.ts';
export type { CloseCodeValue } from './protocol.ts';
export { CloseCode, COLLAB_PROTOCOL_VERSION, FINAL_CLOSE_CODES, MessageType } from './protocol.ts';
export type { Section, SectionKind } from './schema.ts';
export {
  BRIEFING_SCHEMA_VERSION,
  BriefingSchemaError,
  DEFAULT_SECTIONS,
  findSection,
  getSchemaVersion,
  getSections,
  getTitle,
  initBriefing,
  MAX_TITLE_LENGTH,
  normaliseTitle,
  observeBriefing,
  ROOT_META,
  ROOT_SECTIONS,
  ROOT_TYPES,
  SECTION_KINDS,
  setTitle,
} from './schema.ts';
export type { BriefingJSON, RichTextNode } from './toJSON.ts';
export { briefingToJSON, richTextToJSON, richTextToPlainText } from './toJSON.ts';
