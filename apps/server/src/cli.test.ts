import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startBareServer, tempDataDir } from './testing.ts';

const TSX_CLI = createRequire(import.meta.url).resolve('tsx/cli');
const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

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
});

/** Runs `npm run cli -- …` as npm does (`tsx src/cli.ts`), with `input` on standard input. */
function runCli(
  args: string[],
  env: Record<string, string>,
  input = '',
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, CLI, ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
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
    child.stdin.end(input);
  });
}

describe('npm run cli: accounts for operators and scripts', () => {
  it('creates a user, a workspace, a membership and a token that the API then accepts; resets a password', async () => {
    const env = { DATA_DIR: tempDataDir() };
    const email = 'ops.admin@example.org';
    const created = await runCli(
      ['user', 'create', '--email', email, '--name', 'Olga Ops', '--admin'],
      env,
      'a long enough password\n',
    );
    expect(created, created.stderr).toMatchObject({ code: 0 });
    expect(created.stdout).toMatch(/^created ops\.admin@example\.org \([0-9a-f-]{36}\), instance administrator$/m);

    const short = await runCli(['user', 'create', '--email', 'x@example.org', '--name', 'X'], env, 'short\n');
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('Use at least 10 characters.');

    expect((await runCli(['workspace', 'create', '--name', 'Analysts'], env)).code).toBe(0);
    const added = await runCli(['member', 'add', '--workspace', 'Analysts', '--email', email, '--role', 'lead'], env);
    expect(added, added.stderr).toMatchObject({ code: 0, stdout: `${email} is lead of Analysts\n` });
    const wrongRole = await runCli(
      ['member', 'add', '--workspace', 'Analysts', '--email', email, '--role', 'boss'],
      env,
    );
    expect(wrongRole.code).toBe(1);
    expect(wrongRole.stderr).toContain('Unknown role boss');

    const issued = await runCli(['token', 'create', '--email', email, '--name', 'nightly'], env);
    expect(issued.code).toBe(0);
    const token = issued.stdout.trim();
    expect(token).toMatch(/^dbf_[0-9a-f-]{36}_[A-Za-z0-9_-]{43}$/);
    expect(issued.stdout).toBe(`${token}\n`);

    const reset = await runCli(['user', 'password', '--email', email], env, 'another long password\n');
    expect(reset, reset.stderr).toMatchObject({ code: 0 });

    const server = await startBareServer(env);
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
