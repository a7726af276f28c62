import { base64FromBytes, bytesFromBase64 } from './base64.ts';
import { DEFAULT_MAX_SOURCE_BYTES, tooLarge } from './decodeSourceBytes.ts';
import { docxToText } from './docxToText.ts';
import { pdfToText } from './pdfToText.ts';
import { draftFromExtracted, type PrepareSourceInput } from './prepareSource.ts';
import { SourceError } from './SourceError.ts';
import { sha256Hex } from './sha256Hex.ts';
import { isFileFormat, type SourceDraft } from './types.ts';

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
