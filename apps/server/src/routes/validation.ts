import type { Hook } from '@hono/zod-openapi';
import { z } from '@hono/zod-openapi';
import { errorBody } from '../errors.ts';

export const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).openapi('Error');

/** Every request that fails its zod schema gets the same error shape, naming the fields. */
// biome-ignore lint/suspicious/noExplicitAny: the hook is shared by routes of every shape
export const validationHook: Hook<any, any, any, any> = (result, c) => {
  if (result.success) return;
  const message = result.error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  return c.json(errorBody('invalid_request', message), 400);
};
