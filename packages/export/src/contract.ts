/**
 * What the server's main thread needs to know about exports — the formats, their files, the
 * citation styles, the steps and the errors — without loading a renderer. The renderers (Typst's
 * native compiler, docx, citation-js: about 64 MiB) load only in the export workers, which import
 * the package's main entry.
 */
export type { ExportErrorCode } from './ExportError.ts';
export { EXPORT_ERROR_STATUS, ExportError } from './ExportError.ts';

export const EXPORT_FORMATS = ['pdf', 'docx', 'markdown', 'html', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FORMAT_FILES: Record<ExportFormat, { extension: string; contentType: string }> = {
  pdf: { extension: 'pdf', contentType: 'application/pdf' },
  docx: {
    extension: 'docx',
    contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  },
  markdown: { extension: 'md', contentType: 'text/markdown; charset=utf-8' },
  html: { extension: 'html', contentType: 'text/html; charset=utf-8' },
  json: { extension: 'json', contentType: 'application/json; charset=utf-8' },
};

/** The steps of an export, in order, as progress reports them. */
export type ExportStep = 'checking' | 'rendering';

/** Citation styles an export can use: Chicago notes-bibliography (default) and APA. */
export const CITATION_STYLES = ['chicago', 'apa'] as const;
export type CitationStyle = (typeof CITATION_STYLES)[number];
