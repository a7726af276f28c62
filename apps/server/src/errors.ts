import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** Stable error codes the API answers with; the client may branch on them. */
export const ErrorStatus = {
  invalid_request: 400,
  request_timeout: 408,
  request_headers_too_large: 431,
  briefing_schema_invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  briefing_not_found: 404,
  briefing_unloadable: 409,
  conflict: 409,
  duplicate_source: 409,
  source_cited: 409,
  payload_too_large: 413,
  unsupported_format: 415,
  unsupported_media_type: 415,
  range_not_satisfiable: 416,
  empty_source: 422,
  binary_content: 422,
  invalid_utf8: 422,
  invalid_text: 422,
  source_too_large: 413,
  no_article_body: 422,
  source_too_complex: 422,
  invalid_cleaning: 400,
  invalid_selection: 400,
  invalid_url: 400,
  url_not_allowed: 400,
  url_unreachable: 502,
  source_not_found: 404,
  not_ready: 503,
  server_busy: 503,
  internal_error: 500,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ErrorCode = keyof typeof ErrorStatus;

/** A failure the user can act on; mapped to an HTTP status by its code in one place (app.onError). */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Facts the client can act on, e.g. the id of the existing duplicate. */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  get status(): ContentfulStatusCode {
    return ErrorStatus[this.code];
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export const errorBody = (code: string, message: string, details?: Record<string, unknown>): ErrorBody => ({
  error: details ? { code, message, details } : { code, message },
});
