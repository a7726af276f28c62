import type { Column, Metrics, Scenario, ScenarioResult } from '../scenarios/common.ts';
import type { MachineFacts } from './machine.ts';
import { FULL, type Options, QUICK, type ServerName, type Sizes } from './options.ts';
import type { ProfileSummary } from './profile.ts';
import { isDebrief, LABELS } from './servers.ts';

export interface ServerDescription {
  name: ServerName;
  software: string;
  persistence: string;
  beforeBroadcast: string;
  notes: string;
}

export interface ReportInput {
  startedAt: Date;
  durationS: number;
  /** Of which spent re-running Debrief under the profiler. */
  profilingS: number;
  options: Options;
  facts: MachineFacts;
  loadAverageEnd: number[];
  debriefCommit: string;
  clientVersions: string;
  servers: ServerDescription[];
  skipped: { name: ServerName; reason: string }[];
  scenarios: { scenario: Scenario; results: ScenarioResult[] }[];
  profiles: { scenario: Scenario; server: ServerName; file: string; summary: ProfileSummary }[];
}

const fmt = (value: number | undefined, digits: number): string => {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
};

const cell = (column: Column, metrics: Metrics | undefined): string => {
  if (!metrics) return '—';
  if (column.format) return column.format(metrics);
  return fmt(metrics[column.key], column.digits);
};

const ratio = (a: number | undefined, b: number | undefined): number =>
  a !== undefined && b !== undefined && Number.isFinite(a) && Number.isFinite(b) && b !== 0 ? a / b : Number.NaN;

const escapeCell = (text: string) => text.replace(/\|/g, '\\|');

/** A Markdown table; `numeric` right-aligns every column but the first. */
function table(header: string[], rows: string[][], numeric = true): string {
  return [
    `| ${header.map(escapeCell).join(' | ')} |`,
    `|${header.map((_, i) => (i === 0 || !numeric ? '---' : '---:')).join('|')}|`,
    ...rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
  ].join('\n');
}

function sizeSummary(sizes: Sizes): string {
  return [
    `scenario 1: ${sizes.editing.briefings} briefings × ${sizes.editing.editorsPerBriefing} editors, ${sizes.editing.durationMs / 1000} s`,
    `2: ${sizes.broadcast.observers} observers`,
    `3: ${sizes.stampede.clients} clients on ${sizes.stampede.docBytes / 1_000_000} MB`,
    `4: ${sizes.coldLoad.updates.toLocaleString('en-US')} updates`,
    `5: ${sizes.presence.clients} clients`,
    `6: 1 writer → ${sizes.heavy.observers} observers + ${sizes.heavy.backgroundBriefings} briefings × ${sizes.heavy.editorsPerBackground} editors, ${sizes.heavy.durationMs / 1000} s`,
  ].join('; ');
}

type Verdict = { text: string; met: boolean | null };

/** Compares each Debrief variant with the best peer on one column of one scenario. */
function compare(
  input: ReportInput,
  scenarioNumber: number,
  key: string,
  label: string,
  better: 'lower' | 'higher',
  /** Relative slack within which a figure still counts as a tie (throughput capped by the offered rate). */
  tolerance = 0,
): Verdict[] {
  const entry = input.scenarios.find((s) => s.scenario.number === scenarioNumber);
  if (!entry) return [{ text: `${label}: not measured in this run (scenario ${scenarioNumber} not run).`, met: null }];
  const column = entry.scenario.columns.find((c) => c.key === key);
  const digits = column?.digits ?? 1;
  const peers = entry.results.filter((r) => !isDebrief(r.server) && !r.error && Number.isFinite(r.metrics[key]));
  const debriefs = entry.results.filter((r) => isDebrief(r.server));
  if (peers.length === 0 || debriefs.length === 0)
    return [
      {
        text: `${label}: not measured (needs Debrief and at least one peer in scenario ${scenarioNumber}).`,
        met: null,
      },
    ];
  const best = peers.reduce((a, b) =>
    (
      better === 'lower'
        ? (a.metrics[key] as number) <= (b.metrics[key] as number)
        : (a.metrics[key] as number) >= (b.metrics[key] as number)
    )
      ? a
      : b,
  );
  const bestValue = best.metrics[key] as number;
  return debriefs.map((d) => {
    const value = d.metrics[key];
    if (d.error || value === undefined || !Number.isFinite(value))
      return { text: `${label}, ${LABELS[d.server]}: no figure (${d.error ?? 'not measured'}).`, met: false };
    const met = better === 'lower' ? value <= bestValue * (1 + tolerance) : value >= bestValue * (1 - tolerance);
    return {
      text:
        `${label}, ${LABELS[d.server]}: ${fmt(value, digits)} vs ${fmt(bestValue, digits)} for the best peer ` +
        `(${LABELS[best.server]}), ratio ${fmt(ratio(value, bestValue), 2)}` +
        `${tolerance ? ` (ties within ${Math.round(tolerance * 100)} % count as met)` : ''} — **${met ? 'met' : 'not met'}**.`,
      met,
    };
  });
}

