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

/** `npm run cli -- <args>` on its own embedded database; answers what it printed. */
async function cli(dataDir: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [TSX_CLI, CLI, ...args], {
    env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
  });
  return stdout;
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
  // A process of its own that opens a database and starts a worker: on a loaded machine, more
  // than the default 30 s may pass.
  it('imports files through the extraction workers under tsx, and reports a page too complex to extract', async () => {
    const dataDir = tempDataDir();
    const files = tempDataDir();
    const paragraph = '<p>A paragraph of an article about a call that was joined from an unsecured hotel line.</p>';
    writeFileSync(join(files, 'article.html'), `<html><body><article>${paragraph.repeat(4)}</article></body></html>`);
    writeFileSync(join(files, 'deep.html'), `${'<div>'.repeat(7_000)}deep`);
    // What `npm run cli` runs (`tsx src/cli.ts`): the worker must load TypeScript there too.
    const run = promisify(execFile)(process.execPath, [TSX_CLI, CLI, 'sources', 'import', files], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    });
    const { stdout } = await run.catch((error: { stdout: string; code: number }) => {
      expect(error.code).toBe(1);
      return error;
    });
    expect(stdout).toMatch(/^imported {2}article\.html: /m);
    expect(stdout).toMatch(/^failed {4}deep\.html: The page nests its elements more than 256 levels deep/m);
  }, 120_000);

  // Two processes of their own, each with a database and extraction workers.
  it('imports the sample folder as README.md says: every article, not the README, noise removed unless --keep-noise', async () => {
    const [cleaned, kept] = [tempDataDir(), tempDataDir()];
    const [cleanedOut, keptOut] = await Promise.all([
      cli(cleaned, ['sources', 'import', SAMPLE_SOURCES_DIR, '--workspace', 'Default']),
      cli(kept, ['sources', 'import', SAMPLE_SOURCES_DIR, '--workspace', 'Raw copies', '--keep-noise']),
    ]);
    for (const out of [cleanedOut, keptOut]) {
      expect(out.match(/^imported {2}(\S+):/gm)?.map((line) => line.split(/\s+/)[1]!.slice(0, -1))).toEqual(SAMPLES);
      expect(out).not.toMatch(/README/);
    }

    const withNoiseRemoved = await storedSources(cleaned);
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
