/**
 * What the server's main thread needs of sources: fetching and decoding what people send, and
 * corroboration. Without the document parsers (PDF, DOCX, HTML readability), which run in the
 * extraction worker and hold ~130 MiB once loaded: importing `./server` on the main thread put them
 * in every process's baseline (issue 15).
 */
export { base64FromBytes, bytesFromBase64 } from './base64.ts';
export type { Corroboration } from './corroboration.ts';
export { CorroborationIndex, MAX_CORROBORATION_ERRORS, MIN_CORROBORATION_CHARS } from './corroboration.ts';
export { DEFAULT_MAX_SOURCE_BYTES, decodeSourceBytes, tooLarge } from './decodeSourceBytes.ts';
export type { FetchedSource } from './fetchSourceUrl.ts';
export { DEFAULT_FETCH_TIMEOUT_MS, fetchSourceUrl } from './fetchSourceUrl.ts';
export { formatFromName } from './formatFromName.ts';
