import { endsLikeSentence, nonBlankLines, type TextLine, wordCount } from './textLines.ts';

/*
 * Patterns that recognise the parts of pasted news copy that are not the article: shared by
 * metadata extraction (which must not read a teaser as the byline) and cleaning proposals.
 */

export interface TextRange {
  start: number;
  end: number;
}

/** The " date 2024-03-05" marker that some clipping tools put before the copied text. */
const DATE_MARKER = /^date:?[ \t]+(\d{4})-(\d{2})-(\d{2})(?=\s|$)[ \t]*/i;

export function findDateMarker(text: string): (TextRange & { year: number; month: number; day: number }) | undefined {
  const leading = /^\s*/.exec(text)![0].length;
  const match = DATE_MARKER.exec(text.slice(leading));
  if (!match) return undefined;
  return {
    start: leading,
    end: leading + match[0].length,
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
  };
}

const BULLET = /^[•·▪◦*-]\s/;
export const BYLINE = /^By\s+(\p{Lu}.{1,118})$/u;

function looksLikeHeadline(line: string): boolean {
  if (line.length < 10 || line.length > 200) return false;
  const words = wordCount(line);
  if (words < 3 || words > 30) return false;
  // A headline may ask or exclaim, but does not end like a sentence of prose.
  if (endsLikeSentence(line) && !/[?!]["'”’]*$/.test(line)) return false;
  if (!/^[\p{Lu}\p{N}"'“‘]/u.test(line)) return false;
  return !BULLET.test(line) && !BYLINE.test(line);
}

/**
 * The headline, when the text starts with one: the first line (after a date marker), short and
 * not ending like a sentence, followed by more text. Copy that starts with the lede paragraph has
 * no headline in it, and a lede sentence is not a title.
 */
export function findHeadline(text: string): { title: string; line: TextLine } | undefined {
  const lines = nonBlankLines(text);
  const first = lines[0];
  if (!first || lines.length < 2) return undefined;
  const marker = findDateMarker(text);
  const title = (marker && marker.end <= first.end ? text.slice(marker.end, first.end) : first.text).trim();
  return looksLikeHeadline(title) ? { title, line: first } : undefined;
}

const READ_MORE = /\b(?:read more|continue reading|read the full (?:story|article))\s*(?:»|›|>>?|→|\.{3}|…)?$/i;
const TEASER_HEADER =
  /^(?:other news|news related|related(?: news| articles| stories| content| coverage)?|more (?:news|stories)|you (?:may|might) also like|recommended(?: for you| stories)?|read next|top stories|trending(?: now| stories)?|most (?:read|popular))\s*:?$/i;

function isTeaserHeadline(line: TextLine): boolean {
  return (
    !READ_MORE.test(line.text) && !endsLikeSentence(line.text) && wordCount(line.text) <= 25 && line.text.length <= 200
  );
}

export interface TeaserBlock extends TextRange {
  /** Index of the block's first and last line in the `lines` it was found in. */
  firstLine: number;
  lastLine: number;
  teasers: number;
}

/**
 * Runs of teasers for other articles, as portals append them after the article: a headline line,
 * then a blurb ending in "Read more »", repeated, often under a header such as "OTHER NEWS".
 */
export function findTeaserBlocks(lines: TextLine[]): TeaserBlock[] {
  const blocks: TeaserBlock[] = [];
  let index = 0;
  while (index < lines.length) {
    if (!READ_MORE.test(lines[index]!.text)) {
      index++;
      continue;
    }
    let firstLine = index > 0 && isTeaserHeadline(lines[index - 1]!) ? index - 1 : index;
    let lastLine = index;
    let teasers = 1;
    let next = index + 1;
    while (next < lines.length) {
      if (READ_MORE.test(lines[next]!.text)) {
        lastLine = next;
        next += 1;
      } else if (next + 1 < lines.length && isTeaserHeadline(lines[next]!) && READ_MORE.test(lines[next + 1]!.text)) {
        lastLine = next + 1;
        next += 2;
      } else {
        break;
      }
      teasers++;
    }
    while (firstLine > 0 && TEASER_HEADER.test(lines[firstLine - 1]!.text.trim())) firstLine--;
    blocks.push({ start: lines[firstLine]!.start, end: lines[lastLine]!.end, firstLine, lastLine, teasers });
    index = next;
  }
  return blocks;
}

/** Short labels left at the very end of the text after teasers ("Top List in the World"). */
export function findTrailingPortalLines(lines: TextLine[], afterLine: number): TextLine[] {
  const trailing = lines.slice(afterLine + 1);
  const allShortLabels = trailing.every(
    (line) => wordCount(line.text) <= 8 && line.text.length <= 80 && !endsLikeSentence(line.text),
  );
  return allShortLabels ? trailing : [];
}

/** A wire-feed id on the last line, e.g. a service name run into dates and serial numbers. */
export function findSyndicationId(lines: TextLine[]): TextLine | undefined {
  const last = lines.at(-1);
  if (!last || lines.length < 2) return undefined;
  const token = last.text.trim();
  if (!/^[A-Za-z][A-Za-z0-9_-]{11,}$/.test(token)) return undefined;
  const digits = token.replace(/\D/g, '').length;
  const letters = token.replace(/[^A-Za-z]/g, '').length;
  return digits >= 8 && letters >= 2 ? last : undefined;
}

/** The leading letters of a syndication id, which name the wire service (MENAFN…). */
export function syndicationPrefix(id: TextLine): string {
  return /^[A-Za-z]+/.exec(id.text.trim())![0];
}

/** The ranges of text that belong to teasers for other articles. */
export function foreignRanges(lines: TextLine[]): TextRange[] {
  return findTeaserBlocks(lines).map((block) => ({ start: block.start, end: block.end }));
}

export function insideAny(ranges: readonly TextRange[], offset: number): boolean {
  return ranges.some((range) => offset >= range.start && offset < range.end);
}