function readingTheResults(input: ReportInput): string[] {
  const lines: string[] = [];
  const goal = (title: string, verdicts: Verdict[]) => {
    lines.push(`- ${title}`);
    for (const v of verdicts) lines.push(`  - ${v.text}`);
  };
  goal(
    '**Fan-out p99 at least as fast as the fastest peer** (scenario 1, many briefings):',
    compare(input, 1, 'p99', 'fan-out p99 (ms)', 'lower'),
  );
  goal('**Fan-out p99 with many observers** (scenario 2):', compare(input, 2, 'p99', 'fan-out p99 (ms)', 'lower'));
  goal('**Sustained updates/s at least the fastest peer’s** (scenario 1, paced, and burst):', [
    ...compare(input, 1, 'sustained', 'sustained updates/s (paced)', 'higher', 0.02),
    ...compare(input, 1, 'burstRate', 'delivered updates/s (burst)', 'higher', 0.02),
  ]);

  const s4 = input.scenarios.find((s) => s.scenario.number === 4);
  if (s4) {
    const verdicts: Verdict[] = s4.results.map((r) => {
      const kept = r.metrics.survived;
      const sent = r.metrics.probe;
      if (r.error || kept === undefined || sent === undefined)
        return {
          text: `${LABELS[r.server]}: no figure (${r.error ?? 'not measured'}).`,
          met: isDebrief(r.server) ? false : null,
        };
      const all = kept === sent;
      return {
        text: `${LABELS[r.server]}: ${fmt(kept, 0)} of ${fmt(sent, 0)} updates that other clients had already received survived SIGKILL${isDebrief(r.server) ? ` — **${all ? 'met' : 'not met'}**` : ''}.`,
        met: isDebrief(r.server) ? all : null,
      };
    });
    goal(
      '**Every update durable before it is broadcast** (scenario 4 probe: kill right after another client saw the edits):',
      verdicts,
    );
  } else {
    goal('**Every update durable before it is broadcast**:', [
      { text: 'not measured in this run (scenario 4 not run).', met: null },
    ]);
  }
  goal(
    '**Lower peak RSS per loaded briefing than the peers** (scenario 1):',
    compare(input, 1, 'rssPerDoc', 'RSS per loaded briefing (MiB)', 'lower'),
  );

  lines.push('', 'Issue 15 (performance) targets:', '');
  for (const [title, verdicts] of performanceTargets(input)) goal(title, verdicts);

  // Every ratio column where a Debrief variant is more than 10 % behind the best peer.
  const behind: string[] = [];
  for (const { scenario, results } of input.scenarios) {
    for (const column of scenario.columns.filter((c) => c.ratio && c.better)) {
      const peers = results.filter((r) => !isDebrief(r.server) && !r.error && Number.isFinite(r.metrics[column.key]));
      if (peers.length === 0) continue;
      const values = peers.map((p) => p.metrics[column.key] as number);
      const best = column.better === 'lower' ? Math.min(...values) : Math.max(...values);
      for (const d of results.filter((r) => isDebrief(r.server) && !r.error)) {
        const r = ratio(d.metrics[column.key], best);
        if (!Number.isFinite(r)) continue;
        const worse = column.better === 'lower' ? r > 1.1 : r < 1 / 1.1;
        if (worse)
          behind.push(
            `scenario ${scenario.number}, ${column.label}: ${LABELS[d.server]} ${fmt(d.metrics[column.key], column.digits)} vs best peer ${fmt(best, column.digits)} (×${fmt(r, 2)})`,
          );
      }
    }
  }
  const hints = whatWouldFixIt(input);
  if (hints.length)
    lines.push(
      '',
      'What the measurements point to (derived from this run’s figures):',
      '',
      ...hints.map((h) => `- ${h}`),
    );
  lines.push('');
  if (behind.length) {
    lines.push('Where Debrief is more than 10 % behind the best peer in this run:', '');
    for (const b of behind) lines.push(`- ${b}`);
    lines.push(
      '',
      input.profiles.length
        ? 'See "Where Debrief’s time goes" below for the CPU profile of those runs.'
        : 'Run with `--profile` to add a CPU profile of Debrief for each scenario to this report.',
    );
  } else {
    lines.push('Debrief is within 10 % of, or ahead of, the best peer on every compared figure in this run.');
  }
  return lines;
}

