import { SourceError } from './SourceError.ts';

export const DEFAULT_MAX_SOURCE_BYTES = 5 * 1024 * 1024;

const MAGIC_NUMBERS: readonly { name: string; bytes: readonly number[] }[] = [
  { name: 'a PDF document', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { name: 'a PNG image', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { name: 'a ZIP archive (or a Word or OpenDocument file)', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'a GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: 'a JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { name: 'a gzip archive', bytes: [0x1f, 0x8b] },
];

/** Above this share of control characters, bytes that decode as text are still not prose. */
const MAX_CONTROL_SHARE = 0.1;

/** C0 control characters other than tab, line feed, form feed and carriage return, and DEL. */
function countControlCharacters(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) || code === 0x7f) count++;
  }
  return count;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}

export function formatBytes(count: number): string {
  // One decimal only where it says something: '1 MB', '1.5 MB', not '1.0 MB'.
  return count >= 1024 * 1024 ? `${Number((count / (1024 * 1024)).toFixed(1))} MB` : `${Math.ceil(count / 1024)} KB`;
}

export function tooLarge(maxBytes: number): SourceError {
  return new SourceError('source_too_large', `The source is larger than the limit of ${formatBytes(maxBytes)}.`);
}

/**
 * Decodes an uploaded or downloaded source to a string, refusing what is not text: too large
 * (checked first, before any work), empty, binary (known file signatures, NUL bytes, many control
 * characters), or not valid in its encoding. A byte order mark is dropped. `encoding` is a label
 * the WHATWG Encoding Standard knows (a charset from a Content-Type); UTF-8 by default.
 */
export function decodeSourceBytes(bytes: Uint8Array, opts: { maxBytes?: number; encoding?: string } = {}): string {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_SOURCE_BYTES;
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  if (bytes.byteLength === 0) throw new SourceError('empty_source', 'The file is empty.');
  for (const magic of MAGIC_NUMBERS) {
    if (startsWith(bytes, magic.bytes)) {
      throw new SourceError('binary_content', `The file is ${magic.name}, not text.`);
    }
  }
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    throw new SourceError('invalid_utf8', 'The file is UTF-16 text; save it as UTF-8 and import it again.');
  }
  if (bytes.includes(0)) throw new SourceError('binary_content', 'The file contains binary data, not text.');

  const encoding = opts.encoding?.trim().toLowerCase() || 'utf-8';
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new SourceError('invalid_utf8', `The text uses a character encoding that is not supported (${encoding}).`);
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new SourceError(
      'invalid_utf8',
      decoder.encoding === 'utf-8' ? 'The file is not valid UTF-8 text.' : `The file is not valid ${encoding} text.`,
    );
  }
  if (countControlCharacters(text) / text.length > MAX_CONTROL_SHARE) {
    throw new SourceError('binary_content', 'The file contains binary data, not text.');
  }
  if (text.trim() === '') throw new SourceError('empty_source', 'The file contains only blank space.');
  return text;
}
