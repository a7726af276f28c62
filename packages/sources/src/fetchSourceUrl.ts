import type { LookupFunction } from 'node:net';
import { base64FromBytes } from './base64.ts';
import { DEFAULT_MAX_SOURCE_BYTES, decodeSourceBytes, tooLarge } from './decodeSourceBytes.ts';
import { formatFromContentType, mediaType } from './formatFromName.ts';
import { guardedFetch } from './guardedFetch.ts';
import { assertPublicHost } from './networkGuard.ts';
import { SourceError } from './SourceError.ts';
import { isFileFormat, type SourceFormat } from './types.ts';

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;
export const MAX_REDIRECTS = 5;

export interface FetchedSource {
  /** The decoded text; for PDF and DOCX, the file's bytes in base64. */
  content: string;
  format: SourceFormat;
  /** The address after redirects. */
  finalUrl: string;
}

function unreachable(reason: string): SourceError {
  return new SourceError('url_unreachable', `The address could not be reached: ${reason}.`);
}

function networkReason(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code ?? (error as { code?: unknown } | null)?.code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name was not found';
  if (code === 'ECONNREFUSED') return 'the server refused the connection';
  if (code === 'ECONNRESET') return 'the connection was reset';
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return message.replace(/\.$/, '') || 'the network request failed';
}

function parseHttpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SourceError('invalid_url', 'The address is not a valid web address.');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SourceError('invalid_url', 'Only http and https addresses can be imported.');
  }
  if (parsed.username || parsed.password) {
    throw new SourceError('invalid_url', 'Addresses with a user name or password cannot be imported.');
  }
  return parsed;
}

async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

export interface FetchSourceOptions {
  maxBytes?: number;
  timeoutMs?: number;
  /** Replaces the transport (tests); the checked one below by default. */
  fetchImpl?: typeof fetch;
  allowPrivateNetwork?: boolean;
  /** Resolves host names, for the check before connecting and for the connection; the system's by default. */
  lookup?: LookupFunction;
}

/**
 * Downloads a web page, text file, PDF or Word document for import. Only http(s); the whole
 * exchange, body included, must finish within `timeoutMs`; the body is read as a stream and
 * abandoned past `maxBytes`. The Content-Type decides the format (HTML, plain text, Markdown, PDF,
 * DOCX; anything else is refused) and its charset the decoding.
 *
 * Unless `allowPrivateNetwork`, every hop (redirects are followed here, at most MAX_REDIRECTS)
 * must resolve to public addresses only, so a user cannot make the server fetch from its own
 * network (internal services, cloud metadata): checked before connecting, for a clear error, and
 * again by the connection itself for the address it connects to (guardedFetch), so that a name
 * resolving elsewhere between the two (DNS rebinding) is caught.
 */
export async function fetchSourceUrl(url: string, opts: FetchSourceOptions = {}): Promise<FetchedSource> {
  let parsed = parseHttpUrl(url);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_SOURCE_BYTES;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const fetchImpl =
    opts.fetchImpl ??
    guardedFetch({
      ...(opts.allowPrivateNetwork ? { allowPrivateNetwork: true } : {}),
      ...(opts.lookup ? { lookup: opts.lookup } : {}),
    });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const timedOut = () => unreachable(`the server did not answer within ${timeoutMs / 1000} seconds`);
  try {
    let response: Response;
    for (let hop = 0; ; hop++) {
      if (!opts.allowPrivateNetwork) await assertPublicHost(parsed, opts.lookup);
      try {
        response = await fetchImpl(parsed.href, {
          signal: controller.signal,
          redirect: 'manual',
          headers: {
            accept:
              'text/html, text/plain;q=0.9, text/markdown;q=0.9, application/pdf;q=0.8, application/vnd.openxmlformats-officedocument.wordprocessingml.document;q=0.8',
          },
        });
      } catch (error) {
        if (error instanceof SourceError) throw error;
        throw controller.signal.aborted ? timedOut() : unreachable(networkReason(error));
      }
      const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : null;
      if (!location) break;
      await response.body?.cancel().catch(() => {});
      if (hop >= MAX_REDIRECTS) throw unreachable(`it redirected more than ${MAX_REDIRECTS} times`);
      parsed = parseHttpUrl(new URL(location, parsed).href);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
      throw unreachable(`the server answered with status ${status}`);
    }
    const contentType = response.headers.get('content-type');
    const format = contentType ? formatFromContentType(contentType) : undefined;
    if (!format) {
      await response.body?.cancel().catch(() => {});
      throw new SourceError(
        'unsupported_format',
        contentType
          ? `The address returns ${mediaType(contentType)} content; only web pages, plain text, Markdown, PDF and Word documents can be imported.`
          : 'The server did not say what kind of content the address returns.',
      );
    }
    const declaredLength = Number(response.headers.get('content-length'));
    if (Number.isFinite(declaredLength) && declaredLength > maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    let bytes: Uint8Array;
    try {
      bytes = await readCapped(response.body, maxBytes);
    } catch (error) {
      if (error instanceof SourceError) throw error;
      throw controller.signal.aborted ? timedOut() : unreachable(networkReason(error));
    }
    if (isFileFormat(format)) {
      if (bytes.byteLength === 0) throw new SourceError('empty_source', 'The file is empty.');
      return { content: base64FromBytes(bytes), format, finalUrl: parsed.href };
    }
    const charset = /;\s*charset=["']?([^"';\s]+)/i.exec(contentType ?? '')?.[1];
    const content = decodeSourceBytes(bytes, charset ? { maxBytes, encoding: charset } : { maxBytes });
    return { content, format, finalUrl: parsed.href };
  } finally {
    clearTimeout(timer);
  }
}
