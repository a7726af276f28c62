import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One line of a chart: a server's values at each x (NaN where it has none). */
export interface Series {
  label: string;
  color: string;
  points: { x: number; y: number }[];
}

export interface Panel {
  title: string;
  yLabel: string;
  series: Series[];
}

const W = 420;
const H = 300;
const M = { left: 58, right: 14, top: 30, bottom: 44 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const tick = (v: number) => (v >= 1000 ? `${Math.round(v / 100) / 10}k` : v >= 10 ? v.toFixed(0) : v.toPrecision(2));

/** Log-scaled x (the sweeps grow by factors), linear y from 0. */
function panelSvg(panel: Panel, xs: number[], xLabel: string, ox: number): string {
  const all = panel.series.flatMap((s) => s.points.filter((p) => Number.isFinite(p.y)));
  const yMax = Math.max(1e-9, ...all.map((p) => p.y)) * 1.1;
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const lx = (x: number) => (x1 === x0 ? 0.5 : (Math.log(x) - Math.log(x0)) / (Math.log(x1) - Math.log(x0)));
  const px = (x: number) => ox + M.left + lx(x) * (W - M.left - M.right);
  const py = (y: number) => M.top + (1 - y / yMax) * (H - M.top - M.bottom);
  const out: string[] = [
    `<text x="${ox + W / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">${esc(panel.title)}</text>`,
    `<line x1="${ox + M.left}" y1="${H - M.bottom}" x2="${ox + W - M.right}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<line x1="${ox + M.left}" y1="${M.top}" x2="${ox + M.left}" y2="${H - M.bottom}" stroke="#333"/>`,
    `<text x="${ox + W / 2}" y="${H - 6}" text-anchor="middle" font-size="11">${esc(xLabel)} (log scale)</text>`,
    `<text transform="translate(${ox + 14},${H / 2}) rotate(-90)" text-anchor="middle" font-size="11">${esc(panel.yLabel)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const y = (yMax / 1.1) * (i / 4);
    out.push(
      `<line x1="${ox + M.left}" y1="${py(y)}" x2="${ox + W - M.right}" y2="${py(y)}" stroke="#ddd"/>`,
      `<text x="${ox + M.left - 4}" y="${py(y) + 4}" text-anchor="end" font-size="10">${tick(y)}</text>`,
    );
  }
  for (const x of xs)
    out.push(`<text x="${px(x)}" y="${H - M.bottom + 14}" text-anchor="middle" font-size="10">${tick(x)}</text>`);
  for (const s of panel.series) {
    const pts = s.points.filter((p) => Number.isFinite(p.y));
    if (pts.length > 1)
      out.push(
        `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map((p) => `${px(p.x)},${py(p.y)}`).join(' ')}"/>`,
      );
    for (const p of pts) out.push(`<circle cx="${px(p.x)}" cy="${py(p.y)}" r="3" fill="${s.color}"/>`);
  }
  return out.join('\n');
}

/** A row of panels sharing one x axis and one legend, as SVG. */
export function chartSvg(title: string, xLabel: string, xs: number[], panels: Panel[]): string {
  const width = W * panels.length;
  const legend = panels[0]?.series ?? [];
  const height = H + 40;
  const body = panels.map((p, i) => panelSvg(p, xs, xLabel, i * W)).join('\n');
  const keys = legend
    .map(
      (s, i) =>
        `<rect x="${20 + i * 190}" y="${H + 14}" width="14" height="4" fill="${s.color}"/><text x="${40 + i * 190}" y="${H + 20}" font-size="12">${esc(s.label)}</text>`,
    )
    .join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 24}" font-family="sans-serif">
<title>${esc(title)}</title>
<rect width="100%" height="100%" fill="white"/>
<g transform="translate(0,24)">${body}\n${keys}</g>
<text x="10" y="16" font-size="15" font-weight="bold">${esc(title)}</text>
</svg>`;
}

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);

/**
 * Writes `svg` as PNG through headless Chromium (Debian's, already on the machine: no download);
 * without Chromium, the SVG in its place. Answers what was written.
 */
export function writeChart(svg: string, pngPath: string): { png: boolean; svgPath: string } {
  const svgPath = pngPath.replace(/\.png$/, '.svg');
  if (!CHROMIUM) {
    writeFileSync(svgPath, svg);
    return { png: false, svgPath };
  }
  const [, w, h] = /width="(\d+)" height="(\d+)"/.exec(svg) ?? [];
  const dir = mkdtempSync(join(tmpdir(), 'debrief-plot-'));
  try {
    const html = join(dir, 'chart.html');
    writeFileSync(html, `<html><body style="margin:0">${svg}</body></html>`);
    const run = spawnSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--hide-scrollbars',
        `--user-data-dir=${join(dir, 'profile')}`,
        `--window-size=${w},${h}`,
        `--screenshot=${pngPath}`,
        `file://${html}`,
      ],
      { timeout: 60_000, stdio: 'ignore' },
    );
    return { png: run.status === 0 && existsSync(pngPath), svgPath };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
