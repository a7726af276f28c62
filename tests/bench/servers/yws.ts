/**
 * The reference server, `@y/websocket-server` 0.1.1, set up the way its own `server.js` does
 * (`setupWSConnection` on every upgrade), with two differences: it listens on PORT/HOST given by
 * the harness and announces itself with a JSON `listening` line, and it uses the same `ws` 8 as
 * Debrief instead of the `ws` 6 its bin pulls in. Persistence: its built-in LevelDB (y-leveldb)
 * when YPERSISTENCE names a folder. y-leveldb stores each update asynchronously, after the update
 * was broadcast; SIGTERM waits for pending writes and closes the database.
 */
import http from 'node:http';
import { getPersistence, setupWSConnection } from '@y/websocket-server/utils';
import { WebSocketServer } from 'ws';

const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/plain' });
  response.end('okay');
});
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, (ws) => setupWSConnection(ws, request));
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  console.log(JSON.stringify({ msg: 'listening', port, persistence: process.env.YPERSISTENCE ?? null }));
});

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  server.close();
  for (const ws of wss.clients) ws.terminate();
  // Let close handlers run (they store nothing more: y-leveldb already has every update queued).
  await new Promise((resolve) => setTimeout(resolve, 50));
  const persistence = getPersistence() as { provider?: { destroy(): Promise<void> } } | null;
  await persistence?.provider?.destroy();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
