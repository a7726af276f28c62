import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';
import { errorBody } from './errors.ts';

/**
 * serveStatic from @hono/node-server (1.19), with two fixes:
 * - It answers every method, and OPTIONS with the file's Content-Length but no body, a broken
 *   message the client waits on until the connection closes. Files are for GET and HEAD; other
 *   methods go on to the routes (and their JSON 404).
 * - A Range whose start lies past the end of the file or after its own end (`bytes=100000-`,
 *   `bytes=10-5`) reaches createReadStream, which throws ERR_OUT_OF_RANGE: 500. Such a range
 *   cannot be satisfied: 416, as RFC 9110 says.
 */
export function staticFiles(options: Parameters<typeof serveStatic>[0]): MiddlewareHandler {
  const serve = serveStatic(options);
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    try {
      return await serve(c, next);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ERR_OUT_OF_RANGE') throw error;
      return c.json(errorBody('range_not_satisfiable', 'The requested range lies outside the file.'), 416);
    }
  };
}
