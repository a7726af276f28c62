import type { Database } from '@debrief/db';
import type { BetterAuthRateLimitStorage } from 'better-auth';
import { betterAuth } from 'better-auth';
import { prismaAdapter } from 'better-auth/adapters/prisma';
import { MemoryStore } from 'hono-rate-limiter';
import type { Logger } from 'pino';

/** The header the server puts the connection's address in before better-auth sees a request. */
export const CLIENT_IP_HEADER = 'x-debrief-client-ip';

export interface AuthOptions {
  secret: string;
  /** The public address (https://… behind a proxy); unset: taken from each request. */
  baseURL?: string | undefined;
  /** Sign-in attempts per address per minute. */
  signInPerMinute: number;
}

/**
 * Email-and-password accounts and cookie sessions, by better-auth (sessions in HTTP-only,
 * SameSite=Lax cookies, Secure when the address is https; a new session id at every sign-in;
 * scrypt password hashes; the same answer, after a password hash, for an unknown email as for a
 * wrong password). Debrief adds who may sign up (only through the first-run setup link or an
 * invitation: the public sign-up endpoint is not mounted), roles, API tokens and the audit log.
 */
export function createAuth(db: Database, options: AuthOptions, logger: Logger) {
  return betterAuth({
    database: prismaAdapter(db.prisma as never, { provider: 'postgresql' }),
    secret: options.secret,
    baseURL: options.baseURL,
    basePath: '/api/auth',
    emailAndPassword: { enabled: true, minPasswordLength: 10, maxPasswordLength: 256, autoSignIn: false },
    session: { expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24 },
    user: {
      additionalFields: {
        instanceAdmin: { type: 'boolean', defaultValue: false, input: false },
        color: { type: 'string', defaultValue: '#2563eb', input: false },
      },
    },
    rateLimit: {
      enabled: true,
      customStorage: instanceRateLimits(),
      window: 60,
      max: 300,
      customRules: { '/sign-in/email': { window: 60, max: options.signInPerMinute } },
    },
    advanced: {
      database: { generateId: 'uuid' },
      // Set by the server from the connection itself (CLIENT_IP_HEADER), never taken from the
      // client: a sign-in rate limit a client could dodge with a header would be none.
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    telemetry: { enabled: false },
    logger: {
      log: (level, message) => {
        // Never the arguments: they can hold an email or a token.
        if (level === 'error') logger.error({ component: 'better-auth' }, message);
        else logger.debug({ component: 'better-auth', level }, message);
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;

/**
 * The counts behind better-auth's rate limits, kept by this server in hono-rate-limiter's memory
 * store (one per window length a rule asks for), as the app's own limits are. better-auth's own
 * memory storage is one map for the whole process, which every server started in it would share:
 * the tests start dozens in one process, and one test's sign-ins used up another server's limit.
 */
function instanceRateLimits(): BetterAuthRateLimitStorage {
  const stores = new Map<number, MemoryStore>();
  return {
    async consume(key, rule) {
      let store = stores.get(rule.window);
      if (!store) {
        store = new MemoryStore();
        // The store reads only the window from the middleware's options.
        store.init({ windowMs: rule.window * 1000 } as Parameters<MemoryStore['init']>[0]);
        stores.set(rule.window, store);
      }
      const { totalHits, resetTime } = store.increment(key);
      if (totalHits <= rule.max) return { allowed: true, retryAfter: null };
      return { allowed: false, retryAfter: Math.ceil(((resetTime?.getTime() ?? Date.now()) - Date.now()) / 1000) };
    },
  };
}
