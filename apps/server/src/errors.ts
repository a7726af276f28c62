import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Stable error codes the API answers with; the client may branch on them. */
export const ErrorStatus = {
  invalid_request: 400,
  briefing_schema_invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  briefing_not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  not_ready: 503,
  internal_error: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ErrorStatus;

/** A failure the user can act on; mapped to an HTTP status by its code in one place (app.onError). */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }

  get status(): ContentfulStatusCode {
    return ErrorStatus[this.code];
  }
}

export interface ErrorBody {
  error: { code: string; message: string };
}

export const errorBody = (code: string, message: string): ErrorBody => ({ error: { code, message } });
