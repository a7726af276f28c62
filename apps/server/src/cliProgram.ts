import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseId } from '@debrief/briefing';
import { type Database, migrate, openDatabase } from '@debrief/db';
import { DomainError } from '@debrief/errors';
import { isFileFormat } from '@debrief/sources';
import { base64FromBytes, decodeSourceBytes, formatFromName } from '@debrief/sources/server';
import { z } from 'zod';
import { createAuth } from './auth/auth.ts';
import { authSecret } from './auth/instanceSecret.ts';
import { DocumentStore } from './collab/DocumentStore.ts';
import { diagnoseStoredDocument, openStoredDocument } from './collab/storedDocument.ts';
import type { LiveAccess } from './commands/liveAccess.ts';
import { memberAdder } from './commands/memberCommands.ts';
import { sourceImporter } from './commands/sourceImporter.ts';
import { tokenCreator } from './commands/tokenCommands.ts';
import { passwordSetter, userCreator } from './commands/userCreator.ts';
import { type Config, loadConfig, resolveUserPath } from './config.ts';
import { operatorActor } from './context/operatorActor.ts';
import { SourceExtractor } from './extraction/SourceExtractor.ts';
import { createLogger } from './logger.ts';
import { ensureWorkspace } from './workspaces.ts';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  sources import <file or folder>... [--workspace <name>] [--keep-noise] [--allow-duplicates]
      Import .txt, .md and .html files (folders: every such file inside, not recursive, except
      README, LICENSE and similar documentation of the folder itself).
      Proposed noise removals are applied unless --keep-noise. The workspace is created if
      missing (default: "Default").

  doc check [<briefing id>...]
      Replays each briefing's stored history (all briefings when none is named) the way the
      server loads it, and names every log row that keeps one from loading. Exit code 1 when
      any briefing cannot be loaded.
  doc quarantine <briefing id> (--rows <id,id,...> | --bad)
      Sets log rows aside: the server skips them when it loads the briefing; nothing is deleted.
      --bad takes the rows \`doc check\` names.
  doc release <briefing id> --rows <id,id,...>
      Puts quarantined rows back into the briefing's history.

  user create --email <email> --name <name> [--admin]
      Creates an account; the password is read from standard input (at least 10 characters).
      --admin makes it an instance administrator (creates workspaces).
  user password --email <email>
      Sets a new password read from standard input, and signs the account out everywhere.
  workspace create --name <name>
      Creates a workspace (add its first admin with member add).
  member add --workspace <name> --email <email> --role <viewer|editor|lead|admin>
      Adds an account to a workspace, or changes its role there.
  token create --email <email> --name <token name>
      Creates a personal API token for the account and prints it alone on standard output
      (it is shown only this once; only its hash is stored).

Every command uses DATABASE_URL or DATA_DIR like the server; with the embedded database, stop
the server first (one process owns the folder).
`;

/** Where a command reads its configuration and password, and writes what it did. */
export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (mode: boolean) => unknown };
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

