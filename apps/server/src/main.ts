import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { installProcessGuard } from './processGuard.ts';
import { startServer } from './server.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);

try {
  const server = await startServer(config, logger);
  installProcessGuard(logger, server.metrics);
  if (server.setupUrl) {
    // For the person at the terminal, in plain words beside the JSON log.
    process.stderr.write(
      `\n  Debrief has no account yet. To create the first administrator, open:\n\n    ${server.setupUrl}\n\n  The link works once; a new one is printed at each start until setup is done.\n\n`,
    );
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal }, 'shutting down');
      server.close().then(
        () => process.exit(0),
        (error) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
} catch (error) {
  logger.fatal({ err: error }, 'could not start');
  process.exit(1);
}
