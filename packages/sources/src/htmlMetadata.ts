import { type CslDate, type CslName, cslDateFromIso, cslNameFromString } from './csl.ts';
import type { DomDocument } from './dom.ts';

/** What a web page says about itself in its markup. Every field is optional. */
export interface HtmlMetadata {
  title?: string;
  siteName?: string;
  authors?: CslName[];
  published?: CslDate;
  canonicalUrl?: string;
}

type JsonObject = Record<string, unknown>;

const ARTICLE_TYPES =
  /^(?:NewsArticle|Article|ReportageNewsArticle|AnalysisNewsArticle|OpinionNewsArticle|BackgroundNewsArticle|LiveBlogPosting|BlogPosting|Report|ScholarlyArticle|TechArticle)$/;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.replace(/\s+/g, ' ').trim();
  return trimmed === '' ? undefined : trimmed;
}

function jsonLdObjects(value: unknown): JsonObject[] {
  if (Array.isArray(value)) return value.flatMap(jsonLdObjects);
  if (!isObject(value)) return [];
  return [value, ...jsonLdObjects(value['@graph'])];
}

function hasArticleType(object: JsonObject): boolean {
  const types = Array.isArray(object['@type']) ? object['@type'] : [object['@type']];
  return types.some((type) => typeof type === 'string' && ARTICLE_TYPES.test(type));
}

/** The page's schema.org article, read as data: JSON-LD is parsed, never evaluated. */
function jsonLdArticle(document: DomDocument): JsonObject | undefined {
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    let data: unknown;
    try {
      data = JSON.parse(script.textContent ?? '');
    } catch {
      continue;
    }
    const article = jsonLdObjects(data).find(hasArticleType);
    if (article) return article;
  }
  return undefined;
}

function personName(value: unknown): CslName | undefined {
  if (typeof value === 'string') return nameFromByline(value)[0];
  if (!isObject(value)) return undefined;
  const name = text(value.name);
  if (!name) return undefined;
  const isOrganisation = value['@type'] === 'Organization' || value['@type'] === 'NewsMediaOrganization';
  return isOrganisation ? { literal: name } : cslNameFromString(name);
}

function jsonLdAuthors(value: unknown): CslName[] {
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((entry) => {
    const name = personName(entry);
    return name ? [name] : [];
  });
}

/** "By Jane Doe and John Roe", "Jane Doe, John Roe": one name each; profile URLs are not names. */
export function nameFromByline(byline: string): CslName[] {
  return byline
    .replace(/^\s*by\s+/i, '')
    .split(/\s*(?:,|&|\band\b)\s*/)
    .filter((part) => part !== '' && !/^https?:\/\//i.test(part))
    .flatMap((part) => {
      const name = cslNameFromString(part);
      return name ? [name] : [];
    });
}

function metaContents(document: DomDocument): Map<string, string> {
  const contents = new Map<string, string>();
  for (const meta of document.querySelectorAll('meta')) {
    const key = (meta.getAttribute('property') ?? meta.getAttribute('name') ?? meta.getAttribute('itemprop'))
      ?.trim()
      .toLowerCase();
    const content = text(meta.getAttribute('content'));
    if (key && content && !contents.has(key)) contents.set(key, content);
  }
  return contents;
}

function httpUrl(value: string | null | undefined, base: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value.trim(), base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** "Headline | Site" or "Headline - Site" from <title>, without the site's name. */
function withoutSiteSuffix(title: string, siteName: string | undefined): string {
  if (!siteName) return title;
  const suffix = new RegExp(`\\s+[|\\-–—:·]\\s+${siteName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i');
  return title.replace(suffix, '');
}

/**
 * Citation metadata from the page's markup, most specific first: schema.org JSON-LD (NewsArticle:
 * headline, datePublished, author, publisher.name), then Open Graph and article meta tags
 * (og:title, og:site_name, article:published_time), then `<meta name=author>`, `<title>`, and
 * `<link rel=canonical>` (or og:url, resolved against `pageUrl`) for the address.
 */
export function htmlMetadata(document: DomDocument, pageUrl?: string): HtmlMetadata {
  const article = jsonLdArticle(document);
  const meta = metaContents(document);
  const publisher = article?.publisher;
  const siteName =
    (isObject(publisher) ? text(publisher.name) : text(publisher)) ??
    meta.get('og:site_name') ??
    meta.get('application-name');
  const pageTitle = text(document.querySelector('title')?.textContent);
  const title =
    text(article?.headline) ??
    meta.get('og:title') ??
    meta.get('twitter:title') ??
    (pageTitle ? withoutSiteSuffix(pageTitle, siteName) : undefined);
  const jsonLdNames = article ? jsonLdAuthors(article.author) : [];
  const metaAuthor = meta.get('author') ?? meta.get('article:author') ?? meta.get('dc.creator');
  const authors = jsonLdNames.length > 0 ? jsonLdNames : metaAuthor ? nameFromByline(metaAuthor) : [];
  const publishedValue =
    text(article?.datePublished) ??
    meta.get('article:published_time') ??
    meta.get('datepublished') ??
    meta.get('date') ??
    meta.get('dc.date') ??
    text(document.querySelector('time[datetime]')?.getAttribute('datetime'));
  const published = publishedValue ? cslDateFromIso(publishedValue) : undefined;
  const canonicalUrl =
    httpUrl(document.querySelector('link[rel="canonical"]')?.getAttribute('href'), pageUrl) ??
    httpUrl(meta.get('og:url'), pageUrl);

  const result: HtmlMetadata = {};
  if (title) result.title = title;
  if (siteName) result.siteName = siteName;
  if (authors.length > 0) result.authors = authors;
  if (published) result.published = published;
  if (canonicalUrl) result.canonicalUrl = canonicalUrl;
  return result;
}
