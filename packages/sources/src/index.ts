export type { Credibility, Reliability } from './admiralty.ts';
export {
  admiraltyGrade,
  CREDIBILITY_GRADES,
  CREDIBILITY_LABELS,
  RELIABILITY_GRADES,
  RELIABILITY_LABELS,
  ReliabilitySchema,
} from './admiralty.ts';
export type { AnchorResult, AnchorStatus } from './anchorQuote.ts';
export { anchorQuote, MIN_FUZZY_SCORE } from './anchorQuote.ts';
export type { CleaningKind, CleaningProposal } from './cleaning.ts';
export { applyCleaning, CLEANING_KINDS, CleaningProposalSchema, proposeCleaning } from './cleaning.ts';
export type { CslDate, CslItem, CslName, CslPatch } from './csl.ts';
export {
  CSL_TYPES,
  CslDateSchema,
  CslItemSchema,
  CslNameSchema,
  CslPatchSchema,
  mergeMetadata,
  publisherFromUrl,
} from './csl.ts';
export type { QuoteAnchor, TextPositionSelector, TextQuoteSelector } from './describeQuote.ts';
export { CONTEXT_LENGTH, describeQuote, excerptSelectors } from './describeQuote.ts';
export { metadataFromText } from './metadataFromText.ts';
export { normaliseText } from './normaliseText.ts';
export type { SourceErrorCode } from './SourceError.ts';
export { SOURCE_ERROR_STATUS, SourceError } from './SourceError.ts';
export { sha256Hex } from './sha256Hex.ts';
export { issuedText, sourceTitle, UNTITLED } from './sourceTitle.ts';
export { assertNoNul, storableText, toWellFormed } from './storableText.ts';
export type { FileFormat, SourceDraft, SourceFormat } from './types.ts';
export { FILE_FORMATS, isFileFormat, SOURCE_FORMATS, SourceDraftSchema, SourceFormatSchema } from './types.ts';
export type { ExcerptCheck, ExcerptClaim } from './verifyExcerpt.ts';
export { verifyExcerpt } from './verifyExcerpt.ts';
