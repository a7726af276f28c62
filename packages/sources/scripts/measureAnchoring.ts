/**
 * Measures re-anchoring on the sample corpus: 1,000 excerpts, a third each anchored at their
 * position, moved by an insertion before them, and found fuzzily after a typo inside them; then
 * 100 fuzzy look-ups in a long source (the corpus repeated to about 200,000 characters).
 * Run: npm run measure:anchoring -w @debrief/sources
 */
import { type AnchorStatus, anchorQuote, describeQuote, normaliseText, type QuoteAnchor } from '../src/index.ts';
import { readSample, sampleNames, seededRandom } from '../src/sampleSources.ts';

type Kind = 'exact' | 'moved' | 'fuzzy';
interface Case {
  kind: Kind;
  text: string;
  anchor: QuoteAnchor;
}

const EXCERPTS = 1_000;
const random = seededRandom(20240305);
const texts = sampleNames().map((name) => normaliseText(readSample(name.slice(0, 4))));

function randomSelection(text: string): QuoteAnchor {
  for (;;) {
    const length = 20 + Math.floor(random() * 280);
    const start = Math.floor(random() * (text.length - length));
    if (text.slice(start, start + length).trim().length >= 10) return describeQuote(text, start, start + length);
  }
}

function withTypo(text: string, anchor: QuoteAnchor): string {
  const { start, end } = anchor.position;
  const at = start + Math.floor((end - start) / 2);
  const replacement = text[at] === 'x' ? 'y' : 'x';
  return text.slice(0, at) + replacement + text.slice(at + 1);
}

const cases: Case[] = [];
for (let index = 0; index < EXCERPTS; index++) {
  const text = texts[index % texts.length]!;
  const anchor = randomSelection(text);
  const kind: Kind = (['exact', 'moved', 'fuzzy'] as const)[index % 3]!;
  if (kind === 'exact') cases.push({ kind, text, anchor });
  else if (kind === 'moved') {
    const at = Math.floor(random() * anchor.position.start);
    cases.push({ kind, text: `${text.slice(0, at)}An inserted sentence. ${text.slice(at)}`, anchor });
  } else cases.push({ kind, text: withTypo(text, anchor), anchor });
}

const timings = new Map<Kind, number[]>();
const statuses = new Map<Kind, Map<AnchorStatus, number>>();
const started = performance.now();
for (const { kind, text, anchor } of cases) {
  const before = performance.now();
  const result = anchorQuote(text, anchor);
  const elapsed = performance.now() - before;
  timings.set(kind, [...(timings.get(kind) ?? []), elapsed]);
  const counts = statuses.get(kind) ?? new Map<AnchorStatus, number>();
  counts.set(result.status, (counts.get(result.status) ?? 0) + 1);
  statuses.set(kind, counts);
}
const total = performance.now() - started;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const lengths = texts.map((text) => text.length).join(', ');
console.log(`Anchored ${cases.length} excerpts against ${texts.length} sample texts (${lengths} characters)`);
console.log(`Node ${process.version}; total ${total.toFixed(1)} ms`);
for (const [kind, values] of timings) {
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  const outcome = [...statuses.get(kind)!].map(([status, count]) => `${status} ${count}`).join(', ');
  console.log(
    `${kind.padEnd(5)} n=${values.length}  mean ${mean.toFixed(3)} ms  p50 ${percentile(sorted, 50).toFixed(3)} ms  p95 ${percentile(sorted, 95).toFixed(3)} ms  max ${sorted.at(-1)!.toFixed(3)} ms  → ${outcome}`,
  );
}

const long = Array.from({ length: 11 }, (_, copy) => texts.map((text) => `${copy} ${text}`).join('\n\n')).join('\n\n');
const longTimings: number[] = [];
let longFound = 0;
for (let index = 0; index < 100; index++) {
  const anchor = randomSelection(long);
  // The corpus repeats in the long text: put the typo in every copy, so the look-up is fuzzy.
  const exact = anchor.quote.exact;
  const typo = withTypo(long, anchor).slice(anchor.position.start, anchor.position.end);
  const edited = long.split(exact).join(typo);
  const before = performance.now();
  if (anchorQuote(edited, anchor).status === 'fuzzy') longFound++;
  longTimings.push(performance.now() - before);
}
const longSorted = longTimings.sort((a, b) => a - b);
console.log(
  `fuzzy in a ${long.length}-character text: n=100  p50 ${percentile(longSorted, 50).toFixed(2)} ms  p95 ${percentile(longSorted, 95).toFixed(2)} ms  max ${longSorted.at(-1)!.toFixed(2)} ms  → fuzzy ${longFound}`,
);
