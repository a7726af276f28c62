import type { Database } from '@debrief/db';
import type { Logger } from 'pino';
import type { DocumentRegistry } from '../collab/DocumentRegistry.ts';
import type { Projection } from '../extensions/Projection.ts';
import type { SourceExtractor } from '../extraction/SourceExtractor.ts';
import type { Metrics } from '../metrics.ts';

/** What the HTTP routes need; built once by server.ts. */
export interface AppDeps {
  db: Database;
  registry: DocumentRegistry;
  /** Derived rows of open documents, flushed when an answer must reflect the latest edit. */
  projections: { briefingRow: Projection; citations: Projection };
  logger: Logger;
  metrics: Metrics;
  defaultWorkspaceId: string;
  /** Runs source extraction off the event loop, within time and memory limits. */
  sourceExtractor: SourceExtractor;
  /** Largest source accepted by import (bytes of UTF-8). */
  maxSourceBytes: number;
  /** Let URL import reach loopback and private networks (local development and tests only). */
  sourceFetchAllowPrivate: boolean;
  /** Folder of the built web app; absent in API-only tests. */
  webDir?: string | undefined;
}
