import type { Database } from '@debrief/db';
import type { Context } from 'hono';
import type { Logger } from 'pino';
import type { DocumentRegistry } from '../collab/DocumentRegistry.ts';
import type { Session } from '../context/requestContext.ts';
import type { Projection } from '../extensions/Projection.ts';
import type { SourceExtractor } from '../extraction/SourceExtractor.ts';
import type { Metrics } from '../metrics.ts';

/** What the HTTP routes need; built once by server.ts. */
export interface AppDeps {
  db: Database;
  registry: DocumentRegistry;
  /** Derived rows of open documents, flushed when an answer must reflect the latest edit. */
  projections: { briefingRow: Projection; citations: Projection };
  /** Who is signed in on a request, and their current workspace (null: nobody). */
  session(c: Context): Promise<Session | null>;
  logger: Logger;
  metrics: Metrics;
  /** Extraction of imported sources, off the event loop. */
  sourceExtractor: SourceExtractor;
  /** Largest source accepted by import (bytes of UTF-8). */
  maxSourceBytes: number;
  /** Let URL import reach loopback and private networks (local development and tests only). */
  sourceFetchAllowPrivate: boolean;
  /** Folder of the built web app; absent in API-only tests. */
  webDir?: string | undefined;
}
