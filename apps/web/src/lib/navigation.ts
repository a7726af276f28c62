/**
 * Where to go after signing in: the `next` page the person was sent away from, if it is a page of
 * this app (a path), never another site (`//evil.example`, `https://…`).
 */
export function nextPath(search: URLSearchParams, fallback = '/'): string {
  const next = search.get('next');
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : fallback;
}