const processIo: CliIo = { env: process.env, stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

const IMPORTABLE = /\.(txt|md|markdown|html?)$/i;
/** A folder's own documentation is not an article. */
const FOLDER_DOCS = /^(readme|license|licence|changelog|contributing)\b/i;

function expandPaths(paths: string[], env: NodeJS.ProcessEnv): string[] {
  return paths.flatMap((path) => {
    const full = resolveUserPath(path, env);
    if (!statSync(full).isDirectory()) return [full];
    return readdirSync(full)
      .filter((name) => IMPORTABLE.test(name) && !FOLDER_DOCS.test(name))
      .sort()
      .map((name) => join(full, name));
  });
}

async function withDatabase<T>(io: CliIo, fn: (db: Database, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig(io.env);
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  try {
    await migrate(db);
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

async function importSources(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      workspace: { type: 'string', default: 'Default' },
      'keep-noise': { type: 'boolean', default: false },
      'allow-duplicates': { type: 'boolean', default: false },
    },
  });
  if (positionals.length === 0) {
    io.stderr.write(USAGE);
    return 2;
  }
  const files = expandPaths(positionals, io.env);
  let failures = 0;
  await withDatabase(io, async (db, config) => {
    const extractor = new SourceExtractor({
      timeoutMs: config.SOURCE_EXTRACT_TIMEOUT_MS,
      maxMemoryMb: config.SOURCE_EXTRACT_MAX_MB,
    });
    try {
      const workspaceId = await ensureWorkspace(db, values.workspace);
      for (const file of files) {
        const name = basename(file);
        try {
          const format = formatFromName(name);
          const bytes = readFileSync(file);
          // A PDF or Word document travels as its bytes in base64, as through the API.
          const content = isFileFormat(format)
            ? base64FromBytes(bytes)
            : decodeSourceBytes(bytes, { maxBytes: config.MAX_SOURCE_BYTES });
          const source = await sourceImporter(
            { db, sourceExtractor: extractor, maxSourceBytes: config.MAX_SOURCE_BYTES },
            { actor: operatorActor(workspaceId), workspaceId },
            {
              format,
              content,
              fileName: name,
              acceptedCleaning: values['keep-noise'] ? [] : 'all',
              allowDuplicate: values['allow-duplicates'],
            },
          );
          io.stdout.write(`imported  ${name}: ${source.title} (${source.id})\n`);
        } catch (error) {
          if (error instanceof DomainError && error.code === 'duplicate_source') {
            io.stdout.write(`skipped   ${name}: ${error.message} (${error.details?.sourceId})\n`);
            continue;
          }
          failures++;
          io.stdout.write(`failed    ${name}: ${(error as Error).message}\n`);
        }
      }
    } finally {
      await extractor.close();
    }
  });
  return failures > 0 ? 1 : 0;
}

/**
 * This process holds no live connections. Servers check every connection's access again every
 * REAUTH_INTERVAL_MS, so a role changed here reaches open editors within that time.
 */
const noConnectionsHere: LiveAccess = { reauthorise: async () => {} };

async function withAccounts<T>(
  io: CliIo,
  fn: (deps: { db: Database; auth: ReturnType<typeof createAuth> }) => Promise<T>,
) {
  return withDatabase(io, async (db, config) => {
    const secret = await authSecret(db, config.AUTH_SECRET);
    const auth = createAuth(db, { secret, signInPerMinute: config.SIGN_IN_PER_MINUTE }, createLogger('silent'));
    return fn({ db, auth });
  });
}

/** A password from standard input: piped (its first line), or typed at a prompt that does not echo it. */
async function readPassword(io: CliIo): Promise<string> {
  const stdin = io.stdin;
  if (stdin.isTTY) {
    io.stderr.write('Password: ');
    stdin.setRawMode?.(true);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    // At a prompt the person ends with Enter (or Ctrl-D, Ctrl-C), not by closing the stream.
    if (stdin.isTTY && [...'\r\n\u0003\u0004'].some((end) => text.includes(end))) break;
  }
  if (stdin.isTTY) {
    stdin.setRawMode?.(false);
    stdin.pause();
    io.stderr.write('\n');
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.includes('\u0003')) throw new Error('cancelled');
  return text.replaceAll('\u0004', '\n').split(/\r?\n|\r/)[0] ?? '';
}

function required(values: Record<string, string | boolean | undefined>, ...names: string[]): void {
  const missing = names.filter((name) => typeof values[name] !== 'string' || values[name] === '');
  if (missing.length > 0) throw new Error(`missing ${missing.map((name) => `--${name}`).join(', ')}`);
}

async function createUser(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, admin: { type: 'boolean', default: false } },
  });
  required(values, 'email', 'name');
  const password = await readPassword(io);
  return withAccounts(io, async (deps) => {
    const user = await userCreator(deps, {
      email: values.email!,
      name: values.name!,
      password,
      instanceAdmin: values.admin,
    });
    io.stdout.write(`created ${user.email} (${user.id})${values.admin ? ', instance administrator' : ''}\n`);
    return 0;
  });
}

async function setPassword(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' } } });
  required(values, 'email');
  const password = await readPassword(io);
  return withAccounts(io, async (deps) => {
    await passwordSetter(deps, { email: values.email!, password });
    io.stdout.write(`password set for ${values.email}; every session of theirs is signed out\n`);
    return 0;
  });
}

async function createWorkspace(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { name: { type: 'string' } } });
  required(values, 'name');
  return withDatabase(io, async (db) => {
    const name = values.name!.trim();
    if (await db.prisma.workspace.findUnique({ where: { name }, select: { id: true } })) {
      throw new Error(`a workspace is already named “${name}”`);
    }
    io.stdout.write(`created workspace ${name} (${await ensureWorkspace(db, name)})\n`);
    return 0;
  });
}

async function addMember(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { workspace: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' } },
  });
  required(values, 'workspace', 'email', 'role');
  return withDatabase(io, async (db) => {
    const workspace = await db.prisma.workspace.findUnique({
      where: { name: values.workspace! },
      select: { id: true },
    });
    if (!workspace) throw new Error(`no workspace named “${values.workspace}” (workspace create --name makes one)`);
    await memberAdder(
      { db, live: noConnectionsHere },
      { actor: operatorActor(workspace.id), workspaceId: workspace.id, ip: null },
      { email: values.email!, role: values.role! },
    );
    io.stdout.write(`${values.email} is ${values.role} of ${values.workspace}\n`);
    return 0;
  });
}

async function createToken(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, name: { type: 'string' } } });
  required(values, 'email', 'name');
  return withDatabase(io, async (db) => {
    const email = values.email!.trim().toLowerCase();
    const user = await db.prisma.user.findUnique({ where: { email }, select: { id: true, name: true } });
    if (!user) throw new Error(`no account with the email ${values.email}`);
    const actor = { userId: user.id, name: user.name, roles: new Map() };
    const { token } = await tokenCreator(db, actor, { name: values.name! }, null);
    // Alone on standard output, so a script can capture it: `TOKEN=$(npm run -s cli -- token create …)`.
    io.stdout.write(`${token}\n`);
    return 0;
  });
}

