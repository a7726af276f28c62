export const SERVER_NAMES = ['debrief-pglite', 'debrief-pg', 'y-websocket', 'hocuspocus'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];
export const SCENARIOS = [1, 2, 3, 4, 5, 6, 7] as const;
export type ScenarioNumber = (typeof SCENARIOS)[number];

export interface Sizes {
  /** Scenario 1: many briefings, a few editors each typing. */
  editing: {
    briefings: number;
    editorsPerBriefing: number;
    /** Updates per second per editor in the paced phase. */
    rate: number;
    durationMs: number;
    /** Updates per second offered by all editors together in the burst phase. */
    burstTotalRate: number;
    burstDurationMs: number;
  };
  /** Scenario 2: one writer, many observers. */
  broadcast: { observers: number; rate: number; durationMs: number };
  /** Scenario 3: many clients opening one big stored briefing at once. */
  stampede: { clients: number; docBytes: number };
  /** Scenario 4: cold load of a long update log vs the same compacted, and a SIGKILL probe. */
  coldLoad: { updates: number; builders: number; builderRate: number; probeUpdates: number; samples: number };
  /** Scenario 5: presence (caret moves) in briefings of `perBriefing` clients. */
  presence: { clients: number; perBriefing: number; hz: number; durationMs: number };
  /** Scenario 6: one writer → many observers while background briefings are edited (the heavy mix). */
  heavy: {
    observers: number;
    /** Updates per second into each briefing (a background briefing's editors share it). */
    rate: number;
    backgroundBriefings: number;
    editorsPerBackground: number;
    durationMs: number;
  };
}

export const QUICK: Sizes = {
  editing: {
    briefings: 10,
    editorsPerBriefing: 4,
    rate: 5,
    durationMs: 10_000,
    burstTotalRate: 1_000,
    burstDurationMs: 4_000,
  },
  broadcast: { observers: 100, rate: 5, durationMs: 6_000 },
  stampede: { clients: 20, docBytes: 1_000_000 },
  coldLoad: { updates: 2_000, builders: 10, builderRate: 100, probeUpdates: 20, samples: 1 },
  presence: { clients: 60, perBriefing: 30, hz: 1, durationMs: 6_000 },
  heavy: { observers: 100, rate: 20, backgroundBriefings: 20, editorsPerBackground: 2, durationMs: 8_000 },
};

export const FULL: Sizes = {
  editing: {
    briefings: 50,
    editorsPerBriefing: 4,
    rate: 5,
    durationMs: 60_000,
    burstTotalRate: 2_000,
    burstDurationMs: 10_000,
  },
  broadcast: { observers: 500, rate: 5, durationMs: 30_000 },
  stampede: { clients: 100, docBytes: 5_000_000 },
  coldLoad: { updates: 10_000, builders: 10, builderRate: 100, probeUpdates: 20, samples: 3 },
  presence: { clients: 300, perBriefing: 30, hz: 1, durationMs: 30_000 },
  heavy: { observers: 300, rate: 20, backgroundBriefings: 50, editorsPerBackground: 2, durationMs: 30_000 },
};

export interface Options {
  mode: 'quick' | 'full';
  sizes: Sizes;
  scenarios: ScenarioNumber[];
  servers: ServerName[];
  /** Load-generator processes. */
  loadgens: number;
  /** Runs of each scenario per server (alternating order); figures are the medians. */
  rounds: number;
  /** Run Debrief under --cpu-prof and summarise where its time goes. */
  profile: boolean;
  /** Where to write the Markdown report. */
  output: string;
  /** Run the sweep (observers, briefings, document size) instead of the scenarios; see lib/sweep.ts. */
  sweep: boolean;
  /** Run the export scenario (docs/benchmarks-export.md): with all scenarios, or named `export`. */
  exportScenario: boolean;
}

const ALIASES: Record<string, ServerName> = {
  debrief: 'debrief-pglite',
  pglite: 'debrief-pglite',
  'debrief-pglite': 'debrief-pglite',
  pg: 'debrief-pg',
  postgres: 'debrief-pg',
  'debrief-pg': 'debrief-pg',
  'debrief-postgres': 'debrief-pg',
  yws: 'y-websocket',
  'y-websocket': 'y-websocket',
  'y-websocket-server': 'y-websocket',
  hocuspocus: 'hocuspocus',
  hp: 'hocuspocus',
};

