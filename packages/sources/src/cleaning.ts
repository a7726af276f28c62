import { z } from 'zod';
import {
  findDateMarker,
  findHeadline,
  findSyndicationId,
  findTeaserBlocks,
  findTrailingPortalLines,
  type TextRange,
} from './articleSignals.ts';
import { normaliseText } from './normaliseText.ts';
import { SourceError } from './SourceError.ts';
import { endsLikeSentence, foldForComparison, nonBlankLines, type TextLine, wordCount } from './textLines.ts';

export const CLEANING_KINDS = [
  'clipping_header',
  'date_marker',
  'repeated_headline',
  'other_news',
  'syndication_id',
  'portal_boilerplate',
  'page_number',
] as const;
export type CleaningKind = (typeof CLEANING_KINDS)[number];

/** A proposed removal of `normalised.slice(start, end)`; nothing is removed until a person accepts it. */
export const CleaningProposalSchema = z.object({
  id: z.string(),
  kind: z.enum(CLEANING_KINDS),
  start: z.number().int(),
  end: z.number().int(),
  text: z.string(),
  reason: z.string(),
});
export type CleaningProposal = z.infer<typeof CleaningProposalSchema>;

/** Whole-line portal furniture that is never part of an article. */
const BOILERPLATE_LINE =
  /^(?:advertisement|advertising|sponsored(?: content)?|story continues below(?: advertisement)?|continue reading(?: below)?|scroll to continue(?: with content)?|share (?:this )?(?:article|story)|follow us on .{1,40}|sign up (?:for|to) (?:our|the) .{0,40}newsletters?.{0,40}|subscribe(?: now)?(?: to .{1,40})?|skip to (?:main )?content|listen to (?:this )?article.{0,20})$/i;
