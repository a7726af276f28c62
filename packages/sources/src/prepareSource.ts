import { Readability } from '@mozilla/readability';
import { proposeCleaning } from './cleaning.ts';
import { type ClippingHeader, readClippingHeader } from './clippingHeader.ts';
import { type CslItem, type CslName, cslDateFromInstant, publisherFromUrl } from './csl.ts';
import { DEFAULT_MAX_SOURCE_BYTES, tooLarge } from './decodeSourceBytes.ts';
import { type DomNode, parseHtmlDocument } from './dom.ts';
import { type HtmlMetadata, htmlMetadata, nameFromByline } from './htmlMetadata.ts';
import { htmlToText } from './htmlToText.ts';
import { markdownToText } from './markdownToText.ts';
import { metadataFromText } from './metadataFromText.ts';
import { normaliseText } from './normaliseText.ts';
import { SourceError } from './SourceError.ts';
import { sha256Hex } from './sha256Hex.ts';
import { assertNoNul, storableText, toWellFormed } from './storableText.ts';
import type { SourceDraft, SourceFormat } from './types.ts';

/** Below this many characters of text, what Readability found is navigation, not an article. */
export const MIN_ARTICLE_CHARS = 200;

export interface PrepareSourceInput {
  format: SourceFormat;
  /** The decoded original: plain text, Markdown or a whole HTML page. */
  content: string;
  /** Where the source was fetched from; cited as its URL. */
  url?: string;
  /** When it was accessed; now by default. */
  accessed?: Date;
  /** UTF-8 size limit of `content`; DEFAULT_MAX_SOURCE_BYTES by default. */
  maxBytes?: number;
}

interface Extracted {
  text: string;
  markup?: HtmlMetadata | undefined;
}

function noArticle(): SourceError {
  return new SourceError('no_article_body', 'No article text was found on this page.');
}

function extractHtml(content: string, url: string | undefined): Extracted {
  const document = parseHtmlDocument(content);
  // Read the markup first: Readability rewrites the document it is given.
  const markup = htmlMetadata(document, url);
  const article = new Readability<DomNode>(document as never, {
    serializer: (node) => node as unknown as DomNode,
  }).parse();
  const text = article?.content ? normaliseText(htmlToText(article.content)) : '';
  if (text.length < MIN_ARTICLE_CHARS) throw noArticle();
  if (!markup.title && article?.title) markup.title = article.title;
  if (!markup.siteName && article?.siteName) markup.siteName = article.siteName;
  if (!markup.authors && article?.byline) {
    const authors = nameFromByline(article.byline);
    if (authors.length > 0) markup.authors = authors;
  }
  return { text, markup };
}

function extract(input: PrepareSourceInput): Extracted {
  switch (input.format) {
    case 'text':
      return { text: input.content };
    case 'markdown': {
      const { text, title } = markdownToText(input.content);
      return title ? { text, markup: { title } } : { text };
    }
    case 'html':
      return extractHtml(input.content, input.url);
    default:
      throw new SourceError('unsupported_format', 'This kind of source cannot be imported.');
  }
}

const storableName = (name: CslName): CslName =>
  Object.fromEntries(Object.entries(name).map(([part, value]) => [part, storableText(value)])) as CslName;

/**
 * The citation: what the source states about itself (a clipping header, then the markup or the
 * file's properties), then what its text gives away. The publisher, when nothing names it, is the
 * host of the address it came from.
 */
function citation(
  stated: ClippingHeader['metadata'] | undefined,
  markup: HtmlMetadata | undefined,
  fromText: CslItem,
  input: { url?: string | undefined; accessed?: Date | undefined },
): CslItem {
  const title = storableText(stated?.title ?? markup?.title ?? fromText.title ?? '');
  const url = input.url ?? stated?.URL ?? markup?.canonicalUrl;
  const namedPublisher = storableText(
    stated?.['container-title'] ?? markup?.siteName ?? fromText['container-title'] ?? '',
  );
  const containerTitle = namedPublisher || publisherFromUrl(url) || '';
  const author: CslName[] | undefined = (stated?.author ?? markup?.authors ?? fromText.author)?.map(storableName);
  const issued = stated?.issued ?? markup?.published ?? fromText.issued;
  // A host alone does not make a page a newspaper article.
  const item: CslItem = { type: namedPublisher || issued ? 'article-newspaper' : 'document' };
  if (title) item.title = title;
  if (containerTitle) item['container-title'] = containerTitle;
  if (author && author.length > 0) item.author = author;
  if (issued) item.issued = issued;
  item.accessed = input.accessed
    ? cslDateFromInstant(input.accessed)
    : (stated?.accessed ?? cslDateFromInstant(new Date()));
  if (url) item.URL = url;
  return item;
}

/** What an extractor read from a source, before the steps every format shares. */
export interface ExtractedSource {
  /** The text a reader sees, not yet normalised. */
  text: string;
  /** What the source states about itself: its markup, or its file's properties. */
  markup?: HtmlMetadata | undefined;
  /** A clipping header before the text, kept at the top of the text for a person to remove. */
  header?: { text: string; metadata: ClippingHeader['metadata'] } | undefined;
}

/**
 * The steps every format shares once its text is extracted: normalisation, metadata (stated
 * first, read from the text second) and cleaning proposals, none applied. A clipping header stays
 * at the top of the text, separated by a blank line, and is proposed for removal.
 */
export function draftFromExtracted(
  extracted: ExtractedSource,
  source: Pick<SourceDraft, 'format' | 'raw' | 'rawSha256'>,
  input: { url?: string | undefined; accessed?: Date | undefined },
): SourceDraft {
  const body = normaliseText(storableText(extracted.text));
  if (body === '') throw new SourceError('empty_source', 'The source contains no text.');
  const header = extracted.header ? normaliseText(storableText(extracted.header.text)) : '';
  const normalised = header ? `${header}\n\n${body}` : body;
  const metadata = citation(extracted.header?.metadata, extracted.markup, metadataFromText(body), input);
  return {
    ...source,
    normalised,
    proposals: proposeCleaning(normalised, {
      ...(metadata.title ? { title: metadata.title } : {}),
      ...(header ? { headerLength: header.length } : {}),
    }),
    metadata,
  };
}

/**
 * Turns a decoded source into a draft for review: the plain text a reader sees (Readability's
 * article for a page, Markdown without its syntax, text as is), normalised; cleaning proposals
 * (none applied); and best-effort citation metadata: a clipping header or the page's markup first,
 * the text second. Only plain text comes out: no markup from a source is ever kept for display.
 */
export function prepareSource(input: PrepareSourceInput): SourceDraft {
  const maxBytes = input.maxBytes ?? DEFAULT_MAX_SOURCE_BYTES;
  if (Buffer.byteLength(input.content, 'utf8') > maxBytes) throw tooLarge(maxBytes);
  if (input.content.trim() === '') throw new SourceError('empty_source', 'The source is empty.');
  assertNoNul(input.content);
  const raw = toWellFormed(input.content);
  // A page states its metadata in its markup; text and Markdown may open with a clipping header.
  const header = input.format === 'html' ? null : readClippingHeader(raw);
  const extracted = extract({ ...input, content: header ? raw.slice(header.length) : raw });
  return draftFromExtracted(
    { ...extracted, header: header ? { text: raw.slice(0, header.length), metadata: header.metadata } : undefined },
    { format: input.format, raw, rawSha256: sha256Hex(raw) },
    input,
  );
}
