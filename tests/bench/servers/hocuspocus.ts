/**
 * `@hocuspocus/server` 4 with its stock settings (debounce 2 s, maxDebounce 10 s, unloadImmediately,
 * flushDelay 0). Persistence: `@hocuspocus/extension-database` with a file per document in
 * HOCUSPOCUS_DIR — the whole document state is written (temp file, fsync, rename) whenever
 * Hocuspocus calls `onStoreDocument`, i.e. debounced, after broadcasting. (`extension-sqlite`
 * needs better-sqlite3, a native build that cannot be fetched here.) Without HOCUSPOCUS_DIR it
 * keeps documents in memory only.
 */
import { open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { Database } from '@hocuspocus/extension-database';
import { Server } from '@hocuspocus/server';

const dir = process.env.HOCUSPOCUS_DIR;
const fileOf = (name: string) => join(dir ?? '.', `${encodeURIComponent(name)}.ydoc`);

const extensions = dir
  ? [
      new Database({
        async fetch({ documentName }) {
          try {
            return new Uint8Array(await readFile(fileOf(documentName)));
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
            throw error;
          }
        },
        async store({ documentName, state }) {
          const target = fileOf(documentName);
          const temp = `${target}.tmp`;
          const handle = await open(temp, 'w');
          try {
            await handle.writeFile(state);
            await handle.datasync();
          } finally {
            await handle.close();
          }
          await rename(temp, target);
        },
      }),
    ]
  : [];

const server = new Server({
  port: Number(process.env.PORT ?? 0),
  address: process.env.HOST ?? '127.0.0.1',
  quiet: true,
  stopOnSignals: true,
  extensions,
});
await server.listen();
console.log(JSON.stringify({ msg: 'listening', port: server.address.port, persistence: dir ?? null }));
