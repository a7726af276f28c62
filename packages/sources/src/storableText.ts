import { SourceError } from './SourceError.ts';

/*
 * Two things a JavaScript string can hold that are not text: U+0000 NUL, which PostgreSQL refuses
 * in text and jsonb, and a lone surrogate half, which is no Unicode character at all (UTF-8 cannot
 * encode it, jsonb refuses its escape). Bytes decoded as UTF-8 never contain a lone surrogate; a
 * JSON string can, through an escape such as "\ud800".
 */

/**
 * Refuses text containing NUL with `invalid_text`. NUL is not something a person types or copies;
 * it means binary data (decodeSourceBytes refuses files with NUL bytes as binary for the same
 * reason), and dropping it silently would make the stored original differ from what was sent.
 */
export function assertNoNul(text: string, what = 'The text'): void {
  const index = text.indexOf('\u0000');
  if (index === -1) return;
  throw new SourceError(
    'invalid_text',
    `${what} contains a NUL character (U+0000) at character ${index + 1}, which is not text and cannot be stored; remove it and try again.`,
  );
}

/**
 * A lone surrogate becomes U+FFFD, the replacement character, which is what decoding malformed
 * bytes yields (WHATWG Encoding) and so what storing the string as UTF-8 would do anyway: done
 * before hashing, the stored original, its hash and the preview a person saw agree.
 */
export const toWellFormed = (text: string): string => text.toWellFormed();

/**
 * Text derived from a source (extracted text, metadata), which escapes in its markup may have filled
 * with NUL or lone surrogates (`\u0000` in JSON-LD, `&#xD800;`): both become U+FFFD, so that a
 * person reviewing the draft sees where the page was broken.
 */
export const storableText = (text: string): string => text.toWellFormed().replaceAll('\u0000', '\ufffd');
