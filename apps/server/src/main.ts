import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { installProcessGuard } from './processGuard.ts';
import { startServer } from './server.ts';

const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);

try {
  const server = await startServer(config, logger);
  installProcessGuard(logger, server.metrics);
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
