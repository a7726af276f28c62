export { DEFAULT_MAX_SOURCE_BYTES, decodeSourceBytes, tooLarge } from './decodeSourceBytes.ts';
export type { FetchedSource } from './fetchSourceUrl.ts';
export { DEFAULT_FETCH_TIMEOUT_MS, fetchSourceUrl } from './fetchSourceUrl.ts';
export { formatFromName } from './formatFromName.ts';
export type { PrepareSourceInput } from './prepareSource.ts';
export { MIN_ARTICLE_CHARS, prepareSource } from './prepareSource.ts';
