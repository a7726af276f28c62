import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';

const integer = (fallback: number) => z.coerce.number().int().nonnegative().default(fallback);
const positive = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

const ConfigSchema = z.object({
  PORT: integer(3000),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// or rediss:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LOG_CHECK_INTERVAL_MS: positive(10_000),
  PRESENCE_HEARTBEAT_MS: positive(1_000),
  PRESENCE_TIMEOUT_MS: positive(5_000),
  MAX_CONNECTIONS_PER_BRIEFING: integer(2_000),
  MAX_CONNECTIONS_PER_USER: integer(200),
  MAX_DOCUMENT_BYTES: integer(64 * 1024 * 1024),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  WEB_DIR: z.string().optional(),
  MAX_MESSAGE_BYTES: integer(16 * 1024 * 1024),
  MAX_SOURCE_BYTES: integer(5 * 1024 * 1024),
  SOURCE_EXTRACT_TIMEOUT_MS: positive(10_000),
  SOURCE_EXTRACT_MAX_MB: positive(512),
  /** Longest one export may render, and the heap of its worker. */
  EXPORT_TIMEOUT_MS: positive(120_000),
  EXPORT_MAX_MB: positive(1024),
  MAX_SEND_BUFFER_BYTES: integer(64 * 1024 * 1024),
  SOURCE_FETCH_ALLOW_PRIVATE: flag(false),
  RATE_BURST_MESSAGES: integer(1_000),
  RATE_MESSAGES_PER_SECOND: integer(300),
  DOC_IDLE_UNLOAD_MS: integer(30_000),
  COMPACT_AFTER_UPDATES: integer(500),
  PROJECTION_DELAY_MS: integer(500),
  PING_INTERVAL_MS: integer(30_000),
  REAUTH_INTERVAL_MS: integer(60_000),
  AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional(),
  PUBLIC_URL: z.string().url('PUBLIC_URL must be a URL such as https://debrief.example.org').optional(),
  SIGN_IN_PER_MINUTE: integer(10),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'SMTP_URL must be an smtp:// or smtps:// URL')
    .optional(),
});

export type Config = z.infer<typeof ConfigSchema>;

/**
 * Where the user ran the command: npm runs workspace scripts in the workspace's folder but sets
 * INIT_CWD to where `npm start` / `npm run cli` was typed, which is what relative paths mean.
 */
export const invocationDir = (env: NodeJS.ProcessEnv = process.env): string => env.INIT_CWD ?? process.cwd();

export function resolveUserPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.startsWith('memory://') || isAbsolute(path) ? path : resolve(invocationDir(env), path);
}

/** Reads configuration from the environment; a bad value stops the start with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new Error(`invalid configuration: ${problems}`);
  }
  const config = parsed.data;
  return {
    ...config,
    DATA_DIR: resolveUserPath(config.DATA_DIR, env),
    WEB_DIR: config.WEB_DIR && resolveUserPath(config.WEB_DIR, env),
  };
}

export function configFrom(overrides: Partial<Config>): Config {
  return { ...loadConfig({}), ...overrides };
}
