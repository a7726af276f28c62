/** HTTP statuses a domain error may map to: the client's fault (4xx) or a dependency's (502/503). */
export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 408 | 409 | 413 | 415 | 416 | 422 | 429 | 431 | 502 | 503;

/**
 * A failure the user can act on, from any package: a stable snake_case `code` the client may
 * branch on, the HTTP `status` it answers with, and a `message` that is a full sentence for people.
 * The server's one `onError` maps it by these fields; anything that is not a DomainError is a bug
 * (logged, answered 500 without internals).
 */
export class DomainError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    readonly status: ErrorStatus,
    message: string,
    /** Facts the client can act on, e.g. the id of an existing duplicate. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}
