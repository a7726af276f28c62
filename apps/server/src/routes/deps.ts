import type { Database } from '@debrief/db';
import type { Logger } from 'pino';
import type { Auth } from '../auth/auth.ts';
import type { SessionResolver } from '../auth/sessions.ts';
import type { DocumentRegistry } from '../collab/DocumentRegistry.ts';
import type { LiveAccess } from '../commands/liveAccess.ts';
import type { ExportRunner } from '../export/ExportRunner.ts';
import type { Projection } from '../extensions/Projection.ts';
import type { SourceExtractor } from '../extraction/SourceExtractor.ts';
import type { Mailer } from '../mail/Mailer.ts';
import type { Metrics } from '../metrics.ts';

/** What the HTTP routes need; built once by server.ts. */
export interface AppDeps {
  db: Database;
  registry: DocumentRegistry;
  /** Derived rows of open documents, flushed when an answer must reflect the latest edit. */
  projections: { briefingRow: Projection; citations: Projection };
  /** Accounts and cookie sessions (better-auth). */
  auth: Auth;
  /** Who is signed in on a request: API token or session cookie. */
  sessions: SessionResolver;
  /** Live connections, authenticated again when someone's access changes. */
  live: LiveAccess;
  /** Sign-ins, setup attempts and accounts made through invitations, per client address per minute. */
  signInPerMinute: number;
  /** Outgoing mail (SMTP_URL), or null: invitation links are then shown to copy. */
  mailer: Mailer | null;
  /** The public address, for links in mail; unset: the request's own origin. */
  publicUrl?: string | undefined;
  logger: Logger;
  metrics: Metrics;
  /** Extraction of imported sources, off the event loop. */
  sourceExtractor: SourceExtractor;
  /** Exports, rendered off the event loop. */
  exportRunner: ExportRunner;
  /** Largest source accepted by import (bytes of UTF-8). */
  maxSourceBytes: number;
  /** Let URL import reach loopback and private networks (local development and tests only). */
  sourceFetchAllowPrivate: boolean;
  /** The Redis fan-out between server processes, when REDIS_URL is set. */
  scaleOut?: { connected(): boolean; processId: string } | null;
  /** Folder of the built web app; absent in API-only tests. */
  webDir?: string | undefined;
}