function briefingArg(value: string | undefined): string {
  const id = value === undefined ? null : parseId(value);
  if (!id) throw new Error(`a briefing id is required (got ${value ?? 'nothing'})`);
  return id;
}

const rowList = (value: string | undefined): bigint[] =>
  (value ?? '')
    .split(',')
    .filter(Boolean)
    .map((row) => {
      if (!/^\d+$/.test(row.trim())) throw new Error(`not a log row id: ${row}`);
      return BigInt(row.trim());
    });

async function checkDocuments(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true });
  return withDatabase(io, async (db) => {
    const store = new DocumentStore(db);
    const ids =
      positionals.length > 0
        ? positionals.map(briefingArg)
        : (await db.prisma.briefing.findMany({ select: { id: true }, orderBy: { createdAt: 'asc' } })).map((b) => b.id);
    let unloadable = 0;
    for (const id of ids) {
      const stored = await store.load(id);
      if (!stored) {
        io.stdout.write(`missing     ${id}: no such briefing\n`);
        unloadable++;
        continue;
      }
      try {
        openStoredDocument(id, stored).destroy();
        io.stdout.write(`ok          ${id} (${stored.log.length} log rows after the snapshot)\n`);
      } catch {
        unloadable++;
        io.stdout.write(`unloadable  ${id}\n`);
        const bad = diagnoseStoredDocument(stored);
        for (const part of bad) {
          io.stdout.write(`    ${part.row === 'snapshot' ? 'snapshot' : `log row ${part.row}`}: ${part.reason}\n`);
        }
        if (bad.some((part) => part.row === 'snapshot')) {
          io.stdout.write('    the snapshot itself is damaged: restore the database from a backup\n');
        } else {
          io.stdout.write(`    repair: npm run cli -- doc quarantine ${id} --bad\n`);
        }
      }
      for (const row of await store.quarantined(id)) {
        io.stdout.write(
          `    quarantined log row ${row.id} (${row.bytes} bytes, ${row.quarantinedAt.toISOString()}): ${row.reason}\n`,
        );
      }
    }
    return unloadable > 0 ? 1 : 0;
  });
}

async function quarantineRows(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { rows: { type: 'string' }, bad: { type: 'boolean', default: false } },
  });
  const id = briefingArg(positionals[0]);
  if (values.bad === (values.rows !== undefined)) throw new Error('give either --rows <id,id,...> or --bad');
  return withDatabase(io, async (db) => {
    const store = new DocumentStore(db);
    const stored = await store.load(id);
    if (!stored) throw new Error(`no briefing ${id}`);
    let rows: bigint[];
    let reason: string;
    if (values.bad) {
      const bad = diagnoseStoredDocument(stored);
      if (bad.some((part) => part.row === 'snapshot')) {
        throw new Error('the snapshot itself is damaged; quarantining log rows cannot help: restore from a backup');
      }
      rows = bad.map((part) => part.row as bigint);
      reason = bad.map((part) => `row ${part.row}: ${part.reason}`).join('; ');
    } else {
      rows = rowList(values.rows);
      reason = 'set aside by an administrator';
    }
    if (rows.length === 0) {
      io.stdout.write(`nothing to quarantine in ${id}\n`);
      return 0;
    }
    const marked = await store.quarantine(id, rows, reason);
    io.stdout.write(`quarantined ${marked.length} log row(s) of ${id}: ${marked.join(', ') || 'none'}\n`);
    return 0;
  });
}

async function releaseRows(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { rows: { type: 'string' } } });
  const id = briefingArg(positionals[0]);
  const rows = rowList(values.rows);
  if (rows.length === 0) throw new Error('give --rows <id,id,...>');
  return withDatabase(io, async (db) => {
    const released = await new DocumentStore(db).release(id, rows);
    io.stdout.write(`released ${released.length} log row(s) of ${id}: ${released.join(', ') || 'none'}\n`);
    return 0;
  });
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [group, command, ...rest] = argv;
  if (group === 'sources' && command === 'import') return importSources(rest, io);
  if (group === 'doc' && command === 'check') return checkDocuments(rest, io);
  if (group === 'doc' && command === 'quarantine') return quarantineRows(rest, io);
  if (group === 'doc' && command === 'release') return releaseRows(rest, io);
  if (group === 'user' && command === 'create') return createUser(rest, io);
  if (group === 'user' && command === 'password') return setPassword(rest, io);
  if (group === 'workspace' && command === 'create') return createWorkspace(rest, io);
  if (group === 'member' && command === 'add') return addMember(rest, io);
  if (group === 'token' && command === 'create') return createToken(rest, io);
  io.stderr.write(USAGE);
  return group === undefined || group === '--help' || group === 'help' ? 0 : 2;
}

/**
 * Runs one command of `npm run cli`, as cli.ts does for the process: the exit code it should end
 * with, its output written to `io`. Tests run commands through it in their own process.
 */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    // A refused value (an email that is not one, a short password) is named with the reason.
    const message =
      error instanceof z.ZodError
        ? error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')
        : (error as Error).message;
    io.stderr.write(`error: ${message}\n`);
    return 1;
  }
}
