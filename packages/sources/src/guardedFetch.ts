import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import { Readable } from 'node:stream';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';
import { FORBIDDEN_CIDRS, notAllowed } from './networkGuard.ts';

export interface GuardedFetchOptions {
  /** Let the connection reach loopback and private addresses (local development only). */
  allowPrivateNetwork?: boolean;
  /** Resolves host names for the connection; the system resolver by default (tests give their own). */
  lookup?: LookupFunction;
}

const guarded = {
  http: new RequestFilteringHttpAgent({ denyIPAddressList: [...FORBIDDEN_CIDRS] }),
  https: new RequestFilteringHttpsAgent({ denyIPAddressList: [...FORBIDDEN_CIDRS] }),
};
const open = {
  http: new http.Agent(),
  https: new https.Agent(),
};

/** request-filtering-agent's words when it refuses the address a connection resolved to. */
const REFUSED = /^DNS lookup .* is not allowed/;

function responseHeaders(message: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(message.headers)) {
    for (const item of Array.isArray(value) ? value : [value ?? '']) headers.append(name, item);
  }
  return headers;
}

/**
 * `fetch` for source URLs over Node's http and https, whose connections go through
 * request-filtering-agent: the address is checked when the socket connects, for the address it
 * connects to, so a host name that resolved to a public address when checked and to a private one
 * a moment later (DNS rebinding) never reaches the private one. Global fetch (undici) offers no such
 * hook without a dependency of its own. Redirects are not followed (the caller checks each hop).
 */
export function guardedFetch(options: GuardedFetchOptions = {}): typeof fetch {
  const agents = options.allowPrivateNetwork ? open : guarded;
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const transport = url.protocol === 'https:' ? https : http;
      const headers: Record<string, string> = {};
      new Headers(init.headers).forEach((value, name) => {
        headers[name] = value;
      });
      const request = transport.request(url, {
        method: 'GET',
        agent: url.protocol === 'https:' ? agents.https : agents.http,
        headers,
        ...(init.signal ? { signal: init.signal } : {}),
        ...(options.lookup ? { lookup: options.lookup } : {}),
      });
      request.once('response', (message) => {
        const status = message.statusCode ?? 502;
        const empty = status === 204 || status === 205 || status === 304;
        if (empty) message.resume();
        resolve(
          new Response(empty ? null : (Readable.toWeb(message) as ReadableStream<Uint8Array>), {
            status,
            statusText: message.statusMessage ?? '',
            headers: responseHeaders(message),
          }),
        );
      });
      request.once('error', (error) => reject(REFUSED.test(error.message) ? notAllowed() : error));
      request.end();
    });
}
