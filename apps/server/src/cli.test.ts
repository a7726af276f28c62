import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from './testing.ts';

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
