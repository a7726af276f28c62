/**
 * Benchmark harness: Debrief (PGlite and PostgreSQL) side by side with the y-websocket reference
 * server and Hocuspocus. `npm run bench` (quick) or `npm run bench -- --full`; see lib/options.ts.
 * Writes docs/benchmarks.md; every figure in it comes from this run.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExportScenario } from './export/scenario.ts';
import { LoadGenerators } from './lib/loadgen.ts';
import { gitDescribe, machineFacts, packageVersion } from './lib/machine.ts';
import { parseOptions, type ServerName } from './lib/options.ts';
import { type ProfileSummary, summariseProfile } from './lib/profile.ts';
import { renderReport, type ServerDescription } from './lib/report.ts';
import {
  cleanupAll,
  DEBRIEF_ROOT,
  isDebrief,
  LABELS,
  postgresStatus,
  profilesIn,
  ROOT,
  Server,
} from './lib/servers.ts';
import { median } from './lib/stats.ts';
import { renderSweep, type SweepResult, sweepAxes } from './lib/sweep.ts';
import type { Scenario, ScenarioResult } from './scenarios/common.ts';
import { SCENARIO_LIST } from './scenarios/index.ts';

const options = parseOptions(process.argv.slice(2), join(ROOT, 'docs/benchmarks.md'));
const startedAt = new Date();
const started = performance.now();
const facts = machineFacts();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s`;
const log = (message: string) => console.log(`[${elapsed()}] ${message}`);

// The export scenario measures no server: named alone, it runs without starting any.
if (options.scenarios.length === 0) {
  if (options.exportScenario) await runExportScenario(ROOT, log);
  process.exit(0);
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: cleaning up`);
    void cleanupAll().finally(() => process.exit(130));
  });
}

const skipped: { name: ServerName; reason: string }[] = [];
if (options.servers.includes('debrief-pg')) {
  const status = await postgresStatus();
  if (!status.available) {
    skipped.push({ name: 'debrief-pg', reason: status.reason });
    options.servers = options.servers.filter((s) => s !== 'debrief-pg');
    log(`skipping Debrief on PostgreSQL: ${status.reason}`);
  }
}

/** Load generators live for the whole run (their clients are dropped after each scenario). */
let sharedGenerators: LoadGenerators | undefined;

async function runOne(
  scenario: Scenario,
  name: ServerName,
  profileDir: string | null = null,
  windows: [number, number][] = [],
  sizes = options.sizes,
): Promise<ScenarioResult> {
  let server: Server | undefined;
  let failed = false;
  const budget = scenario.budgetMs(sizes);
  let timer: NodeJS.Timeout | undefined;
  try {
    const context0 = (m: string) => log(`  ${LABELS[name]}: ${m}`);
    server = await Server.create(name, { debriefEnv: scenario.debriefEnv, profileDir });
    sharedGenerators ??= await LoadGenerators.start(options.loadgens);
    const generators = sharedGenerators;
    context0('server up');
    const context = { server, generators, sizes, log: context0, windows };
    const load = loadavg()[0] ?? Number.NaN;
    const outcome = await Promise.race([
      scenario.run(context),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`gave up after ${budget / 1000} s`)), budget);
      }),
    ]);
    outcome.notes.push(`machine load average (1 min) when this run started: ${load.toFixed(2)}`);
    return { server: name, ...outcome };
  } catch (error) {
    failed = true;
    log(`  ${LABELS[name]}: FAILED ${(error as Error).message.split('\n')[0]}`);
    return { server: name, metrics: {}, notes: [], error: (error as Error).message.split('\n')[0] };
  } finally {
    clearTimeout(timer);
    if (sharedGenerators) {
      // After a failure the generators may still be busy with it: start fresh ones.
      const dropped = failed
        ? Promise.reject(new Error('failed run'))
        : sharedGenerators.each(() => ({ op: 'destroy' }), 30_000);
      await dropped.catch(async () => {
        await sharedGenerators?.close().catch(() => {});
        sharedGenerators = undefined;
      });
    }
    await server?.dispose().catch(() => {});
  }
}

