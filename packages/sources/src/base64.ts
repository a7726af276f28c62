import { SourceError } from './SourceError.ts';

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
