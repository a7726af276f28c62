import { DEFAULT_MAX_SOURCE_BYTES, tooLarge } from './decodeSourceBytes.ts';
import { docxToText } from './docxToText.ts';
import { pdfToText } from './pdfToText.ts';
import { draftFromExtracted, type PrepareSourceInput } from './prepareSource.ts';
import { SourceError } from './SourceError.ts';
import { sha256Hex } from './sha256Hex.ts';
import { isFileFormat, type SourceDraft } from './types.ts';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The bytes of a file sent as base64 (line breaks allowed); `invalid_base64` for anything else. */
export function bytesFromBase64(content: string): Uint8Array {
  const compact = content.replace(/[\r\n]/g, '');
  if (!BASE64.test(compact)) {
    throw new SourceError('invalid_base64', 'The content of a PDF or DOCX file must be its bytes in base64.');
  }
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

/** A file's bytes as the `content` the API carries for PDF and DOCX sources. */
export const base64FromBytes = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

/**
 * Turns a PDF or Word document (its bytes in base64) into a draft for review, as prepareSource does
 * for text: the extracted text, normalised, with cleaning proposals and citation metadata, the
 * file's own properties first. The original is the file's bytes; `rawSha256` is their sha256, so it
 * matches `sha256sum` of the file. Runs in an extraction worker (see the server's SourceExtractor).
 */
export async function prepareDocumentSource(input: PrepareSourceInput): Promise<SourceDraft> {
  if (!isFileFormat(input.format)) {
    throw new SourceError('unsupported_format', 'Only PDF and Word documents are read as files.');
  }
  const bytes = bytesFromBase64(input.content);
  const maxBytes = input.maxBytes ?? DEFAULT_MAX_SOURCE_BYTES;
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  if (bytes.byteLength === 0) throw new SourceError('empty_source', 'The file is empty.');
  const extracted = input.format === 'pdf' ? await pdfToText(bytes) : await docxToText(bytes);
  return draftFromExtracted(
    extracted,
    { format: input.format, raw: base64FromBytes(bytes), rawSha256: sha256Hex(bytes) },
    input,
  );
}
