/**
 * One format of the export benchmark, in a process of its own so that its peak memory is its own:
 * builds the benchmark briefing, warms the citation styles (as the server's export worker does at
 * start), then renders `format` `rounds` times and prints the figures as one JSON line.
 */
import { EXPORT_FORMATS, type ExportFormat, exportBriefing, warmCitations } from '@debrief/export';
import { manySources, sampleBriefing } from '@debrief/export/testing';

const [format, pages, rounds] = [
  process.argv[2] as ExportFormat,
  Number(process.argv[3]),
  Number(process.argv[4] ?? 3),
];
if (!EXPORT_FORMATS.includes(format)) throw new Error(`unknown format ${format}`);

const built = performance.now();
const { input } = sampleBriefing({
  title: 'Secure communications failures: benchmark briefing',
  sources: manySources(40),
  excerpts: 300,
  paragraphs: pages * 8,
  lessons: 12,
  orphan: true,
});
const buildMs = performance.now() - built;
const warmed = performance.now();
warmCitations();
const warmMs = performance.now() - warmed;
const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;

const times: number[] = [];
let bytes = 0;
let pdfPages: number | null = null;
for (let i = 0; i < rounds; i++) {
  const t0 = performance.now();
  // Another export time each round: Typst would otherwise serve an identical document from its cache.
  const file = await exportBriefing(
    { ...input, exportedAt: new Date(Date.UTC(2026, 11, 7, 4, i)).toISOString() },
    format,
  );
  times.push(performance.now() - t0);
  bytes = file.byteLength;
  if (format === 'pdf')
    pdfPages = (
      Buffer.from(file)
        .toString('latin1')
        .match(/\/Type\s*\/Page\b/g) ?? []
    ).length;
}
console.log(
  JSON.stringify({
    format,
    times,
    bytes,
    pdfPages,
    excerpts: input.briefing.excerpts.length,
    sources: new Set(input.briefing.excerpts.map((e) => e.sourceId)).size,
    buildMs,
    warmMs,
    rssBeforeMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
