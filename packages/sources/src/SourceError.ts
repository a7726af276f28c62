import { DomainError, type ErrorStatus } from '@debrief/errors';

/** Why a source could not be imported or anchored, with the HTTP status each answers. */
export const SOURCE_ERROR_STATUS = {
  empty_source: 422,
  binary_content: 422,
  invalid_utf8: 422,
  invalid_text: 422,
  source_too_large: 413,
  source_too_complex: 422,
  unsupported_format: 415,
  no_article_body: 422,
  invalid_document: 422,
  no_text_layer: 422,
  invalid_base64: 400,
  invalid_cleaning: 400,
  invalid_selection: 400,
  url_unreachable: 502,
  invalid_url: 400,
  url_not_allowed: 400,
} as const satisfies Record<string, ErrorStatus>;

export type SourceErrorCode = keyof typeof SOURCE_ERROR_STATUS;

/** A source could not be imported or anchored. `message` is a full sentence meant for end users. */
export class SourceError extends DomainError<SourceErrorCode> {
  override readonly name = 'SourceError';

  constructor(code: SourceErrorCode, message: string) {
    super(code, SOURCE_ERROR_STATUS[code], message);
  }
}