const pgVersion = await postgresStatus().then((s) => (s.available ? s.version : '?'));
const v = (pkg: string) => packageVersion(ROOT, pkg);
const descriptions: ServerDescription[] = [
  {
    name: 'debrief-pglite',
    software: `Debrief server (Hono + ws), Node ${process.version}`,
    persistence: 'embedded PGlite (in the server process), data folder on local disk; update log + snapshots',
    beforeBroadcast: 'yes: every update is appended to the log (group commit) before it is broadcast',
    notes:
      'stock settings: compaction every 500 updates, 300 messages/s per connection; scenario 4 sets COMPACT_AFTER_UPDATES=100000000',
  },
  {
    name: 'debrief-pg',
    software: `Debrief server, PostgreSQL ${pgVersion} on 127.0.0.1`,
    persistence: 'PostgreSQL (separate process, temporary database); update log + snapshots',
    beforeBroadcast: 'yes, as above',
    notes: 'PostgreSQL’s own CPU and memory are not in the figures',
  },
  {
    name: 'y-websocket',
    software: `@y/websocket-server ${v('@y/websocket-server')} (setupWSConnection), ws ${v('ws')}`,
    persistence: `LevelDB through y-leveldb ${v('y-leveldb')} (its built-in YPERSISTENCE option)`,
    beforeBroadcast:
      'no: broadcast first, each update then written asynchronously (no fsync); the log is merged when a document with more than 500 updates loads',
    notes:
      'launcher tests/bench/servers/yws.ts; uses ws 8 like Debrief rather than the ws 6 its own bin uses; no auth, no rate limit, no message size limit beyond ws’s default',
  },
  {
    name: 'hocuspocus',
    software: `@hocuspocus/server ${v('@hocuspocus/server')} (stock configuration)`,
    persistence: `@hocuspocus/extension-database ${v('@hocuspocus/extension-database')} with a file per document (temp file, fsync, rename)`,
    beforeBroadcast:
      'no: broadcast first; the whole document is stored 2 s after the last change (at most 10 s) and when it unloads',
    notes:
      'launcher tests/bench/servers/hocuspocus.ts; extension-sqlite needs a native better-sqlite3 build, so a file store stands in; coalesces broadcasts per event-loop turn; its declared engine is Node ≥ 22 (runs on this Node)',
  },
].filter((d) => options.servers.includes(d.name as ServerName)) as ServerDescription[];

