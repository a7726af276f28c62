import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Database, migrate, openDatabase } from '@debrief/db';
import type { Logger } from 'pino';
import { createApp } from './app.ts';
import { type Auth, createAuth } from './auth/auth.ts';
import { authSecret } from './auth/instanceSecret.ts';
import { sameOrigin } from './auth/sameOrigin.ts';
import { queryToken, requestHeaders, SessionResolver } from './auth/sessions.ts';
import { issueSetupCode } from './auth/setupCode.ts';
import { CollabServer } from './collab/CollabServer.ts';
import { DocumentRegistry } from './collab/DocumentRegistry.ts';
import { DocumentStore } from './collab/DocumentStore.ts';
import { type CollabExtension, Extensions } from './collab/Extension.ts';
import { UpdateLogWriter } from './collab/UpdateLogWriter.ts';
import { searchTextBackfiller } from './commands/searchTextBackfiller.ts';
import type { Config } from './config.ts';
import { ExportRunner } from './export/ExportRunner.ts';
import { authenticationExtension } from './extensions/authentication.ts';
import { briefingProjector } from './extensions/briefingRow.ts';
import { citationProjector } from './extensions/citations.ts';
import { metricsExtension } from './extensions/metrics.ts';
import { Projection } from './extensions/Projection.ts';
import { RedisFanout } from './extensions/redisFanout.ts';
import { SourceExtractor } from './extraction/SourceExtractor.ts';
import { endSocketWithError, listenHttp } from './httpServer.ts';
import { createLogger } from './logger.ts';
import { Mailer } from './mail/Mailer.ts';
import { Metrics } from './metrics.ts';
import { ensureDefaultWorkspace } from './workspaces.ts';

const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/build', import.meta.url));

export interface RunningServer {
  port: number;
  url: string;
  db: Database;
  registry: DocumentRegistry;
  logger: Logger;
  metrics: Metrics;
  sourceExtractor: SourceExtractor;
  auth: Auth;
  /** The first-run setup link while no account exists (printed at start), else null. */
  setupUrl: string | null;
  /** Stops accepting, closes sockets, flushes and compacts every document, closes the database. */
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Extensions run after the built-in ones (tests observe the collaboration server this way). */
  extensions?: CollabExtension[];
  /**
   * Tests only: what the update log writer appends through, given the real store. A test wraps
   * the store to hold a commit open and prove that nothing is shown before it is durable
   * (collab/durability.test.ts). Never set at run time.
   */
  testOnlyLogStore?: (store: DocumentStore) => DocumentStore;
  /**
   * Tests: a new embedded database (in memory, or a folder that holds none yet) starts as a copy
   * of this dumped, migrated PGlite folder (`migratedPgliteTemplate`) instead of a new cluster,
   * which costs seconds.
   */
  pgliteTemplate?: Blob;
  /**
   * Tests: worker pools shared by the servers of one test process instead of pools of the
   * server's own (a pool's first thread takes about a second of CPU to start). The server uses
   * them and leaves them open.
   */
  workers?: ServerWorkers;
}

export interface ServerWorkers {
  sourceExtractor: SourceExtractor;
  exportRunner: ExportRunner;
}

/** The pools a server of `config` makes for itself when it is given none. */
export function createWorkers(config: Config): ServerWorkers {
  return {
    sourceExtractor: new SourceExtractor({
      timeoutMs: config.SOURCE_EXTRACT_TIMEOUT_MS,
      maxMemoryMb: config.SOURCE_EXTRACT_MAX_MB,
    }),
    exportRunner: new ExportRunner({ timeoutMs: config.EXPORT_TIMEOUT_MS, maxMemoryMb: config.EXPORT_MAX_MB }),
  };
}

