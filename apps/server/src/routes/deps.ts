import type { Database } from '@debrief/db';
import type { Logger } from 'pino';
import type { DocumentRegistry } from '../collab/DocumentRegistry.ts';

/** What the HTTP routes need; built once by server.ts. */
export interface AppDeps {
  db: Database;
  registry: DocumentRegistry;
  logger: Logger;
  defaultWorkspaceId: string;
  /** Folder of the built web app; absent in API-only tests. */
  webDir?: string | undefined;
}
