import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';
import { ExportError } from './ExportError.ts';
import type { Report } from './report.ts';

/**
 * PDF through the Typst compiler (typst-ts-node-compiler, a prebuilt binary from npm): banners in
 * the header and footer of every page, "page N of M", an outline with page numbers, footnotes.
 * The report goes in as JSON through `sys.inputs`, never spliced into the markup. Compiling is
 * synchronous: call this in a worker thread, never on a server's event loop.
 */

const require = createRequire(import.meta.url);

/**
 * The fonts, shipped as npm packages (SIL Open Font License) and named in the template, so that
 * no host font decides how a report looks: Source Sans 3 (text) and Source Serif 4 (headings).
 */
export const FONT_FILES = [
  'source-sans/TTF/SourceSans3-Regular.ttf',
  'source-sans/TTF/SourceSans3-It.ttf',
  'source-sans/TTF/SourceSans3-Bold.ttf',
  'source-sans/TTF/SourceSans3-BoldIt.ttf',
  '@expo-google-fonts/source-serif-4/400Regular/SourceSerif4_400Regular.ttf',
  '@expo-google-fonts/source-serif-4/700Bold/SourceSerif4_700Bold.ttf',
] as const;

const TEMPLATE = readFileSync(new URL('../typst/report.typ', import.meta.url), 'utf8');

let compiler: NodeCompiler | undefined;

function typst(): NodeCompiler {
  if (!compiler) {
    let fontBlobs: Buffer[];
    try {
      fontBlobs = FONT_FILES.map((file) => readFileSync(require.resolve(file)));
    } catch (error) {
      throw new ExportError('export_failed', `A font for PDF export is missing: ${(error as Error).message}`);
    }
    compiler = NodeCompiler.create({ fontArgs: [{ fontBlobs }] });
  }
  return compiler;
}

const diagnosticText = (d: unknown) =>
  typeof d === 'object' && d !== null && 'message' in d ? String((d as { message: unknown }).message) : String(d);

export function renderPdf(report: Report): Uint8Array {
  const banner = [report.marking, report.draft ? 'DRAFT' : null].filter(Boolean).join(' · ');
  const inputs = { doc: JSON.stringify({ ...report, banner }) };
  const compilerInstance = typst();
  const result = compilerInstance.compile({ mainFileContent: TEMPLATE, inputs });
  const error = result.takeError();
  if (error || !result.result) {
    const details = error ? compilerInstance.fetchDiagnostics(error).map(diagnosticText).join('; ') : 'no document';
    throw new ExportError('export_failed', `The PDF could not be laid out: ${details}`);
  }
  const pdf = compilerInstance.pdf(result.result);
  compilerInstance.evictCache(10);
  return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
}
