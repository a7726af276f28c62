import { SourceError } from './SourceError.ts';
import type { SourceFormat } from './types.ts';

const BY_EXTENSION = new Map<string, SourceFormat>([
  ['txt', 'text'],
  ['text', 'text'],
  ['md', 'markdown'],
  ['markdown', 'markdown'],
  ['html', 'html'],
  ['htm', 'html'],
  ['pdf', 'pdf'],
  ['docx', 'docx'],
]);

const BY_MEDIA_TYPE = new Map<string, SourceFormat>([
  ['text/plain', 'text'],
  ['text/markdown', 'markdown'],
  ['text/x-markdown', 'markdown'],
  ['text/html', 'html'],
  ['application/xhtml+xml', 'html'],
  ['application/pdf', 'pdf'],
  ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
]);

/** The media type of a Content-Type header value, without parameters ("text/html; charset=…"). */
export function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

export function formatFromContentType(contentType: string): SourceFormat | undefined {
  return BY_MEDIA_TYPE.get(mediaType(contentType));
}

/**
 * The format of an uploaded file: by its extension (.txt, .md/.markdown, .html/.htm, .pdf, .docx), else by the
 * media type the browser sent, else `unsupported_format`.
 */
export function formatFromName(fileName: string, contentType?: string): SourceFormat {
  const extension = /\.([A-Za-z0-9]+)$/.exec(fileName.trim())?.[1]?.toLowerCase();
  const format =
    (extension === undefined ? undefined : BY_EXTENSION.get(extension)) ??
    (contentType === undefined ? undefined : formatFromContentType(contentType));
  if (format) return format;
  throw new SourceError(
    'unsupported_format',
    'This kind of file cannot be imported; use plain text (.txt), Markdown (.md), a web page (.html), a PDF (.pdf) or a Word document (.docx).',
  );
}
