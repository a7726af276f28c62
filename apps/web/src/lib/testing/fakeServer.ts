import { vi } from 'vitest';

type Reply = () => Response | Promise<Response>;

/**
 * Stands in for the Debrief server behind `fetch`: each route ("GET /api/sources") answers as the
 * real one would; anything else is a 404 in the server's error shape. Returns every request made,
 * with its JSON body, so a test can check what the client asked for and what it did not.
 */
export function fakeServer(routes: Record<string, Reply>): Array<{ route: string; body: unknown }> {
  const requests: Array<{ route: string; body: unknown }> = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const route = `${init?.method ?? 'GET'} ${url}`;
      requests.push({ route, body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
      const reply = routes[route];
      return reply
        ? reply()
        : Response.json({ error: { code: 'not_found', message: `No route ${route}` } }, { status: 404 });
    }),
  );
  return requests;
}

/** A refusal in the server's error shape. */
export const refusal = (status: number, code: string, message: string, details?: Record<string, unknown>) =>
  Response.json({ error: { code, message, ...(details ? { details } : {}) } }, { status });
