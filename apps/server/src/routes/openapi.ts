import type { Hook, RouteConfig } from '@hono/zod-openapi';
import { createRoute, z } from '@hono/zod-openapi';
import { errorBody } from '../errors.ts';
import type { RouteGuard } from './guards.ts';
import { makeStorable } from './storableInput.ts';

/** Building blocks every route file declares its OpenAPI contract with. */

export const ErrorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
  })
  .openapi('Error');

/** A resource id in a path, in its canonical (lower-case) form whatever case the client used. */
export const IdParam = z.object({
  id: z
    .string()
    .uuid()
    .transform((id) => id.toLowerCase())
    .openapi({ param: { name: 'id', in: 'path' }, type: 'string', format: 'uuid' }),
});

/** A JSON response with its schema. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

/** A required JSON request body. */
export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  content: { 'application/json': { schema } },
  required: true,
});

/** The error responses a route can give, all with the same body. */
export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, json(ErrorSchema, 'Error')])) as Record<
    number,
    ReturnType<typeof json<typeof ErrorSchema>>
  >;

/**
 * Every request that fails its zod schema gets the same error shape, naming the fields. Input that
 * passes has its strings made storable (lone surrogates replaced, NUL refused): the hook cannot
 * hand back other data, so that happens in place on the parsed copy the route will read.
 */
// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by routes of every shape
export const validationHook: Hook<any, any, any, any> = (result, c) => {
  if (result.success) {
    makeStorable(result.data);
    return;
  }
  const message = result.error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  return c.json(errorBody('invalid_request', message), 400);
};

/**
 * A route that runs behind the request context (who, which workspace, may they): the middleware
 * the route file built for its action, and the action named in the OpenAPI document
 * (`x-debrief-action`), which the authorisation tests read to cover every route.
 */
export function guardedRoute<P extends string, R extends Omit<RouteConfig, 'path'> & { path: P }>(
  guard: RouteGuard,
  route: R,
) {
  return createRoute({ ...route, middleware: [guard.middleware] as const, 'x-debrief-action': guard.action });
}
