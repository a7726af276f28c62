import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '@debrief/db';
import { describe, expect, it } from 'vitest';
import { runCliHere, SAMPLE_SOURCES_DIR, startBareServer, tempDataDir } from './testing.ts';

const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');
const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));
const SAMPLES = [
  '000_fd74128d826f9f2b.txt',
  '001_9d90d10368e71433.txt',
  '002_bbfc05d1effc9bd0.txt',
  '003_bf3c4a421ac649b4.txt',
];

type Run = { stdout: string; stderr: string; code: number };

/**
 * `npm run cli -- <args>` on its own embedded database, as npm runs it (`tsx src/cli.ts`: the
 * extraction worker must load TypeScript there too).
 */
function cli(dataDir: string, args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, CLI, ...args], {
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end();
  });
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

// The commands run in this process (runCliHere): the imports above run the program itself, as npm
// does, and a process of its own for each of these would cost seconds of start-up apiece.
describe('npm run cli: accounts for operators and scripts', () => {
  it('creates a user, a workspace, a membership and a token that the API then accepts; resets a password', async () => {
    const dataDir = tempDataDir();
    const email = 'ops.admin@example.org';
    const created = await runCliHere(
      dataDir,
      ['user', 'create', '--email', email, '--name', 'Olga Ops', '--admin'],
      'a long enough password\n',
    );
    expect(created, created.stderr).toMatchObject({ code: 0 });
    expect(created.stdout).toMatch(/^created ops\.admin@example\.org \([0-9a-f-]{36}\), instance administrator$/m);

    const short = await runCliHere(dataDir, ['user', 'create', '--email', 'x@example.org', '--name', 'X'], 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('Use at least 10 characters.');
    // Named by field and reason, not a dump of the validator's issues.
    expect(short.stderr).toBe('error: password: Use at least 10 characters.\n');

    expect((await runCliHere(dataDir, ['workspace', 'create', '--name', 'Analysts'])).code).toBe(0);
    const addMember = (role: string) =>
      runCliHere(dataDir, ['member', 'add', '--workspace', 'Analysts', '--email', email, '--role', role]);
    const added = await addMember('lead');
    expect(added, added.stderr).toMatchObject({ code: 0, stdout: `${email} is lead of Analysts\n` });
    const wrongRole = await addMember('boss');
    expect(wrongRole.code).toBe(1);
    expect(wrongRole.stderr).toContain('Unknown role boss');

    const issued = await runCliHere(dataDir, ['token', 'create', '--email', email, '--name', 'nightly']);
    expect(issued.code).toBe(0);
    const token = issued.stdout.trim();
    expect(token).toMatch(/^dbf_[0-9a-f-]{36}_[A-Za-z0-9_-]{43}$/);
    expect(issued.stdout).toBe(`${token}\n`);

    const reset = await runCliHere(dataDir, ['user', 'password', '--email', email], 'another long password\n');
    expect(reset, reset.stderr).toMatchObject({ code: 0 });

    const server = await startBareServer({ DATA_DIR: dataDir });
    try {
      const me = await fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      const body = (await me.json()) as { user: { name: string }; workspaces: Array<{ name: string; role: string }> };
      expect(body.user.name).toBe('Olga Ops');
      expect(body.workspaces.find((w) => w.name === 'Analysts')?.role).toBe('lead');
      const signIn = (password: string) =>
        fetch(`${server.url}/api/auth/sign-in/email`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password }),
        });
      expect((await signIn('a long enough password')).status).toBe(401);
      expect((await signIn('another long password')).status).toBe(200);
      const audit = await server.db.prisma.auditEvent.findMany({ where: { action: 'member.added' } });
      expect(audit).toHaveLength(1);
    } finally {
      await server.close();
    }
  }, 180_000);
});
