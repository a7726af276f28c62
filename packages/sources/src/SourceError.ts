export type SourceErrorCode =
  | 'empty_source'
  | 'binary_content'
  | 'invalid_utf8'
  | 'invalid_text'
  | 'source_too_large'
  | 'source_too_complex'
  | 'unsupported_format'
  | 'no_article_body'
  | 'invalid_cleaning'
  | 'invalid_selection'
  | 'url_unreachable'
  | 'invalid_url'
  | 'url_not_allowed';

/** A source could not be imported or anchored. `message` is a full sentence meant for end users. */
export class SourceError extends Error {
  override readonly name = 'SourceError';

  constructor(
    readonly code: SourceErrorCode,
    message: string,
  ) {
    super(message);
  }
}
