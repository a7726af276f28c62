import type { IncomingMessage } from 'node:http';
import type { Database } from '@debrief/db';
import type { Actor } from '@debrief/policy';
import { actorOf } from './actors.ts';
import { verifyApiToken } from './apiTokens.ts';
import type { Auth } from './auth.ts';

/** What a request or connection proved who it is with. */
export type Credential = { kind: 'session'; id: string } | { kind: 'token'; id: string };

export interface SignedIn {
  actor: Actor;
  /** The workspace the actor works in unless a request names one; null when they have none. */
  workspaceId: string | null;
  credential: Credential;
}

/**
 * Who is signed in, for HTTP requests and WebSocket upgrades alike: a personal API token
 * (`Authorization: Bearer`, or `?token=` where a header cannot be set, as for the stock
 * y-websocket provider), else the session cookie. Null: nobody.
 */
export class SessionResolver {
  constructor(
    private readonly db: Database,
    private readonly auth: Auth,
  ) {}

  async resolve(headers: Headers, queryToken?: string | null): Promise<SignedIn | null> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(headers.get('authorization') ?? '')?.[1] ?? queryToken ?? null;
    if (bearer) {
      const token = await verifyApiToken(this.db, bearer);
      if (!token) return null;
      const found = await actorOf(this.db, token.userId);
      return found && { ...found, credential: { kind: 'token', id: token.tokenId } };
    }
    if (!headers.get('cookie')) return null;
    const session = await this.auth.api.getSession({ headers, query: { disableRefresh: true } });
    if (!session) return null;
    const found = await actorOf(this.db, session.user.id);
    return found && { ...found, credential: { kind: 'session', id: session.session.id } };
  }
}

/** A Node request's headers as a fetch Headers (what better-auth reads cookies from). */
export function requestHeaders(request: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

/** `?token=` of an upgrade request: the stock y-websocket provider can send no header. */
export function queryToken(request: IncomingMessage): string | null {
  try {
    return new URL(request.url ?? '/', 'http://localhost').searchParams.get('token');
  } catch {
    return null;
  }
}