/** The targets of issue 15, each with its verdict per Debrief variant. */
function performanceTargets(input: ReportInput): [string, Verdict[]][] {
  const targets: [string, Verdict[]][] = [];
  const fanOut = (n: number) =>
    (['p50', 'p95', 'p99'] as const).flatMap((p) => compare(input, n, p, `scenario ${n}, fan-out ${p} (ms)`, 'lower'));
  targets.push([
    '**Fan-out p50/p95/p99 ≤ 1.0× the best peer** (scenarios 1, 2 and 6):',
    [...fanOut(1), ...fanOut(2), ...fanOut(6)],
  ]);
  targets.push([
    '**Server CPU ≤ 1.2× the best peer** (scenarios 1, 2 and 6):',
    [
      ...compare(input, 1, 'cpu', 'scenario 1, server CPU (% of a core)', 'lower', 0.2),
      ...compare(input, 2, 'cpu', 'scenario 2, server CPU (% of a core)', 'lower', 0.2),
      ...compare(input, 6, 'cpuS', 'scenario 6, server CPU (s)', 'lower', 0.2),
    ],
  ]);
  const baseline: Verdict[] = [];
  for (const entry of input.scenarios.filter((e) => e.scenario.number === 6 || e.scenario.number === 1)) {
    for (const r of entry.results.filter((x) => isDebrief(x.server) && !x.error)) {
      const limit = r.server === 'debrief-pglite' ? 200 : 120;
      const value = r.metrics.baselineRss;
      if (value === undefined || !Number.isFinite(value)) continue;
      baseline.push({
        text: `scenario ${entry.scenario.number}, ${LABELS[r.server]}: ${fmt(value, 0)} MiB before any briefing opens (target ≤ ${limit} MiB) — **${value <= limit ? 'met' : 'not met'}**.`,
        met: value <= limit,
      });
    }
  }
  targets.push([
    '**RSS before any briefing opens ≤ 200 MiB (PGlite), ≤ 120 MiB (PostgreSQL)**:',
    baseline.length ? baseline : [{ text: 'not measured (scenario 1 or 6 not run).', met: null }],
  ]);
  targets.push([
    '**RSS per loaded briefing ≤ 1.0× the best peer** (scenario 1):',
    compare(input, 1, 'rssPerDoc', 'RSS per loaded briefing (MiB)', 'lower'),
  ]);
  targets.push([
    '**Peak RSS in the heavy mix ≤ 2× the best peer** (scenario 6; shown as ratio to the best peer, met up to 2.00):',
    compare(input, 6, 'peakRss', 'peak RSS (MiB)', 'lower', 1),
  ]);
  targets.push([
    '**Join storm: every client has the briefing no later than with the best peer** (scenario 3):',
    compare(input, 3, 'all', 'all clients have it (ms)', 'lower'),
  ]);
  const s4 = input.scenarios.find((e) => e.scenario.number === 4);
  targets.push([
    '**Cold load of a long update log ≤ 2× a compacted load** (scenario 4, same server):',
    (s4?.results ?? [])
      .filter((r) => isDebrief(r.server))
      .map((r) => {
        const q = ratio(r.metrics.logged, r.metrics.compacted);
        if (!Number.isFinite(q))
          return { text: `${LABELS[r.server]}: no figure (${r.error ?? 'not measured'}).`, met: false };
        return {
          text: `${LABELS[r.server]}: ${fmt(r.metrics.logged, 0)} ms from the log vs ${fmt(r.metrics.compacted, 0)} ms compacted, ratio ${fmt(q, 2)} — **${q <= 2 ? 'met' : 'not met'}**.`,
          met: q <= 2,
        };
      }),
  ]);
  return targets;
}

