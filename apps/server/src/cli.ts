import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { migrate, openDatabase } from '@debrief/db';
import { decodeSourceBytes, formatFromName } from '@debrief/sources/server';
import { sourceImporter } from './commands/sourceImporter.ts';
import { loadConfig, resolveUserPath } from './config.ts';
import { SourceExtractor } from './extraction/SourceExtractor.ts';
import { ensureWorkspace } from './workspaces.ts';

const USAGE = `Usage: npm run cli -- <command>

Commands:
  sources import <file or folder>... [--workspace <name>] [--keep-noise] [--allow-duplicates]
      Import .txt, .md and .html files (folders: every such file inside, not recursive, except
      README, LICENSE and similar documentation of the folder itself).
      Proposed noise removals are applied unless --keep-noise. The workspace is created if
      missing (default: "Default"). Uses DATABASE_URL or DATA_DIR like the server; with the
      embedded database, stop the server first.
`;

const IMPORTABLE = /\.(txt|md|markdown|html?)$/i;
/** A folder's own documentation is not an article. */
const FOLDER_DOCS = /^(readme|license|licence|changelog|contributing)\b/i;

function expandPaths(paths: string[]): string[] {
  return paths.flatMap((path) => {
    const full = resolveUserPath(path);
    if (!statSync(full).isDirectory()) return [full];
    return readdirSync(full)
      .filter((name) => IMPORTABLE.test(name) && !FOLDER_DOCS.test(name))
      .sort()
      .map((name) => join(full, name));
  });
}

async function importSources(args: string[]): Promise<number> {
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
    process.stderr.write(USAGE);
    return 2;
  }
  const files = expandPaths(positionals);
  const config = loadConfig();
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const extractor = new SourceExtractor({
    timeoutMs: config.SOURCE_EXTRACT_TIMEOUT_MS,
    maxMemoryMb: config.SOURCE_EXTRACT_MAX_MB,
  });
  let failures = 0;
  try {
    await migrate(db);
    const workspaceId = await ensureWorkspace(db, values.workspace);
    for (const file of files) {
      const name = basename(file);
      try {
        const content = decodeSourceBytes(readFileSync(file), { maxBytes: config.MAX_SOURCE_BYTES });
        const source = await sourceImporter(db, extractor, {
          workspaceId,
          format: formatFromName(name),
          content,
          fileName: name,
          acceptedCleaning: values['keep-noise'] ? [] : 'all',
          allowDuplicate: values['allow-duplicates'],
        });
        process.stdout.write(`imported  ${name}: ${source.title} (${source.id})\n`);
      } catch (error) {
        const { code, message, details } = error as { code?: string; message: string; details?: { sourceId?: string } };
        if (code === 'duplicate_source') {
          process.stdout.write(`skipped   ${name}: ${message} (${details?.sourceId})\n`);
          continue;
        }
        failures++;
        process.stdout.write(`failed    ${name}: ${message}\n`);
      }
    }
  } finally {
    await extractor.close();
    await db.close();
  }
  return failures > 0 ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const [group, command, ...rest] = argv;
  if (group === 'sources' && command === 'import') return importSources(rest);
  process.stderr.write(USAGE);
  return group === undefined || group === '--help' || group === 'help' ? 0 : 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`error: ${error.message}\n`);
    process.exit(1);
  },
);
