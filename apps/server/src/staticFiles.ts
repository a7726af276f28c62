import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';
import { errorBody } from './errors.ts';

/**
 * serveStatic from @hono/node-server, with one fix: a Range whose start lies past the end of the
 * file or after its own end (`bytes=100000-`, `bytes=10-5`) reaches createReadStream, which throws
 * ERR_OUT_OF_RANGE, and the request failed with 500. Such a range cannot be satisfied: 416, as
 * RFC 9110 says.
 */
export function staticFiles(options: Parameters<typeof serveStatic>[0]): MiddlewareHandler {
  const serve = serveStatic(options);
  return async (c, next) => {
    try {
      return await serve(c, next);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ERR_OUT_OF_RANGE') throw error;
      return c.json(errorBody('range_not_satisfiable', 'The requested range lies outside the file.'), 416);
    }
  };
}
