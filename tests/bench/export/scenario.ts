/**
 * The export scenario: a briefing of about 100 PDF pages with 300 excerpts citing 40 sources,
 * rendered in each format, each format in a process of its own (renderOnce.ts) so that its peak
 * memory is its own. Writes docs/benchmarks-export.md; every figure in it comes from the run.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXPORT_FORMATS } from '@debrief/export';
import { median } from '../lib/stats.ts';

const RENDER = fileURLToPath(new URL('./renderOnce.ts', import.meta.url));
/** Pages intended; the briefing gets 8 paragraphs of prose per page besides its excerpts. */
const PAGES = 100;
const ROUNDS = 3;
const TARGET_MS = 2_000;

interface Figures {
  format: string;
  times: number[];
  bytes: number;
  pdfPages: number | null;
  excerpts: number;
  sources: number;
  buildMs: number;
  warmMs: number;
  rssBeforeMb: number;
  peakRssMb: number;
}

export async function runExportScenario(root: string, log: (message: string) => void): Promise<string> {
  const startedAt = new Date();
  const loadStart = loadavg();
  const rows: Figures[] = [];
  for (const format of EXPORT_FORMATS) {
    log(`export scenario: ${format}`);
    const out = execFileSync(process.execPath, ['--import', 'tsx', RENDER, format, String(PAGES), String(ROUNDS)], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    rows.push(JSON.parse(out.trim().split('\n').at(-1)!) as Figures);
  }
  const loadEnd = loadavg();
  const ms = (n: number) => `${Math.round(n).toLocaleString('en')} ms`;
  const mb = (n: number) => `${Math.round(n)} MB`;
  const pdf = rows.find((r) => r.format === 'pdf');
  const lines = [
    '# Export benchmark',
    '',
    `Written by \`npm run bench\` (its export scenario; \`npm run bench -- --scenarios=export\` runs only it) on ${startedAt.toISOString()}.`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}; load average ${loadStart.map((l) => l.toFixed(2)).join(' ')} at the start, ${loadEnd.map((l) => l.toFixed(2)).join(' ')} at the end (other work on the machine slows every figure).`,
    '',
    `The briefing: ${rows[0]?.excerpts} excerpts citing ${rows[0]?.sources} sources (the corpus in ../shared/sources and copies of it under other titles, authors and dates), 12 lessons, ${PAGES * 8} paragraphs of prose; one excerpt is an orphan, flagged. As PDF it is ${pdf?.pdfPages ?? '?'} pages (A4).`,
    `Each format runs in a fresh process: the citation styles are warmed first, as the server's export worker does when it starts (${ms(median(rows.map((r) => r.warmMs)))}, not counted); then the format is rendered ${ROUNDS} times. **First** is the first render (the integrity check, citations formatted by citeproc, layout); **again** is the median of the others (another export date each time), where the same sources' citations are reused and Typst reuses the layout of what did not change, as in the server's long-lived export worker. Peak memory is the process's maximum resident set; before rendering it held ${mb(median(rows.map((r) => r.rssBeforeMb)))} (Node, the renderers' code, the briefing and the importer that built it), so the render's own share is the difference.`,
    '',
    `| format | first | again | target ≤ ${TARGET_MS / 1000} s | file | peak memory | peak − before |`,
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const again = median(r.times.slice(1));
      const first = r.times[0] ?? Number.NaN;
      return `| ${r.format} | ${ms(first)} | ${ms(again)} | ${first <= TARGET_MS ? 'met' : again <= TARGET_MS ? 'met again, not first' : 'missed'} | ${(r.bytes / 1024).toFixed(0)} KB | ${mb(r.peakRssMb)} | ${mb(r.peakRssMb - r.rssBeforeMb)} |`;
    }),
    '',
  ];
  const output = join(root, 'docs/benchmarks-export.md');
  writeFileSync(output, lines.join('\n'));
  log(`wrote ${output}`);
  return output;
}