export async function startServer(
  config: Config,
  rootLogger = createLogger(config.LOG_LEVEL),
  options: ServerOptions = {},
): Promise<RunningServer> {
  // With several processes, every log line says which one wrote it.
  const processId = randomUUID();
  const logger = config.REDIS_URL ? rootLogger.child({ processId }) : rootLogger;
  const db = await openDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    pgliteTemplate: options.pgliteTemplate,
    onConnectionError: (error) =>
      logger.warn({ err: error }, 'an idle database connection failed; the pool replaces it'),
  });
  const applied = await migrate(db);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  await ensureDefaultWorkspace(db);
  const auth = createAuth(
    db,
    {
      secret: await authSecret(db, config.AUTH_SECRET),
      baseURL: config.PUBLIC_URL,
      signInPerMinute: config.SIGN_IN_PER_MINUTE,
    },
    logger,
  );
  const sessions = new SessionResolver(db, auth);

  const metrics = new Metrics();
  const store = new DocumentStore(db);
  const writer = new UpdateLogWriter(options.testOnlyLogStore?.(store) ?? store, logger, {}, metrics);
  // Every concern of the collaboration server beyond durable sync, in the order hooks run.
  const briefingRow = new Projection('briefing-row', briefingProjector(db), config.PROJECTION_DELAY_MS, logger);
  const citations = new Projection('citations', citationProjector(db, logger), config.PROJECTION_DELAY_MS, logger);
  // Several processes on one PostgreSQL database share live documents through Redis (REDIS_URL).
  const fanout = config.REDIS_URL
    ? new RedisFanout({
        url: config.REDIS_URL,
        processId,
        store,
        logger,
        metrics,
        checkIntervalMs: config.LOG_CHECK_INTERVAL_MS,
        heartbeatMs: config.PRESENCE_HEARTBEAT_MS,
        presenceTimeoutMs: config.PRESENCE_TIMEOUT_MS,
      })
    : null;
  const extensions = new Extensions(
    [
      authenticationExtension({
        resolveActor: async (request) => {
          const headers = requestHeaders(request);
          const token = queryToken(request);
          // A cookie is ambient authority: only Debrief's own pages may open a socket with it
          // (no cross-site WebSocket hijacking). Browsers always send Origin on an upgrade.
          const cookieOnly = token === null && !headers.has('authorization') && headers.has('cookie');
          const requestUrl = `http://${headers.get('host') ?? 'localhost'}${request.url ?? '/'}`;
          if (cookieOnly && !sameOrigin(headers, requestUrl, config.PUBLIC_URL)) return null;
          return (await sessions.resolve(headers, token))?.actor ?? null;
        },
        workspaceOf: (id) => store.workspaceOf(id),
      }),
      briefingRow,
      citations,
      metricsExtension(metrics),
      ...(fanout ? [fanout] : []),
      ...(options.extensions ?? []),
    ],
    logger,
  );
  const registry = new DocumentRegistry({
    store,
    writer,
    extensions,
    logger,
    idleUnloadMs: config.DOC_IDLE_UNLOAD_MS,
    compactAfterUpdates: config.COMPACT_AFTER_UPDATES,
    maxDocumentBytes: config.MAX_DOCUMENT_BYTES,
  });
  const collab = new CollabServer({
    registry,
    extensions,
    logger,
    limits: {
      maxMessageBytes: config.MAX_MESSAGE_BYTES,
      maxBufferedBytesBeforeReady: config.MAX_MESSAGE_BYTES,
      burstMessages: config.RATE_BURST_MESSAGES,
      messagesPerSecond: config.RATE_MESSAGES_PER_SECOND,
      maxBufferedBytes: config.MAX_SEND_BUFFER_BYTES,
      pingIntervalMs: config.PING_INTERVAL_MS,
      reauthIntervalMs: config.REAUTH_INTERVAL_MS,
      maxConnectionsPerBriefing: config.MAX_CONNECTIONS_PER_BRIEFING,
      maxConnectionsPerUser: config.MAX_CONNECTIONS_PER_USER,
    },
  });
  metrics.watch({
    connections: () => collab.connectionCount,
    loadedDocuments: () => registry.loadedCount,
    unloadableDocuments: () => registry.unloadableCount,
  });

  const { sourceExtractor, exportRunner } = options.workers ?? createWorkers(config);
  const webDir = config.WEB_DIR ?? (existsSync(DEFAULT_WEB_DIR) ? DEFAULT_WEB_DIR : undefined);
  if (!webDir) logger.warn('web app not built (apps/web/build missing): serving the API only');
  const app = createApp({
    db,
    registry,
    projections: { briefingRow, citations },
    logger,
    metrics,
    auth,
    sessions,
    live: collab,
    mailer: config.SMTP_URL ? new Mailer(config.SMTP_URL, logger) : null,
    signInPerMinute: config.SIGN_IN_PER_MINUTE,
    publicUrl: config.PUBLIC_URL,
    sourceExtractor,
    exportRunner,
    webDir,
    scaleOut: fanout && { connected: () => fanout.connected, processId: fanout.processId },
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
  logger.info(
    {
      port,
      database: db.kind,
      dataDir: db.kind === 'pglite' ? config.DATA_DIR : undefined,
    },
    'listening',
  );
  // Briefings stored before search existed get their search text, off the start's critical path.
  void searchTextBackfiller({ db, store, logger }).then(
    (filled) => {
      if (filled > 0) logger.info({ filled }, 'derived the search text of stored briefings');
    },
    (error: unknown) => logger.warn({ err: error }, 'deriving the search text of stored briefings failed'),
  );
  const setupCode = await issueSetupCode(db);
  const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
  const setupUrl = setupCode && `${config.PUBLIC_URL ?? `http://${host}:${port}`}/setup?code=${setupCode}`;
  if (setupUrl)
    logger.warn({ setupUrl }, 'no account exists yet: open the setup link to create the first administrator');

  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    db,
    registry,
    logger,
    metrics,
    sourceExtractor,
    auth,
    setupUrl,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        collab.close();
        await registry.unloadAll(1001, 'server_shutdown');
        await writer.drain();
        await fanout?.close();
        server.closeAllConnections();
        await stopped;
        if (!options.workers) {
          await sourceExtractor.close();
          await exportRunner.close();
        }
        await db.close();
        logger.info('stopped');
      })();
      return closing;
    },
  };
}
