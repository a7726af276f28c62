import type { ExportFormat, ExportStep } from './contract.ts';
import { renderDocx } from './docx.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderMarkdown } from './markdown.ts';
import { renderPdf } from './pdf.ts';
import { buildReport, type ExportInput } from './report.ts';

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
