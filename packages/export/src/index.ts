export type { CslReference, FormattedCitations } from './citations.ts';
export { formatCitations, warmCitations } from './citations.ts';
export * from './contract.ts';
export { renderDocx } from './docx.ts';
export { exportBriefing } from './exportBriefing.ts';
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
