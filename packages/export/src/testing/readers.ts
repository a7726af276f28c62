import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The real readers the export tests open files with: poppler's pdftotext and LibreOffice (Debian
 * packages poppler-utils and libreoffice-writer-nogui, which .ci/run installs). On a developer's
 * machine without them the reader tests are skipped with the reason printed; in CI (CI=true) a
 * missing reader fails the run.
 */

const has = (command: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

export function readerMissing(...commands: string[]): string | null {
  const missing = commands.filter((command) => !has(command));
  if (missing.length === 0) return null;
  const reason = `${missing.join(' and ')} not installed (apt-get install poppler-utils libreoffice-writer-nogui)`;
  if (process.env.CI === 'true') throw new Error(`The export reader tests need ${reason}.`);
  console.warn(`Skipping the export reader tests: ${reason}.`);
  return reason;
}

function inTempDir<T>(work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'debrief-export-'));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function pdfPageCount(pdf: Uint8Array): number {
  return inTempDir((dir) => {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    const info = execFileSync('pdfinfo', [join(dir, 'in.pdf')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  });
}

/** The text of each page, as pdftotext extracts it page by page (`-f N -l N`). */
export function pdfPages(pdf: Uint8Array): string[] {
  return inTempDir((dir) => {
    const file = join(dir, 'in.pdf');
    writeFileSync(file, pdf);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    return Array.from({ length: pages }, (_, i) =>
      execFileSync('pdftotext', ['-q', '-f', String(i + 1), '-l', String(i + 1), file, '-'], { encoding: 'utf8' }),
    );
  });
}

/** A DOCX converted to PDF by LibreOffice, as someone opening it would see it. */
export function docxToPdf(docx: Uint8Array): Uint8Array {
  return inTempDir((dir) => {
    writeFileSync(join(dir, 'in.docx'), docx);
    execFileSync(
      'libreoffice',
      [
        `-env:UserInstallation=file://${dir}/profile`,
        '--headless',
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        join(dir, 'in.docx'),
      ],
      { stdio: 'ignore', timeout: 120_000 },
    );
    return new Uint8Array(readFileSync(join(dir, 'in.pdf')));
  });
}

/** Whitespace (and soft hyphen) folded, so that line breaks a reader adds do not matter. */
export const folded = (text: string) => text.replace(/[\s\u00ad\u2060]+/g, ' ').trim();