/** Remedies that the figures of this run call for; each only when its figure says so. */
function whatWouldFixIt(input: ReportInput): string[] {
  const hints: string[] = [];
  const s1 = input.scenarios.find((s) => s.scenario.number === 1);
  const debriefs = (s1?.results ?? []).filter((r) => isDebrief(r.server) && !r.error);
  const peers = (s1?.results ?? []).filter((r) => !isDebrief(r.server) && !r.error);
  const unbatched = debriefs.filter((r) => (r.metrics.logPerStatement ?? Number.POSITIVE_INFINITY) < 2);
  if (unbatched.length) {
    const figures = unbatched
      .map(
        (r) =>
          `${LABELS[r.server]}: ${fmt(r.metrics.logPerStatement, 1)} updates per statement at ${fmt(r.metrics.logMsPerStatement, 1)} ms each in the paced phase, ${fmt(r.metrics.burstLogPerStatement, 1)} in the burst`,
      )
      .join('; ');
    hints.push(
      `Group commit batches little (${figures}): updates that arrive in the same event-loop turn or while a ` +
        'write is in flight share a statement, but at this rate most arrive between writes, so each pays for a ' +
        'statement of its own before it is broadcast. That commit is the price of durability before broadcast; ' +
        'what shortens it is a cheaper statement (PGlite in a worker thread, so it no longer runs on the event ' +
        'loop; a prepared statement kept per connection on PostgreSQL).',
    );
  }
  const profile = input.profiles.find((p) => p.scenario.number === 1);
  if (profile && profile.summary.databasePercent > 25) {
    hints.push(
      `${fmt(profile.summary.databasePercent, 0)} % of Debrief’s busy time in scenario 1 is in the database client ` +
        '(Prisma and PGlite, JavaScript and WebAssembly), almost all of it appending to the update log through ' +
        'Prisma’s `createManyAndReturn`. One parametrised `INSERT … VALUES … RETURNING` through `db.withSession` ' +
        'skips Prisma’s query compiler and interpreter. PGlite runs on the event loop’s own thread, so every ' +
        'statement also delays fan-out and reading sockets: running it in a worker thread would keep the event loop free.',
    );
  }
  const lowestPeerRss = Math.min(...peers.map((p) => p.metrics.baselineRss ?? Number.NaN).filter(Number.isFinite));
  const pgBase = debriefs.find((r) => r.server === 'debrief-pg')?.metrics.baselineRss;
  for (const r of debriefs) {
    const base = r.metrics.baselineRss;
    if (base === undefined || !Number.isFinite(lowestPeerRss) || base <= 2 * lowestPeerRss) continue;
    const embedded =
      r.server === 'debrief-pglite' && pgBase !== undefined && Number.isFinite(pgBase)
        ? ` ${fmt(base - pgBase, 0)} MiB of it is the embedded database (compared with Debrief on PostgreSQL);`
        : '';
    hints.push(
      `${LABELS[r.server]} starts at ${fmt(base, 0)} MiB RSS before any briefing is open, the lightest peer at ` +
        `${fmt(lowestPeerRss, 0)} MiB;${embedded} the rest is the server’s libraries (Prisma’s runtime and query ` +
        `compiler among them). Each loaded briefing then adds ${fmt(r.metrics.rssPerDoc, 2)} MiB.`,
    );
  }
  return hints;
}

