import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openDatabase } from '@debrief/db';
import { describe, expect, it } from 'vitest';
import { SAMPLE_SOURCES_DIR, tempDataDir } from './testing.ts';

const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');
const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const SAMPLES = [
  '000_fd74128d826f9f2b.txt',
  '001_9d90d10368e71433.txt',
  '002_bbfc05d1effc9bd0.txt',
  '003_bf3c4a421ac649b4.txt',
];

type Run = { stdout: string; code: number };

/** `npm run cli -- <args>` on its own embedded database: what it printed, and its exit code. */
async function cli(dataDir: string, args: string[]): Promise<Run> {
  // What `npm run cli` runs (`tsx src/cli.ts`): the worker must load TypeScript there too.
  const run = promisify(execFile)(process.execPath, [TSX_CLI, CLI, ...args], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
  });
  return run.then(
    ({ stdout }) => ({ stdout, code: 0 }),
    (error: { stdout: string; code: number }) => ({ stdout: error.stdout, code: error.code }),
  );
}

const importedNames = (stdout: string) => [...stdout.matchAll(/^imported {2}(\S+):/gm)].map((match) => match[1]);

/**
 * Two imports, each a process of its own with a database and extraction workers, run once for
 * the tests below (on a loaded machine each takes tens of seconds): files of our own and the
 * sample folder with the defaults, and the sample folder again with --keep-noise.
 */
let imports: Promise<{ cleaned: string; kept: string; cleanedRun: Run; keptRun: Run }> | undefined;
function runImports() {
  imports ??= (async () => {
    const [files, cleaned, kept] = [tempDataDir(), tempDataDir(), tempDataDir()];
    const paragraph = '<p>A paragraph of an article about a call that was joined from an unsecured hotel line.</p>';
    writeFileSync(join(files, 'article.html'), `<html><body><article>${paragraph.repeat(4)}</article></body></html>`);
    writeFileSync(join(files, 'deep.html'), `${'<div>'.repeat(7_000)}deep`);
    const [cleanedRun, keptRun] = await Promise.all([
      cli(cleaned, ['sources', 'import', files, SAMPLE_SOURCES_DIR, '--workspace', 'Default']),
      cli(kept, ['sources', 'import', SAMPLE_SOURCES_DIR, '--workspace', 'Raw copies', '--keep-noise']),
    ]);
    return { cleaned, kept, cleanedRun, keptRun };
  })();
  return imports;
}

/** The sources each workspace holds, as the CLI left them in `dataDir`. */
async function storedSources(dataDir: string) {
  const db = await openDatabase({ dataDir });
  try {
    return await db.prisma.source.findMany({
      select: { fileName: true, raw: true, text: true, cleaning: true, workspace: { select: { name: true } } },
      orderBy: { fileName: 'asc' },
    });
  } finally {
    await db.close();
  }
}

describe('npm run cli', () => {
  // Processes of their own that open a database and start workers: on a loaded machine, more
  // than the default 30 s may pass.
  it('imports files through the extraction workers under tsx, and reports a page too complex to extract', async () => {
    const { cleanedRun } = await runImports();
    const { stdout } = cleanedRun;
    expect(cleanedRun.code).toBe(1);
    expect(stdout).toMatch(/^imported {2}article\.html: /m);
    expect(stdout).toMatch(/^failed {4}deep\.html: The page nests its elements more than 256 levels deep/m);
  }, 180_000);

  it('imports the sample folder as README.md says: every article, not the README, noise removed unless --keep-noise', async () => {
    const { cleaned, kept, cleanedRun, keptRun } = await runImports();
    expect(importedNames(cleanedRun.stdout)).toEqual(['article.html', ...SAMPLES]);
    expect(importedNames(keptRun.stdout)).toEqual(SAMPLES);
    expect(keptRun.code).toBe(0);
    for (const { stdout } of [cleanedRun, keptRun]) expect(stdout).not.toMatch(/README/);

    const withNoiseRemoved = (await storedSources(cleaned)).filter((s) => SAMPLES.includes(s.fileName ?? ''));
    const withNoiseKept = await storedSources(kept);
    expect(withNoiseRemoved.map((s) => [s.workspace.name, s.fileName])).toEqual(SAMPLES.map((f) => ['Default', f]));
    expect(withNoiseKept.map((s) => [s.workspace.name, s.fileName])).toEqual(SAMPLES.map((f) => ['Raw copies', f]));
    type Proposal = { kind: string; applied: boolean };
    for (const [i, removed] of withNoiseRemoved.entries()) {
      const keptCopy = withNoiseKept[i]!;
      // The original is stored whole either way; only what people quote differs.
      expect(removed.raw).toBe(keptCopy.raw);
      const proposals = removed.cleaning as Proposal[];
      expect(proposals.length, removed.fileName ?? '').toBeGreaterThan(0);
      expect(proposals.every((p) => p.applied)).toBe(true);
      expect((keptCopy.cleaning as Proposal[]).map((p) => [p.kind, p.applied])).toEqual(
        proposals.map((p) => [p.kind, false]),
      );
      expect(removed.text.length).toBeLessThan(keptCopy.text.length);
    }
    // The first sample opens with a clipping tool's date marker: gone, or kept with --keep-noise.
    expect(withNoiseRemoved[0]!.text).not.toMatch(/date 2024-03-05/);
    expect(withNoiseKept[0]!.text).toMatch(/^date 2024-03-05 German Defence Minister/);
  }, 180_000);
});
