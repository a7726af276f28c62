import { DomainError, type ErrorStatus } from '@debrief/errors';

/** Why an export could not be made, with the HTTP status each answers. */
export const EXPORT_ERROR_STATUS = {
  /** The briefing holds a node or mark the renderers do not know: nothing is left out silently. */
  export_unknown_content: 422,
  /** The briefing or a source is not in the shape export reads. */
  export_invalid_input: 422,
  /** A renderer failed (a font, the Typst compiler): the message says which and why. */
  export_failed: 422,
} as const satisfies Record<string, ErrorStatus>;

export type ExportErrorCode = keyof typeof EXPORT_ERROR_STATUS;

export class ExportError extends DomainError<ExportErrorCode> {
  override readonly name = 'ExportError';

  constructor(code: ExportErrorCode, message: string) {
    super(code, EXPORT_ERROR_STATUS[code], message);
  }
}
