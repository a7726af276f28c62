/** A frame that does not follow the protocol or breaks the input limits. Closes that connection only (4400). */
export class MalformedMessageError extends Error {
  readonly code = 'malformed_message';
}
