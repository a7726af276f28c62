/**
 * The sample exports in docs/exports: a briefing built from the corpus in ../shared/sources (with
 * one orphaned excerpt, to show the flag) in every format, and the PDF's and the DOCX's pages as
 * PNG (pdftoppm; the DOCX through LibreOffice). `npm run samples -w @debrief/export`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EXPORT_FORMATS, exportBriefing, FORMAT_FILES } from '../src/index.ts';
import { docxToPdf } from '../src/testing/readers.ts';
import { sampleBriefing } from '../src/testing/sampleBriefing.ts';

const OUT = fileURLToPath(new URL('../../../docs/exports/', import.meta.url));
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

const { input } = sampleBriefing({ orphan: true, excerpts: 10, comments: true });
for (const format of EXPORT_FORMATS) {
  const file = await exportBriefing(input, format);
  writeFileSync(`${OUT}sample.${FORMAT_FILES[format].extension}`, file);
  if (format === 'pdf') execFileSync('pdftoppm', ['-png', '-r', '60', `${OUT}sample.pdf`, `${OUT}pdf-page`]);
  if (format === 'docx') {
    writeFileSync(`${OUT}docx-as-pdf.tmp.pdf`, docxToPdf(file));
    execFileSync('pdftoppm', ['-png', '-r', '60', `${OUT}docx-as-pdf.tmp.pdf`, `${OUT}docx-page`]);
    rmSync(`${OUT}docx-as-pdf.tmp.pdf`);
  }
}
console.log(readdirSync(OUT).join('\n'));
