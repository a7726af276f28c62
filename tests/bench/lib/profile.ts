import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileEntry {
  name: string;
  where: string;
  selfMs: number;
  percent: number;
}

export interface ProfileSummary {
  /** Sampled time outside (idle). */
  busyMs: number;
  totalMs: number;
  functions: ProfileEntry[];
  /** Self time per package / area (node_modules package, Debrief source, Node internals, GC). */
  areas: ProfileEntry[];
  /** Share of busy time (%) in the database client: Prisma, PGlite, pg (JavaScript and WebAssembly). */
  databasePercent: number;
}

const DATABASE_AREA = /prisma|pglite|^pg(-|$)/;

function areaOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1] as string;
  if (url.startsWith('node:')) return 'node internals';
  const debrief = /(apps|packages)\/([^/]+)\//.exec(url);
  if (debrief) return `debrief ${debrief[1]}/${debrief[2]}`;
  return url.replace(/^file:\/\//, '');
}

function shortUrl(url: string, line: number): string {
  if (!url) return '';
  const trimmed = url
    .replace(/^file:\/\//, '')
    .replace(/^.*node_modules\//, '')
    .replace(/^.*\/(apps|packages)\//, '$1/');
  return `${trimmed}:${line + 1}`;
}

/**
 * Self time per function (and per package) from a V8 .cpuprofile. With `windows` (monotonic ms,
 * the clock V8 stamps samples with), only samples inside them count.
 */
export function summariseProfile(path: string, top = 15, windows: [number, number][] = []): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parentOf = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
  // WebAssembly frames have no package in their URL: charge them to the JS that called into them.
  const wasmOwner = (id: number): string => {
    for (let at = parentOf.get(id); at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (frame?.url && !frame.url.startsWith('wasm://'))
        return `${areaOf(frame.url, frame.functionName)} (WebAssembly)`;
    }
    return 'WebAssembly';
  };
  const self = new Map<number, number>();
  let at = profile.startTime / 1000;
  const inside = (t: number) => windows.length === 0 || windows.some(([from, to]) => t >= from && t <= to);
  profile.samples.forEach((id, i) => {
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    at += delta;
    if (inside(at)) self.set(id, (self.get(id) ?? 0) + delta);
  });
  const functions = new Map<string, ProfileEntry>();
  const areas = new Map<string, ProfileEntry>();
  let busyMs = 0;
  let totalMs = 0;
  for (const [id, ms] of self) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    totalMs += ms;
    if (name === '(idle)') continue;
    busyMs += ms;
    const key = `${name} ${url}:${lineNumber}`;
    const entry = functions.get(key) ?? { name, where: shortUrl(url, lineNumber), selfMs: 0, percent: 0 };
    entry.selfMs += ms;
    functions.set(key, entry);
    const area = url.startsWith('wasm://') ? wasmOwner(id) : areaOf(url, name);
    const areaEntry = areas.get(area) ?? { name: area, where: '', selfMs: 0, percent: 0 };
    areaEntry.selfMs += ms;
    areas.set(area, areaEntry);
  }
  const rank = (entries: Iterable<ProfileEntry>) =>
    [...entries]
      .map((e) => ({ ...e, percent: busyMs > 0 ? (100 * e.selfMs) / busyMs : 0 }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top);
  const databaseMs = [...areas.values()]
    .filter((a) => DATABASE_AREA.test(a.name))
    .reduce((sum, a) => sum + a.selfMs, 0);
  return {
    busyMs,
    totalMs,
    functions: rank(functions.values()),
    areas: rank(areas.values()),
    databasePercent: busyMs > 0 ? (100 * databaseMs) / busyMs : 0,
  };
}
