import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Database, migrate, openDatabase } from '@debrief/db';
import type { Logger } from 'pino';
import { createApp } from './app.ts';
import { type Authenticate, CollabServer } from './collab/CollabServer.ts';
import { citationProjector } from './collab/citationProjector.ts';
import { DocumentRegistry } from './collab/DocumentRegistry.ts';
import { DocumentStore } from './collab/DocumentStore.ts';
import { briefingProjector } from './collab/projection.ts';
import { UpdateLogWriter } from './collab/UpdateLogWriter.ts';
import type { Config } from './config.ts';
import { SourceExtractor } from './extraction/SourceExtractor.ts';
import { endSocketWithError, listenHttp } from './httpServer.ts';
import { createLogger } from './logger.ts';
import { Metrics } from './metrics.ts';
import { ensureDefaultWorkspace } from './workspaces.ts';

const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/build', import.meta.url));

/** Until accounts land, everyone on the server is the same local editor. */
const openAccess: Authenticate = async () => ({ userId: 'local', readOnly: false });

export interface RunningServer {
  port: number;
  url: string;
  db: Database;
  registry: DocumentRegistry;
  logger: Logger;
  /** Stops accepting, closes sockets, flushes and compacts every document, closes the database. */
  close(): Promise<void>;
}

export async function startServer(config: Config, logger = createLogger(config.LOG_LEVEL)): Promise<RunningServer> {
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
  const applied = await migrate(db);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  const defaultWorkspaceId = await ensureDefaultWorkspace(db);

  // The closures below run only after start-up (scrapes, closing a deleted briefing's sockets),
  // when registry and collab exist; the annotations break the type-inference cycle.
  const metrics: Metrics = new Metrics({
    connections: () => collab.connectionCount,
    loadedDocuments: () => registry.loadedCount,
  });
  const store = new DocumentStore(db);
  const writer = new UpdateLogWriter(store, logger, {}, metrics);
  const projectBriefing = briefingProjector(db);
  const projectCitations = citationProjector(db);
  const registry: DocumentRegistry = new DocumentRegistry(
    store,
    writer,
    async (document) => {
      await projectBriefing(document);
      await projectCitations(document);
    },
    (document, code, reason) => collab.closeConnections(document, code, reason),
    logger,
    {
      idleUnloadMs: config.DOC_IDLE_UNLOAD_MS,
      compactAfterUpdates: config.COMPACT_AFTER_UPDATES,
      projectionDelayMs: config.PROJECTION_DELAY_MS,
    },
  );
  const collab: CollabServer = new CollabServer(
    registry,
    openAccess,
    {
      maxMessageBytes: config.MAX_MESSAGE_BYTES,
      maxBufferedBytesBeforeReady: config.MAX_MESSAGE_BYTES,
      burstMessages: config.RATE_BURST_MESSAGES,
      messagesPerSecond: config.RATE_MESSAGES_PER_SECOND,
      maxBufferedBytes: config.MAX_SEND_BUFFER_BYTES,
    },
    logger,
    metrics,
  );

  const sourceExtractor = new SourceExtractor({
    timeoutMs: config.SOURCE_EXTRACT_TIMEOUT_MS,
    maxMemoryMb: config.SOURCE_EXTRACT_MAX_MB,
  });
  const webDir = config.WEB_DIR ?? (existsSync(DEFAULT_WEB_DIR) ? DEFAULT_WEB_DIR : undefined);
  if (!webDir) logger.warn('web app not built (apps/web/build missing): serving the API only');
  const app = createApp({
    db,
    registry,
    logger,
    metrics,
    defaultWorkspaceId,
    sourceExtractor,
    webDir,
    maxSourceBytes: config.MAX_SOURCE_BYTES,
    sourceFetchAllowPrivate: config.SOURCE_FETCH_ALLOW_PRIVATE,
  });

  const server = await listenHttp(app.fetch, { port: config.PORT, hostname: config.HOST, logger });
  server.on('upgrade', (request, socket, head) => {
    if (!collab.handleUpgrade(request, socket, head)) {
      endSocketWithError(socket, 'not_found', `No WebSocket endpoint at ${request.url}.`);
    }
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ port, database: db.kind, dataDir: db.kind === 'pglite' ? config.DATA_DIR : undefined }, 'listening');

  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    db,
    registry,
    logger,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        collab.close();
        await registry.unloadAll(1001, 'server_shutdown');
        await writer.drain();
        server.closeAllConnections();
        await stopped;
        await sourceExtractor.close();
        await db.close();
        logger.info('stopped');
      })();
      return closing;
    },
  };
}
