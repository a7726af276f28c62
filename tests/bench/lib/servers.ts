import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { LoadGenerators } from './loadgen.ts';
import type { ServerName } from './options.ts';
import { memory } from './proc.ts';
import type { ConnectResult, Target } from './protocol.ts';

/** The monorepo this harness lives in. */
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** The Debrief checkout whose server is measured (DEBRIEF_ROOT overrides, e.g. a clean clone). */
export const DEBRIEF_ROOT = process.env.DEBRIEF_ROOT ?? ROOT;
const PRELOAD = fileURLToPath(new URL('../servers/preload.ts', import.meta.url));
const YWS = fileURLToPath(new URL('../servers/yws.ts', import.meta.url));
const HOCUSPOCUS = fileURLToPath(new URL('../servers/hocuspocus.ts', import.meta.url));
const ADMIN_URL =
  process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const LABELS: Record<ServerName, string> = {
  'debrief-pglite': 'Debrief (PGlite)',
  'debrief-pg': 'Debrief (PostgreSQL)',
  'y-websocket': 'y-websocket server',
  hocuspocus: 'Hocuspocus',
};

export const isDebrief = (name: ServerName): boolean => name.startsWith('debrief');

export interface LogCounters {
  /** Update-log statements written so far. */
  batches: number;
  /** Updates written so far. */
  updates: number;
  /** Seconds spent writing them. */
  writeSeconds: number;
}

export interface Eld {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

interface Launch {
  args: string[];
  cwd: string;
  env: Record<string, string>;
}

const temporary: string[] = [];
const databases: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

let template: Promise<string> | undefined;
/** The API token of the bench account in the PGlite template (every copy shares it). */
let benchToken = '';
const BENCH_EMAIL = 'bench@example.org';

/** Runs Debrief's CLI on a stopped server's database; answers its standard output. */
function debriefCli(env: Record<string, string>, args: string[], input = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(DEBRIEF_ROOT, 'apps/server/src/cli.ts'), ...args], {
      cwd: DEBRIEF_ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.stdin.end(input);
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`cli ${args.slice(0, 2).join(' ')} failed (${code}): ${err}`)),
    );
  });
}

/**
 * Debrief answers only signed-in users: an administrator of the default workspace with an API
 * token, which REST calls send as a bearer and the load generators' sockets as `?token=`.
 */
async function provisionBenchAccount(env: Record<string, string>): Promise<string> {
  await debriefCli(
    env,
    ['user', 'create', '--email', BENCH_EMAIL, '--name', 'Bench', '--admin'],
    'bench-password-1234\n',
  );
  await debriefCli(env, ['member', 'add', '--workspace', 'Default', '--email', BENCH_EMAIL, '--role', 'admin']);
  return (await debriefCli(env, ['token', 'create', '--email', BENCH_EMAIL, '--name', 'bench'])).trim();
}
/**
 * A PGlite data folder with Debrief's migrations applied, made once per run: a fresh folder costs
 * several seconds of initdb and migration, a copy of this one does not.
 */
function pgliteTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = tempDir('debrief-bench-template-');
    const server = await ServerProcess.start('template', debriefLaunch({ DATA_DIR: dir }, null));
    await server.stop('graceful');
    benchToken = await provisionBenchAccount({ DATA_DIR: dir });
    return dir;
  })();
  return template;
}