/** "WATCH | Germany probes…": a label and the title of a video or article, run into the text. */
const TEASER_LABEL = /^(?:WATCH|VIDEO|LISTEN|READ MORE|ALSO READ|READ ALSO|SEE ALSO|MUST READ|RELATED)\s*[|:]\s*/;
/** "NATO may have to fight Russia – Ukraine war live updates": a link to a live page. */
const LIVE_LINK = /\s[-–—|]\s[^-–—|]{0,60}\blive(?: updates?| blog| coverage| reports?)?$/i;
const OPENING_QUOTE = /\s(?=[“"‘«])/;

class ProposalList {
  readonly items: CleaningProposal[] = [];

  constructor(private readonly text: string) {}

  add(kind: CleaningKind, range: TextRange, reason: string): void {
    if (range.end <= range.start) return;
    const text = this.text.slice(range.start, range.end);
    this.items.push({ id: `${kind}:${range.start}`, kind, start: range.start, end: range.end, text, reason });
  }

  /** Whole lines, with the line break after them, so that removing them leaves no gap. */
  addLines(kind: CleaningKind, first: TextLine, last: TextLine, reason: string): void {
    const end = this.text[last.end] === '\n' ? last.end + 1 : last.end;
    this.add(kind, { start: first.start, end }, reason);
  }
}

function proposeDateMarker(text: string, proposals: ProposalList): void {
  const marker = findDateMarker(text);
  if (marker) {
    proposals.add(
      'date_marker',
      marker,
      'A date marker added when the text was clipped; the date is kept as metadata.',
    );
  }
}

function proposeRepeatedHeadlines(text: string, lines: TextLine[], title: string | undefined, proposals: ProposalList) {
  // The headline at the top is the article's own, however the page's markup spells its title.
  const titleLine = findHeadline(text)?.line;
  const foldedTitle = title ? foldForComparison(title) : '';
  const repeatCounts = new Map<string, number>();
  for (const line of lines) {
    const folded = foldForComparison(line.text);
    repeatCounts.set(folded, (repeatCounts.get(folded) ?? 0) + 1);
  }
  for (const line of lines) {
    if (line.start === titleLine?.start) continue;
    const folded = foldForComparison(line.text);
    // A portal banner repeats the headline, sometimes lower-cased and with a prefix ("microsoft, …").
    const repeatsTitle =
      foldedTitle.length >= 15 && folded.includes(foldedTitle) && folded.length <= foldedTitle.length + 40;
    const repeats = repeatCounts.get(folded)!;
    const repeatedLabel = repeats >= 2 && wordCount(line.text) >= 3 && !endsLikeSentence(line.text);
    if (repeatsTitle) {
      proposals.addLines('repeated_headline', line, line, 'This line repeats the headline, as portal banners do.');
    } else if (repeatedLabel) {
      proposals.addLines('repeated_headline', line, line, `This line appears ${repeats} times, like a portal banner.`);
    }
  }
}

function proposeTeasers(lines: TextLine[], proposals: ProposalList): void {
  const blocks = findTeaserBlocks(lines);
  for (const block of blocks) {
    const count = block.teasers === 1 ? 'a teaser' : `${block.teasers} teasers`;
    proposals.addLines(
      'other_news',
      lines[block.firstLine]!,
      lines[block.lastLine]!,
      `This block holds ${count} for other articles (ending in “Read more”), not part of this article.`,
    );
  }
  const lastBlock = blocks.at(-1);
  if (lastBlock) {
    for (const line of findTrailingPortalLines(lines, lastBlock.lastLine)) {
      proposals.addLines('portal_boilerplate', line, line, 'A portal label after the end of the article.');
    }
  }
  for (const line of lines) {
    if (LIVE_LINK.test(line.text) && !endsLikeSentence(line.text) && wordCount(line.text) <= 25) {
      proposals.addLines('other_news', line, line, 'A link to another page (live coverage), not part of this article.');
    }
    const label = TEASER_LABEL.exec(line.text);
    if (!label) continue;
    const reason = 'A teaser for a video or another article, embedded in the page.';
    if (line.text.length <= 160) {
      proposals.addLines('other_news', line, line, reason);
      continue;
    }
    // The teaser's title runs into the paragraph that follows; it ends where a quotation opens.
    const quote = OPENING_QUOTE.exec(line.text.slice(label[0].length, 200));
    if (quote)
      proposals.add('other_news', { start: line.start, end: line.start + label[0].length + quote.index + 1 }, reason);
  }
}

function proposeBoilerplate(lines: TextLine[], proposals: ProposalList): void {
  for (const line of lines) {
    if (BOILERPLATE_LINE.test(line.text.trim())) {
      proposals.addLines('portal_boilerplate', line, line, 'Page furniture from the website, not part of the article.');
    }
  }
}

/** "3", "- 3 -", "Page 3", "Page 3 of 50", "3 / 50": a page number on a line of its own. */
const PAGE_NUMBER = /^(?:(?:page|p\.)\s*)?\d{1,4}(?:\s*(?:\/|of)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$/i;

/** Page numbers left in the text of a PDF; one number alone is as likely part of the text. */
function proposePageNumbers(lines: TextLine[], proposals: ProposalList): void {
  const numbers = lines.filter((line) => PAGE_NUMBER.test(line.text.trim()));
  if (numbers.length < 2) return;
  for (const line of numbers) proposals.addLines('page_number', line, line, 'A page number from the printed pages.');
}

function proposeSyndicationId(lines: TextLine[], proposals: ProposalList): void {
  const id = findSyndicationId(lines);
  if (id) proposals.addLines('syndication_id', id, id, 'A wire-service tracking id at the end of the text.');
}

/**
 * Proposes removals of what is not the article: a clipping date marker, repeated portal headlines,
 * teasers for other news, a trailing wire id, page furniture. Offsets are into `normalised`; the
 * proposals never overlap, come in text order, and none is applied here.
 */
export function proposeCleaning(
  normalised: string,
  hints: { title?: string; headerLength?: number } = {},
): CleaningProposal[] {
  if (hints.headerLength) return proposeAfterHeader(normalised, hints.headerLength, hints.title);
  const lines = nonBlankLines(normalised);
  const proposals = new ProposalList(normalised);
  proposeDateMarker(normalised, proposals);
  proposeSyndicationId(lines, proposals);
  proposeRepeatedHeadlines(normalised, lines, hints.title ?? findHeadline(normalised)?.title, proposals);
  proposeTeasers(lines, proposals);
  proposeBoilerplate(lines, proposals);
  proposePageNumbers(lines, proposals);
  // The widest proposal wins where detectors overlap (a repeated headline inside a teaser block);
  // for the same range, the detector that ran first names it.
  const sorted = proposals.items.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: CleaningProposal[] = [];
  for (const proposal of sorted) {
    const previous = kept.at(-1);
    if (!previous || proposal.start >= previous.end) kept.push(proposal);
  }
  return kept;
}

/**
 * A clipping header's lines are proposed as one removal (up to the article's first line); the
 * article after it is looked at as if it started the text, so its own headline is kept.
 */
function proposeAfterHeader(normalised: string, headerLength: number, title: string | undefined): CleaningProposal[] {
  const bodyStart = headerLength + /^\s*/.exec(normalised.slice(headerLength))![0].length;
  const header: CleaningProposal = {
    id: 'clipping_header:0',
    kind: 'clipping_header',
    start: 0,
    end: bodyStart,
    text: normalised.slice(0, bodyStart),
    reason: 'The metadata header a clipping or note app wrote above the article; what it states is kept as metadata.',
  };
  const inBody = proposeCleaning(normalised.slice(bodyStart), title ? { title } : {});
  return [
    header,
    ...inBody.map((p) => ({
      ...p,
      id: `${p.kind}:${p.start + bodyStart}`,
      start: p.start + bodyStart,
      end: p.end + bodyStart,
    })),
  ];
}

function invalid(message: string): SourceError {
  return new SourceError('invalid_cleaning', message);
}

/**
 * Removes the accepted proposals from `normalised` and normalises the result. Throws
 * `invalid_cleaning` when the proposals do not fit this text: one out of range or no longer matching
 * the text there, two overlapping or sharing an id, or an accepted id that was never proposed.
 */
export function applyCleaning(
  normalised: string,
  proposals: CleaningProposal[],
  acceptedIds: Iterable<string>,
): string {
  const byId = new Map<string, CleaningProposal>();
  for (const proposal of proposals) {
    const { start, end } = proposal;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > normalised.length || start >= end) {
      throw invalid('A cleaning proposal points outside the source text.');
    }
    if (normalised.slice(start, end) !== proposal.text) {
      throw invalid('A cleaning proposal no longer matches the source text.');
    }
    if (byId.has(proposal.id)) throw invalid('Two cleaning proposals have the same id.');
    byId.set(proposal.id, proposal);
  }
  const ordered = [...proposals].sort((a, b) => a.start - b.start);
  for (let index = 1; index < ordered.length; index++) {
    if (ordered[index]!.start < ordered[index - 1]!.end) throw invalid('Two cleaning proposals overlap.');
  }
  const accepted = new Set<CleaningProposal>();
  for (const id of acceptedIds) {
    const proposal = byId.get(id);
    if (!proposal) throw invalid('An accepted cleaning proposal does not exist.');
    accepted.add(proposal);
  }
  let result = '';
  let cursor = 0;
  for (const proposal of ordered) {
    if (!accepted.has(proposal)) continue;
    result += normalised.slice(cursor, proposal.start);
    cursor = proposal.end;
  }
  return normaliseText(result + normalised.slice(cursor));
}
