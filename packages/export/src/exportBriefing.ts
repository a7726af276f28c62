import { renderDocx } from './docx.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderMarkdown } from './markdown.ts';
import { renderPdf } from './pdf.ts';
import { buildReport, type ExportInput } from './report.ts';

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

/**
 * Renders a briefing (its toJSON and the sources it cites) in one format. `progress` hears each
 * step as it starts. PDF compiles synchronously: call this in a worker thread.
 */
export async function exportBriefing(
  input: ExportInput,
  format: ExportFormat,
  progress: (step: ExportStep) => void = () => {},
): Promise<Uint8Array> {
  progress('checking');
  const report = buildReport(input);
  progress('rendering');
  switch (format) {
    case 'pdf':
      return renderPdf(report);
    case 'docx':
      return renderDocx(report);
    case 'markdown':
      return new TextEncoder().encode(renderMarkdown(report));
    case 'html':
      return new TextEncoder().encode(renderHtml(report));
    case 'json':
      return new TextEncoder().encode(renderJson(report, input));
  }
}
