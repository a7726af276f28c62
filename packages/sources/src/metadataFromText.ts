import {
  BYLINE,
  findDateMarker,
  findHeadline,
  findSyndicationId,
  foreignRanges,
  insideAny,
  syndicationPrefix,
  type TextRange,
} from './articleSignals.ts';
import { type CslDate, type CslItem, type CslName, cslDate, cslDateFromIso, cslNameFromString } from './csl.ts';
import { knownPublisher, SELF_REFERENCE } from './publishers.ts';
import { endsLikeSentence, nonBlankLines, type TextLine, wordCount } from './textLines.ts';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const HEAD_LINES = 10;

function monthNumber(name: string): number | undefined {
  const index = MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  return index === -1 ? undefined : index + 1;
}

/** "2024-03-02", "March 2, 2024", "Mar. 2, 2024" or "2 March 2024". */
export function parseWrittenDate(text: string): CslDate | undefined {
  const iso = cslDateFromIso(text);
  if (iso) return iso;
  const monthFirst = /^([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})\b/.exec(text);
  if (monthFirst) {
    const month = monthNumber(monthFirst[1]!);
    return month ? cslDate(Number(monthFirst[3]), month, Number(monthFirst[2])) : undefined;
  }
  const dayFirst = /^(\d{1,2}) ([A-Za-z]{3,9})\.?,? (\d{4})\b/.exec(text);
  if (dayFirst) {
    const month = monthNumber(dayFirst[2]!);
    return month ? cslDate(Number(dayFirst[3]), month, Number(dayFirst[1])) : undefined;
  }
  return undefined;
}

function issuedDate(text: string, lines: TextLine[]): CslDate | undefined {
  const marker = findDateMarker(text);
  if (marker) {
    const date = cslDate(marker.year, marker.month, marker.day);
    if (date) return date;
  }
  for (const line of lines.slice(0, HEAD_LINES)) {
    const published = /^(?:first )?(?:published|posted|updated)(?: on)?:?\s+(.+)$/i.exec(line.text.trim());
    const date = published && parseWrittenDate(published[1]!);
    if (date) return date;
  }
  return undefined;
}

const NAME_LIST_SEPARATOR = /\s*(?:,|&|\band\b)\s*/;
const WRITE_TO_NAME = /(\p{Lu}[\p{L}\p{M}'’.-]*(?:\s+\p{Lu}[\p{L}\p{M}'’.-]*){1,3})\s+at\b/gu;

function authors(lines: TextLine[], foreign: readonly TextRange[]): CslName[] {
  const names: string[] = [];
  for (const line of lines.slice(0, HEAD_LINES)) {
    const byline = BYLINE.exec(line.text.trim());
    // "By Tuesday, the army had…" is a sentence, not a byline.
    if (!byline || endsLikeSentence(line.text) || wordCount(line.text) > 12) continue;
    // "By Jane Doe in Kyiv | Reuters": the names stop where the place or desk starts.
    const namePart = byline[1]!.split(/\s+(?:in|for)\s+|\s*[|—–]\s*|\s+-\s+/)[0]!;
    names.push(...namePart.split(NAME_LIST_SEPARATOR));
  }
  for (const line of lines) {
    if (insideAny(foreign, line.start) || !line.text.startsWith('Write to ')) continue;
    for (const match of line.text.matchAll(WRITE_TO_NAME)) names.push(match[1]!);
  }
  const unique = [...new Set(names.map((name) => name.trim()).filter((name) => name !== '' && !knownPublisher(name)))];
  return unique.flatMap((name) => {
    const parsed = cslNameFromString(name);
    return parsed ? [parsed] : [];
  });
}

/** "(MENAFN) In a startling…", "LONDON (Reuters) - …": the credit before the lede. */
const WIRE_CREDIT = /^(?:\p{Lu}[\p{Lu} .,'-]{1,40}\s)?\(([\p{L}][\p{L} .&'-]{1,40})\)\s/u;
const COPYRIGHT =
  /^(?:©|\(c\)|copyright)\s*(?:\d{4}\s+)?(?:by\s+)?(\p{Lu}[\p{L}\p{N}&.' -]{1,60}?)(?:[.,;]|\s+all rights reserved|$)/imu;

function publisher(text: string, lines: TextLine[], foreign: readonly TextRange[]): string | undefined {
  const marker = findDateMarker(text);
  const firstBodyLine = lines.find((line) => !marker || line.end > marker.end);
  if (firstBodyLine) {
    const bodyStart = marker && marker.end > firstBodyLine.start ? marker.end : firstBodyLine.start;
    const credit = WIRE_CREDIT.exec(text.slice(bodyStart, firstBodyLine.end));
    if (credit && !/\d/.test(credit[1]!)) return knownPublisher(credit[1]!) ?? credit[1]!.trim();
  }
  const syndication = findSyndicationId(lines);
  const wire = syndication && knownPublisher(syndicationPrefix(syndication));
  if (wire) return wire;
  const body = lines.filter((line) => !insideAny(foreign, line.start));
  for (const line of body) {
    const copyright = COPYRIGHT.exec(line.text);
    if (copyright) return knownPublisher(copyright[1]!) ?? copyright[1]!.trim();
  }
  for (const line of body) {
    for (const match of line.text.matchAll(SELF_REFERENCE)) {
      const name = knownPublisher(match[1]!);
      if (name) return name;
    }
  }
  return undefined;
}

/**
 * Best-effort citation metadata from the text alone, for sources that carry no markup: the date
 * marker or a "Published …" line, a byline or "Write to … at" footer, the publisher where the text
 * names it (wire credit, wire id, copyright line, a paper naming itself), and the headline when the
 * text starts with one. Text inside teasers for other articles is never read.
 */
export function metadataFromText(normalised: string): CslItem {
  const lines = nonBlankLines(normalised);
  const foreign = foreignRanges(lines);
  const title = findHeadline(normalised)?.title;
  const issued = issuedDate(normalised, lines);
  const author = authors(lines, foreign);
  const containerTitle = publisher(normalised, lines, foreign);
  const item: CslItem = { type: containerTitle || issued ? 'article-newspaper' : 'document' };
  if (title) item.title = title;
  if (containerTitle) item['container-title'] = containerTitle;
  if (author.length > 0) item.author = author;
  if (issued) item.issued = issued;
  return item;
}
