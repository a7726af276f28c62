import { DomainError } from '@debrief/errors';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The server's own error codes and their statuses (the packages' errors carry their own: every
 * one is a DomainError). Stable: the client may branch on them; docs/api.md lists them all.
 */
export const ErrorStatus = {
  invalid_request: 400,
  request_timeout: 408,
  request_headers_too_large: 431,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  briefing_not_found: 404,
  conflict: 409,
  duplicate_source: 409,
  source_cited: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  range_not_satisfiable: 416,
  source_not_found: 404,
  export_not_found: 404,
  export_not_ready: 409,
  not_ready: 503,
  server_busy: 503,
  internal_error: 500,
} as const satisfies Record<string, ContentfulStatusCode & (DomainError['status'] | 500)>;

export type ErrorCode = keyof typeof ErrorStatus;

/** A failure of the server's own the user can act on; its status comes from ErrorStatus. */
export class AppError extends DomainError<ErrorCode> {
  constructor(code: Exclude<ErrorCode, 'internal_error'>, message: string, details?: Record<string, unknown>) {
    super(code, ErrorStatus[code], message, details);
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export const errorBody = (code: string, message: string, details?: Record<string, unknown>): ErrorBody => ({
  error: details ? { code, message, details } : { code, message },
});
