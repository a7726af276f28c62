/**
 * Whether a request that carries a session cookie comes from Debrief's own pages. Browsers name
 * the page's origin on every cross-origin request (and on same-origin POSTs and WebSocket
 * upgrades); a cookie sent from another site's page must not act for the user (CSRF, and
 * cross-site WebSocket hijacking). The expected origin is PUBLIC_URL's, else the request's own.
 */
export function sameOrigin(headers: Headers, requestUrl: string, publicUrl: string | undefined): boolean {
  const origin = headers.get('origin');
  if (origin === null) return headers.get('sec-fetch-site') === 'same-origin';
  const expected = publicUrl ? new URL(publicUrl).origin : originOf(headers, requestUrl);
  return origin === expected;
}

function originOf(headers: Headers, requestUrl: string): string {
  const url = new URL(requestUrl);
  const host = headers.get('host');
  return host ? `${url.protocol}//${host}` : url.origin;
}