export function renderReport(input: ReportInput): string {
  const { options, facts } = input;
  const out: string[] = [];
  out.push(
    '# Benchmarks: Debrief, the y-websocket reference server and Hocuspocus',
    '',
    '<!-- Generated by `npm run bench` (tests/bench/run.ts). Do not edit: every figure is measured by the harness. -->',
    '',
    `Generated by \`npm run bench\` (tests/bench) on ${input.startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC, ` +
      `**${options.mode} mode**${options.rounds > 1 ? `, medians of ${options.rounds} rounds` : ''}, in ${Math.round(input.durationS - input.profilingS)} s${input.profilingS > 0 ? ` (plus ${Math.round(input.profilingS)} s of profiling runs)` : ''}. Debrief at ${input.debriefCommit}.`,
    '',
  );
  if (options.mode === 'quick')
    out.push(
      `Quick mode uses smaller sizes than the issue asks for (${sizeSummary(options.sizes)}); ` +
        '`npm run bench -- --full` runs the full sizes (see "Running it").',
      '',
    );
  out.push(
    '> The machine is small and shared with other work, so absolute figures are noisy. Compare servers through the',
    '> ratios, which come from the same run; each server runs alone, one after the other, in its own process.',
    '',
    '## Machine',
    '',
    table(
      ['fact', 'value'],
      [
        ['CPU', `${facts.cores} cores, ${facts.cpuModel}`],
        ['memory', `${fmt(facts.memoryGiB, 1)} GiB`],
        ['Node.js', facts.node],
        ['OS', facts.os],
        [
          'load average at start / end (1, 5, 15 min)',
          `${facts.loadAverage.map((l) => fmt(l, 2)).join(', ')} / ${input.loadAverageEnd.map((l) => fmt(l, 2)).join(', ')}`,
        ],
        ['load generators', `${options.loadgens} processes; clients: ${input.clientVersions}`],
      ],
      false,
    ),
    '',
    '## Servers and how they differ',
    '',
    'Each server runs in its own Node.js process (started with the same `--import` preload that measures event-loop delay), listening on 127.0.0.1, with persistence on disk where it has any.',
    '',
    table(
      ['server', 'software', 'persistence', 'stored before broadcast?', 'notes'],
      input.servers.map((s) => [LABELS[s.name], s.software, s.persistence, s.beforeBroadcast, s.notes]),
      false,
    ),
    '',
  );
  for (const s of input.skipped) out.push(`- Not run: ${LABELS[s.name]} — ${s.reason}`);
  if (input.skipped.length) out.push('');
  out.push(
    '## How it measures',
    '',
    '- **Clients** are real: the stock `y-websocket` provider for Debrief and the reference server (with `disableBc: true`, since many share a process), `@hocuspocus/provider` for Hocuspocus. They run in load-generator processes separate from the server, and type into the briefing layout Debrief uses (sections whose bodies are y-prosemirror rich text): mostly 1–3 characters per update, with backspaces, new paragraphs, bold/italic ranges and links. The peers get the same layout through the protocol before a scenario starts; Debrief creates it server-side (REST).',
    '- **Fan-out latency**: the sender notes its Yjs clock and the machine’s monotonic time (`process.hrtime`, the same clock in every process) after each edit; each other client notes when its state for that sender first reached the clock. Per edit, fan-out is the time until the *last* other client of the briefing had it; the table gives its p50/p95/p99.',
    '- **Sustained updates/s**: edits that reached every other client, per second of the paced phase. **Burst: delivered updates/s**: the same during a burst well above the paced rate, over the time from the first send to the last delivery, i.e. what the server actually carried.',
    '- **Server CPU**: user + system time of the server process from `/proc/<pid>/stat` over the measured phase, in % of one core. **Peak RSS**: `VmHWM` from `/proc/<pid>/status` at the end of the scenario (a fresh process per scenario and server). **RSS per loaded briefing**: (peak RSS − RSS when the process was ready) ÷ briefings loaded. For Debrief on PostgreSQL the database server’s own CPU and memory are not included.',
    '- **Event-loop delay p99**: `perf_hooks.monitorEventLoopDelay` (10 ms resolution) in the server process, reset at the start of the measured phase and read at its end over IPC.',
    '- **Ratios** are Debrief ÷ peer for the same column. For "lower is better" columns (latency, CPU, memory) a ratio below 1 means Debrief is better; for "higher is better" columns (updates/s) above 1.',
    '',
    '## Reading the results',
    '',
    ...readingTheResults(input),
    '',
    'How cost grows with observers, briefings and document size (plots): [benchmarks-sweep.md](benchmarks-sweep.md), written by `npm run bench -- --sweep`.',
    '',
  );

  for (const { scenario, results } of input.scenarios) {
    out.push(`## Scenario ${scenario.number}: ${scenario.title}`, '', scenario.describe(options.sizes), '');
    const header = ['server', ...scenario.columns.map((c) => c.label)];
    const rows = results.map((r) => [
      LABELS[r.server],
      ...scenario.columns.map((c) => (r.error ? (c === scenario.columns[0] ? 'failed' : '—') : cell(c, r.metrics))),
    ]);
    out.push(table(header, rows), '');
    const debriefs = results.filter((r) => isDebrief(r.server) && !r.error);
    const peers = results.filter((r) => !isDebrief(r.server) && !r.error);
    const ratioColumns = scenario.columns.filter((c) => c.ratio && c.better);
    if (debriefs.length && peers.length && ratioColumns.length) {
      const short = (name: ServerName) =>
        name === 'debrief-pglite' ? 'PGlite' : name === 'debrief-pg' ? 'PostgreSQL' : LABELS[name];
      const ratioHeader = [
        'metric',
        'better',
        ...debriefs.flatMap((d) => peers.map((p) => `Debrief ratio: ${short(d.server)} ÷ ${short(p.server)}`)),
      ];
      const ratioRows = ratioColumns.map((c) => [
        c.label,
        c.better === 'lower' ? 'lower' : 'higher',
        ...debriefs.flatMap((d) => peers.map((p) => `${fmt(ratio(d.metrics[c.key], p.metrics[c.key]), 2)}×`)),
      ]);
      out.push(table(ratioHeader, ratioRows), '');
    }
    const notes = results.flatMap((r) => [
      ...(r.error ? [`${LABELS[r.server]}: failed — ${r.error}`] : []),
      ...r.notes.map((n) => `${LABELS[r.server]}: ${n}`),
    ]);
    if (notes.length) out.push(...notes.map((n) => `- ${n}`), '');
  }

  if (input.profiles.length) {
    out.push(
      '## Where Debrief’s time goes (CPU profile)',
      '',
      'Debrief (PGlite) run again per scenario under `node --cpu-prof` (these runs are not used for any figure above). Self time as a share of the busy (non-idle) samples.',
      '',
    );
    for (const p of input.profiles) {
      out.push(
        `### Scenario ${p.scenario.number}: ${p.scenario.title}`,
        '',
        `Busy ${fmt(p.summary.busyMs / 1000, 1)} s of ${fmt(p.summary.totalMs / 1000, 1)} s sampled.`,
        '',
        table(
          ['area', 'self time'],
          p.summary.areas.slice(0, 8).map((a) => [a.name, `${fmt(a.percent, 1)} %`]),
        ),
        '',
        table(
          ['function', 'where', 'self time'],
          p.summary.functions.slice(0, 12).map((f) => [f.name, f.where, `${fmt(f.percent, 1)} %`]),
        ),
        '',
      );
    }
  }

  out.push(
    '## Running it',
    '',
    '```sh',
    'npm run bench                                   # quick mode: reduced sizes, all scenarios and servers',
    'npm run bench -- --full                         # full mode: the sizes from the issue (see below)',
    'npm run bench -- --scenarios=1,4 --servers=debrief,hocuspocus',
    'npm run bench -- --rounds=3                     # each scenario 3× per server, alternating order; medians',
    'npm run bench -- --profile                      # then profile Debrief per scenario and add where its time goes',
    'DEBRIEF_ROOT=/path/to/checkout npm run bench    # measure the Debrief server of another checkout',
    '```',
    '',
    `Quick sizes: ${sizeSummary(QUICK)}. Full sizes: ${sizeSummary(FULL)}.`,
    '',
    'Valued options need the `--name=value` form through the root script (npm keeps a space-separated value for itself); `npm run bench -w @debrief/tests -- --only 1,4` and `npx tsx tests/bench/run.ts --only 1,4` take either form. Options: `--only`/`--scenarios` (scenario numbers), `--servers` (`debrief-pglite`, `debrief-pg`, `y-websocket`, `hocuspocus`), `--loadgens` (default 2), `--rounds` (default 1), `--output`. PostgreSQL is taken from `BENCH_POSTGRES_URL` or `TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`); a temporary database is created per run and dropped after. `npx tsx tests/bench/profile.ts <file.cpuprofile>` summarises any V8 CPU profile.',
    '',
  );
  return out.join('\n');
}