export const USAGE = `npm run bench [-- options]
  --full                 full sizes from the issue (default: quick, under 5 minutes)
  --only 1,2,…           scenarios to run (1 editing, 2 broadcast, 3 stampede, 4 cold load, 5 presence,
                         6 heavy mix: 1 writer → 300 observers + 50 briefings × 2 editors at 20/s,
                         7 two Debrief processes through Redis,
                         export: each export format of a 100-page briefing, to docs/benchmarks-export.md);
                         also --scenarios=1,2 (the form that survives the root npm script)
  --servers a,b,…        debrief-pglite, debrief-pg, y-websocket, hocuspocus (aliases: debrief, pg, yws, hp)
  --loadgens N           load-generator processes (default 2)
  --rounds N             run each scenario N times per server, alternating the order; report medians (default 1)
  --profile              run Debrief under --cpu-prof and print its top self-time functions
  --sweep                instead of the scenarios: observers, briefings and document size grown step by
                         step for every server; writes docs/benchmarks-sweep.md and its PNG plots
  --output FILE          report path (default docs/benchmarks.md)`;

/**
 * The root script runs `npm run bench -w @debrief/tests <args>` without a `--`, so npm takes the
 * options for its own config: it exports them as npm_config_* (booleans, and `--name=value`
 * forms) and passes a space-separated value on as a bare argument. Recover what it exported.
 */
function fromNpm(env: NodeJS.ProcessEnv): string[] {
  const args: string[] = [];
  if (env.npm_config_full === 'true') args.push('--full');
  if (env.npm_config_profile === 'true') args.push('--profile');
  if (env.npm_config_sweep === 'true') args.push('--sweep');
  for (const name of ['scenarios', 'servers', 'rounds', 'loadgens', 'output']) {
    const value = env[`npm_config_${name}`];
    if (value && value !== 'true') args.push(`--${name}=${value}`);
  }
  return args;
}

export function parseOptions(argv: string[], defaultOutput: string, env: NodeJS.ProcessEnv = process.env): Options {
  argv = [...fromNpm(env), ...argv];
  const options: Options = {
    mode: 'quick',
    sizes: QUICK,
    scenarios: [...SCENARIOS],
    servers: [...SERVER_NAMES],
    loadgens: 2,
    rounds: 1,
    profile: false,
    output: defaultOutput,
    sweep: false,
    exportScenario: true,
  };
  const list = (value: string | undefined, flag: string) => {
    if (!value) throw new Error(`${flag} needs a value\n${USAGE}`);
    return value
      .split(/[,\s]+/)
      .map((v) => v.trim())
      .filter(Boolean);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--full':
        options.mode = 'full';
        options.sizes = FULL;
        break;
      case '--quick':
        options.mode = 'quick';
        options.sizes = QUICK;
        break;
      case '--only':
      case '--scenarios':
        options.exportScenario = false;
        options.scenarios = list(value(), flag).flatMap((v) => {
          if (v === 'export') {
            options.exportScenario = true;
            return [];
          }
          const n = Number(v);
          if (!SCENARIOS.includes(n as ScenarioNumber)) throw new Error(`unknown scenario ${v}\n${USAGE}`);
          return [n as ScenarioNumber];
        });
        break;
      case '--servers':
        options.servers = list(value(), flag).map((v) => {
          const name = ALIASES[v.toLowerCase()];
          if (!name) throw new Error(`unknown server ${v}\n${USAGE}`);
          return name;
        });
        break;
      case '--loadgens':
        options.loadgens = Math.max(1, Math.min(8, Number(value()) || 1));
        break;
      case '--rounds':
        options.rounds = Math.max(1, Math.min(9, Number(value()) || 1));
        break;
      case '--profile':
        options.profile = true;
        break;
      case '--sweep':
        options.sweep = true;
        break;
      case '--output':
        options.output = value() ?? defaultOutput;
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(
          `unknown option ${arg}\n${USAGE}\n\nThrough the root \`npm run bench\`, npm keeps a space-separated value for ` +
            'itself: write --servers=a,b, --scenarios=1,4, --rounds=N (or run npm run bench -w @debrief/tests -- …).',
        );
    }
  }
  options.scenarios = [...new Set(options.scenarios)].sort();
  options.servers = SERVER_NAMES.filter((name) => options.servers.includes(name));
  return options;
}
