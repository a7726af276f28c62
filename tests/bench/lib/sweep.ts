import { join } from 'node:path';
import type { Metrics } from '../scenarios/common.ts';
import type { ScenarioNumber, ServerName, Sizes } from './options.ts';
import { chartSvg, type Panel, writeChart } from './plot.ts';
import { LABELS } from './servers.ts';

/** One axis of the sweep: a scenario whose size grows, and how each point sets it. */
export interface Axis {
  key: 'observers' | 'briefings' | 'docSize';
  title: string;
  xLabel: string;
  scenario: ScenarioNumber;
  points: number[];
  sizes(base: Sizes, x: number): Sizes;
  /** The three figures plotted: latency, CPU, memory. */
  figures: { key: string; label: string }[];
}

const SHORT_MS = 4_000;

const FAN_OUT_FIGURES: Axis['figures'] = [
  { key: 'p99', label: 'fan-out p99 (ms)' },
  { key: 'cpu', label: 'server CPU (% of a core)' },
  { key: 'peakRss', label: 'peak RSS (MiB)' },
];

export function sweepAxes(mode: 'quick' | 'full'): Axis[] {
  const full = mode === 'full';
  return [
    {
      key: 'observers',
      title: 'Observers of one briefing (scenario 2: 1 writer, 5 updates/s)',
      xLabel: 'observers',
      scenario: 2,
      points: full ? [10, 100, 300, 1_000] : [10, 100],
      sizes: (base, x) => ({ ...base, broadcast: { ...base.broadcast, observers: x, durationMs: SHORT_MS } }),
      figures: FAN_OUT_FIGURES,
    },
    {
      key: 'briefings',
      title: 'Concurrent briefings (scenario 1: 4 editors each, 5 updates/s each)',
      xLabel: 'briefings',
      scenario: 1,
      points: full ? [10, 50, 100, 500] : [10, 40],
      sizes: (base, x) => ({
        ...base,
        editing: { ...base.editing, briefings: x, durationMs: SHORT_MS, burstDurationMs: 1_000 },
      }),
      figures: FAN_OUT_FIGURES,
    },
    {
      key: 'docSize',
      title: 'Document size (scenario 3: clients joining one stored briefing at once)',
      xLabel: 'document (kB)',
      scenario: 3,
      points: full ? [100, 1_000, 10_000] : [100, 1_000],
      sizes: (base, x) => ({ ...base, stampede: { ...base.stampede, docBytes: x * 1000 } }),
      figures: [
        { key: 'all', label: 'all clients have it (ms)' },
        { key: 'eldP99', label: 'event-loop delay p99 (ms)' },
        { key: 'peakRss', label: 'peak RSS (MiB)' },
      ],
    },
  ];
}

export interface SweepResult {
  axis: Axis;
  /** Per server, per point: the scenario's metrics (empty when the run failed). */
  runs: { server: ServerName; x: number; metrics: Metrics }[];
}

const COLORS: Record<ServerName, string> = {
  'debrief-pglite': '#d62728',
  'debrief-pg': '#ff7f0e',
  'y-websocket': '#1f77b4',
  hocuspocus: '#2ca02c',
};

/** Exponent k of y ∝ x^k between the first and last point: ~1 linear, below sublinear, above worse. */
export function growth(points: { x: number; y: number }[]): number {
  const ok = points.filter((p) => Number.isFinite(p.y) && p.y > 0);
  const first = ok[0];
  const last = ok[ok.length - 1];
  if (!first || !last || first.x === last.x) return Number.NaN;
  return Math.log(last.y / first.y) / Math.log(last.x / first.x);
}

const shape = (k: number) =>
  !Number.isFinite(k)
    ? 'no figure'
    : k < -0.2
      ? `falling (×x^${k.toFixed(2)})`
      : k < 0.2
        ? `flat (×x^${k.toFixed(2)})`
        : k < 0.85
          ? `sublinear (×x^${k.toFixed(2)})`
          : k <= 1.2
            ? `linear (×x^${k.toFixed(2)})`
            : `worse than linear (×x^${k.toFixed(2)})`;

/** Draws each axis (PNG through headless Chromium, SVG beside it) and answers the report's section. */
export function renderSweep(results: SweepResult[], docsDir: string, servers: ServerName[], mode: string): string[] {
  const out: string[] = [
    '## How cost grows (the sweep)',
    '',
    `Each point is one fresh server process per server, running the named scenario at that size for a short phase (${SHORT_MS / 1000} s of typing)` +
      (mode === 'quick'
        ? '; **quick mode uses reduced sizes, two points per axis** (observers 10 and 100, briefings 10 and 40, documents 100 kB and 1 MB); `--sweep --full` runs 10 → 1,000 observers, 10 → 500 briefings, 100 KB → 10 MB.'
        : '.') +
      ' Growth is the exponent k of y ∝ x^k from the first to the last point.',
    '',
  ];
  for (const { axis, runs } of results) {
    const series = (key: string) =>
      servers.map((server) => ({
        label: LABELS[server],
        color: COLORS[server],
        points: axis.points.map((x) => ({
          x,
          y: runs.find((r) => r.server === server && r.x === x)?.metrics[key] ?? Number.NaN,
        })),
      }));
    const panels: Panel[] = axis.figures.map((f) => ({ title: f.label, yLabel: f.label, series: series(f.key) }));
    const file = `benchmarks-sweep-${axis.key}.png`;
    const written = writeChart(chartSvg(axis.title, axis.xLabel, axis.points, panels), join(docsDir, file));
    out.push(`### ${axis.title}`, '');
    out.push(
      written.png ? `![${axis.title}](${file})` : `(PNG not written: no Chromium; see ${file.replace('.png', '.svg')})`,
      '',
    );
    const header = ['server', 'figure', ...axis.points.map((x) => `${axis.xLabel} ${x}`), 'growth'];
    out.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
    for (const f of axis.figures) {
      for (const s of series(f.key)) {
        const cells = s.points.map((p) => (Number.isFinite(p.y) ? p.y.toFixed(f.key === 'p99' ? 1 : 0) : '—'));
        out.push(`| ${s.label} | ${f.label} | ${cells.join(' | ')} | ${shape(growth(s.points))} |`);
      }
    }
    out.push('');
    // Where Debrief leaves the best peer (more than 10 % behind on the latency figure).
    const lat = axis.figures[0]!;
    for (const d of series(lat.key).filter((s) => s.label.startsWith('Debrief'))) {
      const peers = series(lat.key).filter((s) => !s.label.startsWith('Debrief'));
      const leaves = d.points.find((p, i) => {
        const best = Math.min(...peers.map((s) => s.points[i]?.y ?? Number.NaN).filter(Number.isFinite));
        return Number.isFinite(best) && p.y > best * 1.1;
      });
      out.push(
        `- ${d.label}, ${lat.label}: ${leaves ? `more than 10 % behind the best peer from ${axis.xLabel} = ${leaves.x}` : 'within 10 % of the best peer at every point'}.`,
      );
    }
    out.push('');
  }
  return out;
}
