export type { CitationStyle, CslReference, FormattedCitations } from './citations.ts';
export { CITATION_STYLES, formatCitations, warmCitations } from './citations.ts';
export { renderDocx } from './docx.ts';
export type { ExportErrorCode } from './ExportError.ts';
export { EXPORT_ERROR_STATUS, ExportError } from './ExportError.ts';
export type { ExportFormat, ExportStep } from './exportBriefing.ts';
export { EXPORT_FORMATS, exportBriefing, FORMAT_FILES } from './exportBriefing.ts';
export { renderHtml } from './html.ts';
export type { ExportJSON } from './json.ts';
export { ExportJSONSchema, renderJson } from './json.ts';
export { renderMarkdown } from './markdown.ts';
export { FONT_FILES, renderPdf } from './pdf.ts';
export type {
  Block,
  CheckedExcerpt,
  ExportInput,
  ExportOptions,
  ExportSource,
  Inline,
  Note,
  Report,
} from './report.ts';
export { buildReport, ExportOptionsSchema, ExportSourceSchema, flagText, markingText } from './report.ts';
