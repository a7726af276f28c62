/** Everything Node-only: the intake (./intake) and the document parsers the extraction worker runs. */
export { base64FromBytes, bytesFromBase64 } from './base64.ts';
export type { Corroboration } from './corroboration.ts';
export { CorroborationIndex, MAX_CORROBORATION_ERRORS, MIN_CORROBORATION_CHARS } from './corroboration.ts';
export { DEFAULT_MAX_SOURCE_BYTES, decodeSourceBytes, tooLarge } from './decodeSourceBytes.ts';
export { MAX_DOCX_ENTRIES, MAX_DOCX_INFLATED_BYTES } from './docxToText.ts';
export type { FetchedSource } from './fetchSourceUrl.ts';
export { DEFAULT_FETCH_TIMEOUT_MS, fetchSourceUrl } from './fetchSourceUrl.ts';
export { formatFromName } from './formatFromName.ts';
export { MAX_PDF_PAGES } from './pdfToText.ts';
export { prepareDocumentSource } from './prepareDocumentSource.ts';
export type { PrepareSourceInput } from './prepareSource.ts';
export { MIN_ARTICLE_CHARS, prepareSource } from './prepareSource.ts';
