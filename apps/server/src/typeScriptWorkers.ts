import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * The Node options a worker thread needs to load this project's TypeScript; pass them as the
 * worker's `execArgv` wherever a worker is made (the server, the CLI, tests).
 *
 * Nothing here is compiled ahead: the server and CLI run under tsx (`tsx src/main.ts`), tests
 * spawn `node --import tsx …`, and vitest transforms modules itself. A worker inherits its
 * parent's flags only when given no options of its own, and under vitest there is no loader flag
 * to inherit, so a worker importing a .ts file would fail with ERR_UNKNOWN_FILE_EXTENSION there.
 * tsx's loader, by absolute URL so that no working directory matters, works in all three; the
 * parent's other flags (preloads, profilers) are deliberately not carried over.
 */
export function typeScriptWorkerExecArgv(): string[] {
  return ['--import', TSX_LOADER];
}