if (options.sweep) {
  const sweepResults: SweepResult[] = [];
  for (const axis of sweepAxes(options.mode)) {
    const runs: SweepResult['runs'] = [];
    for (const x of axis.points) {
      for (const name of options.servers) {
        if (interrupted) break;
        log(`sweep ${axis.key} = ${x}: ${LABELS[name]}`);
        const result = await runOne(SCENARIO_LIST[axis.scenario], name, null, [], axis.sizes(options.sizes, x));
        runs.push({ server: name, x, metrics: result.metrics });
      }
    }
    sweepResults.push({ axis, runs });
  }
  await sharedGenerators?.close();
  await cleanupAll();
  const docs = join(ROOT, 'docs');
  const lines = [
    '# Benchmarks: how cost grows',
    '',
    '<!-- Generated by `npm run bench -- --sweep` (tests/bench/run.ts). Do not edit: every figure is measured by the harness. -->',
    '',
    `Generated on ${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, **${options.mode} mode**, in ${((performance.now() - started) / 1000).toFixed(0)} s. ` +
      `Debrief at ${gitDescribe(DEBRIEF_ROOT)}. Load average at start / end: ${facts.loadAverage.map((l) => l.toFixed(2)).join(', ')} / ` +
      `${machineFacts()
        .loadAverage.map((l) => l.toFixed(2))
        .join(', ')} (${facts.cores} cores, shared with other work: compare servers at the same point, not runs).`,
    '',
    ...renderSweep(sweepResults, docs, options.servers, options.mode),
  ];
  writeFileSync(join(docs, 'benchmarks-sweep.md'), `${lines.join('\n')}\n`);
  log(`wrote docs/benchmarks-sweep.md and its plots in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  process.exit(0);
}

log(
  `bench: ${options.mode} mode, scenarios ${options.scenarios.join(',')}, servers ${options.servers.join(', ')}; ` +
    `${facts.cores} cores, load ${facts.loadAverage.map((l) => l.toFixed(2)).join(' ')}`,
);
const results: { scenario: Scenario; results: ScenarioResult[] }[] = [];
for (const number of options.scenarios) {
  const scenario = SCENARIO_LIST[number];
  log(`scenario ${number}: ${scenario.title}`);
  const servers = options.servers.filter((name) => scenario.appliesTo?.(name) ?? true);
  const runs = new Map<ServerName, ScenarioResult[]>(servers.map((name) => [name, []]));
  for (let round = 0; round < options.rounds && !interrupted; round++) {
    // Alternate the order, so drift in the machine's load does not always favour the same server.
    const order = round % 2 === 0 ? servers : [...servers].reverse();
    for (const name of order) {
      if (interrupted) break;
      const t0 = performance.now();
      runs.get(name)?.push(await runOne(scenario, name));
      log(`  ${LABELS[name]} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  results.push({ scenario, results: servers.map((name) => mergeRounds(name, runs.get(name) ?? [])) });
}

/** One result per server: the median of each figure over the rounds that succeeded. */
function mergeRounds(name: ServerName, rounds: ScenarioResult[]): ScenarioResult {
  const ok = rounds.filter((r) => !r.error);
  if (ok.length === 0) return rounds[0] ?? { server: name, metrics: {}, notes: [], error: 'not run' };
  if (rounds.length === 1) return ok[0] as ScenarioResult;
  const keys = new Set(ok.flatMap((r) => Object.keys(r.metrics)));
  const metrics = Object.fromEntries(
    [...keys].map((key) => [key, median(ok.map((r) => r.metrics[key] ?? Number.NaN).filter(Number.isFinite))]),
  );
  const failed = rounds.filter((r) => r.error).map((r) => r.error);
  return {
    server: name,
    metrics,
    notes: [
      `median of ${ok.length} rounds${failed.length ? ` (${failed.length} failed: ${failed.join('; ')})` : ''}`,
      ...ok.flatMap((r, i) => r.notes.map((n) => `round ${i + 1}: ${n}`)),
    ],
  };
}

const measuredAt = performance.now();
const profiles: { scenario: Scenario; server: ServerName; file: string; summary: ProfileSummary }[] = [];
if (options.profile && options.servers.some(isDebrief)) {
  const name = options.servers.find(isDebrief) as ServerName;
  for (const { scenario } of results) {
    if (interrupted) break;
    const dir = mkdtempSync(join(tmpdir(), `debrief-profile-s${scenario.number}-`));
    log(`profiling ${LABELS[name]} in scenario ${scenario.number} (not used for figures)`);
    const windows: [number, number][] = [];
    await runOne(scenario, name, dir, windows);
    const files = profilesIn(dir);
    // Only the measured phases count; of several processes (scenario 3 restarts the server), the
    // one that was busiest in them.
    const file = files
      .map((f) => ({ f, s: summariseProfile(f, 15, windows) }))
      .sort((a, b) => b.s.busyMs - a.s.busyMs)[0];
    if (file) {
      profiles.push({ scenario, server: name, file: file.f, summary: file.s });
      log(`  profile: ${file.f}`);
    }
  }
}

await sharedGenerators?.close();
await cleanupAll();
const endedAt = performance.now();
const durationS = (endedAt - started) / 1000;
const report = renderReport({
  startedAt,
  durationS,
  profilingS: options.profile ? (endedAt - measuredAt) / 1000 : 0,
  options,
  facts,
  loadAverageEnd: machineFacts().loadAverage,
  debriefCommit: gitDescribe(DEBRIEF_ROOT),
  clientVersions: `y-websocket ${v('y-websocket')}, @hocuspocus/provider ${v('@hocuspocus/provider')}, yjs ${v('yjs')}`,
  servers: descriptions,
  skipped,
  scenarios: results,
  profiles,
});
writeFileSync(options.output, report);
const raw = join(tmpdir(), `debrief-bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(raw, JSON.stringify({ options, facts, results, profiles: profiles.map((p) => p.file) }, null, 2));
log(`wrote ${options.output} (raw figures: ${raw}) in ${durationS.toFixed(0)} s`);
if (options.exportScenario && !interrupted) await runExportScenario(ROOT, log);
process.exit(0);