let postgres: Promise<{ available: true; version: string } | { available: false; reason: string }> | undefined;
/** Whether PostgreSQL answers at the admin URL (checked once). */
export function postgresStatus() {
  postgres ??= (async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      const version = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version;
      return { available: true as const, version: version ?? '?' };
    } catch (error) {
      return { available: false as const, reason: `no PostgreSQL at ${ADMIN_URL}: ${(error as Error).message}` };
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return postgres;
}

let pgTemplate: Promise<{ name: string; token: string }> | undefined;
/**
 * A PostgreSQL database with Debrief's migrations and the bench account, made once per run; each
 * server then gets a copy (CREATE DATABASE … TEMPLATE), as PGlite gets a copy of its folder.
 */
function postgresTemplate(): Promise<{ name: string; token: string }> {
  pgTemplate ??= (async () => {
    const url = await createDatabase();
    const server = await ServerProcess.start('debrief-pg template', debriefLaunch({ DATABASE_URL: url }, null));
    await server.stop('graceful');
    return { name: new URL(url).pathname.slice(1), token: await provisionBenchAccount({ DATABASE_URL: url }) };
  })();
  return pgTemplate;
}

async function createDatabase(template?: string): Promise<string> {
  const name = `debrief_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
  } finally {
    await admin.end();
  }
  databases.push(name);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  databases.splice(databases.indexOf(name), 1);
}

/** Removes whatever temporary folders and databases are left (end of run, or interrupted). */
export async function cleanupAll(): Promise<void> {
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
  for (const name of databases.splice(0)) {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    await dropDatabase(url.toString()).catch(() => {});
  }
}

function debriefLaunch(env: Record<string, string>, profileDir: string | null): Launch {
  return {
    args: [
      '--import',
      'tsx',
      '--import',
      PRELOAD,
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      join(DEBRIEF_ROOT, 'apps/server/src/main.ts'),
    ],
    cwd: DEBRIEF_ROOT,
    // One account stands for every simulated user, so the per-user connection cap is off.
    env: { LOG_LEVEL: 'info', MAX_CONNECTIONS_PER_USER: '0', ...env },
  };
}

/** One running server process: readiness, ELD over IPC, stop. */
class ServerProcess {
  private readonly output: string[] = [];
  private eldWaiters = new Map<number, (eld: Eld) => void>();
  private eldId = 1;
  readonly exited: Promise<number | string | null>;

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode ?? child.signalCode);
      else child.once('exit', (code, signal) => resolve(code ?? signal));
    });
    child.on('message', (message: Eld & { type?: string; id?: number }) => {
      if (message?.type !== 'eld' || message.id === undefined) return;
      this.eldWaiters.get(message.id)?.(message);
      this.eldWaiters.delete(message.id);
    });
  }

  static async start(name: string, launch: Launch): Promise<ServerProcess> {
    const child = spawn(process.execPath, launch.args, {
      cwd: launch.cwd,
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...launch.env },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const tail: string[] = [];
    const remember = (line: string) => {
      tail.push(line);
      if (tail.length > 40) tail.shift();
    };
    createInterface({ input: child.stderr! }).on('line', remember);
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => fail('did not report "listening" within 90 s'), 90_000);
      function fail(reason: string) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new Error(`${name} ${reason}\n${tail.join('\n')}`));
      }
      child.once('exit', (code, signal) => fail(`exited early (code ${code}, signal ${signal})`));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        remember(line);
        if (!line.includes('listening')) return;
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'listening' && typeof entry.port === 'number') {
            clearTimeout(timer);
            child.removeAllListeners('exit');
            resolve(entry.port);
          }
        } catch {
          // not a JSON line
        }
      });
    });
    const server = new ServerProcess(child, port);
    server.output.push(...tail);
    return server;
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  resetEld(): void {
    if (this.child.connected) this.child.send({ type: 'eld:reset' });
  }

  readEld(timeoutMs = 10_000): Promise<Eld | null> {
    if (!this.child.connected) return Promise.resolve(null);
    const id = this.eldId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.eldWaiters.delete(id);
        resolve(null);
      }, timeoutMs);
      this.eldWaiters.set(id, (eld) => {
        clearTimeout(timer);
        resolve(eld);
      });
      this.child.send({ type: 'eld:read', id });
    });
  }

  /** graceful: SIGTERM (the server flushes, compacts, closes), SIGKILL after 30 s; kill: SIGKILL now. */
  async stop(how: 'graceful' | 'kill'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (how === 'kill') {
      this.child.kill('SIGKILL');
    } else {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
      await this.exited;
      clearTimeout(timer);
    }
    await this.exited;
  }
}

export interface ServerOptions {
  /** Extra environment for Debrief (e.g. COMPACT_AFTER_UPDATES). */
  debriefEnv?: Record<string, string>;
  /** Folder for --cpu-prof output (Debrief only); null for no profiling. */
  profileDir: string | null;
}

/** A benchmarked server with its own state (folder or database), restartable on that state. */
export class Server {
  private process!: ServerProcess;
  /** VmRSS right after the process reported listening (MiB). */
  baselineRssMiB = Number.NaN;
  private metricsMissing = false;

  private constructor(
    readonly name: ServerName,
    private readonly launch: Launch,
    private readonly cleanup: () => Promise<void>,
    /** Debrief's API token for the bench account ('' for the peers). */
    private readonly token: string,
  ) {}

  static async create(name: ServerName, options: ServerOptions): Promise<Server> {
    let launch: Launch;
    let cleanup = async () => {};
    let token = '';
    switch (name) {
      case 'debrief-pglite': {
        const dir = tempDir('debrief-bench-');
        cpSync(await pgliteTemplate(), dir, { recursive: true });
        token = benchToken;
        launch = debriefLaunch({ DATA_DIR: dir, ...options.debriefEnv }, options.profileDir);
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
        break;
      }
      case 'debrief-pg': {
        const template = await postgresTemplate();
        const url = await createDatabase(template.name);
        token = template.token;
        launch = debriefLaunch({ DATABASE_URL: url, ...options.debriefEnv }, options.profileDir);
        cleanup = () => dropDatabase(url);
        break;
      }
      case 'y-websocket': {
        const dir = tempDir('yws-bench-');
        launch = {
          args: ['--import', 'tsx', '--import', PRELOAD, YWS],
          cwd: ROOT,
          env: { YPERSISTENCE: join(dir, 'db') },
        };
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
        break;
      }
      case 'hocuspocus': {
        const dir = tempDir('hocuspocus-bench-');
        launch = {
          args: ['--import', 'tsx', '--import', PRELOAD, HOCUSPOCUS],
          cwd: ROOT,
          env: { HOCUSPOCUS_DIR: dir },
        };
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
        break;
      }
    }
    if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
    const server = new Server(name, launch, cleanup, token);
    await server.boot();
    return server;
  }

  private async boot(): Promise<void> {
    this.process = await ServerProcess.start(this.name, this.launch);
    this.baselineRssMiB = memory(this.process.pid).rssMiB;
  }

  get pid(): number {
    return this.process.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.process.port}`;
  }

  get target(): Target {
    return this.targetOf(this.process.port);
  }

  private targetOf(port: number): Target {
    const ws = `ws://127.0.0.1:${port}`;
    if (this.name === 'hocuspocus') return { protocol: 'hocuspocus', wsUrl: ws };
    if (!isDebrief(this.name)) return { protocol: 'y-websocket', wsUrl: ws };
    return { protocol: 'y-websocket', wsUrl: `${ws}/collab`, params: { token: this.token } };
  }

  /**
   * A second Debrief process on the same database and settings (scale-out: it needs REDIS_URL in
   * the scenario's environment). Only Debrief on PostgreSQL: PGlite is one process's.
   */
  async startSibling(): Promise<{ target: Target; pid: number; stop(): Promise<void> }> {
    if (this.name !== 'debrief-pg') throw new Error(`${this.name} runs as one process only`);
    const sibling = await ServerProcess.start(`${this.name} (second process)`, this.launch);
    return { target: this.targetOf(sibling.port), pid: sibling.pid, stop: () => sibling.stop('graceful') };
  }

  resetEld(): void {
    this.process.resetEld();
  }

  readEld(): Promise<Eld | null> {
    return this.process.readEld();
  }

  /** Stops the process (`graceful` or `kill`) and starts a new one on the same state: a cold server. */
  async restart(how: 'graceful' | 'kill'): Promise<void> {
    await this.stop(how);
    await this.start();
  }

  /** Stops the process; `start` brings up a new one on the same state. */
  stop(how: 'graceful' | 'kill'): Promise<void> {
    return this.process.stop(how);
  }

  start(): Promise<void> {
    return this.boot();
  }

  /** Stops the server and removes its state. */
  async dispose(): Promise<void> {
    await this.process.stop('graceful').catch(() => {});
    await this.cleanup().catch(() => {});
  }

  /**
   * Debrief's update-log counters from its Prometheus endpoint, when the server has one (null
   * otherwise, and for the peers): they tell how well group commit batches under load.
   */
  async logCounters(): Promise<LogCounters | null> {
    if (!isDebrief(this.name) || this.metricsMissing) return null;
    try {
      const response = await fetch(`${this.url}/metrics`, { signal: AbortSignal.timeout(5_000) });
      if (response.status !== 200) {
        this.metricsMissing = true;
        return null;
      }
      const text = await response.text();
      const value = (name: string) =>
        Number(new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text)?.[1]);
      const counters = {
        batches: value('debrief_log_batch_updates_count'),
        updates: value('debrief_log_batch_updates_sum'),
        writeSeconds: value('debrief_log_write_seconds_sum'),
      };
      return Object.values(counters).every(Number.isFinite) ? counters : null;
    } catch {
      return null;
    }
  }

  /**
   * Briefings to work on. Debrief creates them (REST, server-side layout); the peers accept any
   * room name, so the load generators give each room the same layout once, through the protocol.
   */
  async createRooms(count: number, generators: LoadGenerators): Promise<string[]> {
    if (isDebrief(this.name)) {
      const ids: string[] = [];
      for (let i = 0; i < count; i += 10) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(10, count - i) }, (_, j) =>
            createBriefing(this.url, this.token, `Bench briefing ${i + j + 1}`),
          ),
        );
        ids.push(...batch);
      }
      return ids;
    }
    const rooms = Array.from({ length: count }, () => randomUUID());
    const parts = generators.split(rooms);
    const answers = await generators.each<ConnectResult>((_, i) => {
      const part = parts[i] ?? [];
      return part.length ? { op: 'seed', target: this.target, rooms: part, timeoutMs: 20_000 } : null;
    });
    const failed = answers.flatMap((a) => a.failed);
    if (failed.length) throw new Error(`${this.name}: could not seed ${failed.length} rooms`);
    return rooms;
  }
}

async function createBriefing(baseUrl: string, token: string, title: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/briefings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ title }),
  });
  if (response.status !== 201) throw new Error(`create briefing failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** The .cpuprofile files written into a folder. */
export function profilesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
}
