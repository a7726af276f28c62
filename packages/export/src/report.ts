import {
  type BriefingJSON,
  BriefingJSONSchema,
  LESSON_FIELD_LABELS,
  LESSON_FIELDS,
  type RichTextNode,
  UNANCHORED_STATUSES,
} from '@debrief/briefing';
import { type CslItem, CslItemSchema, type ExcerptClaim, verifyExcerpt } from '@debrief/sources';
import { z } from 'zod';
import { formatCitations } from './citations.ts';
import { CITATION_STYLES, type CitationStyle } from './contract.ts';
import { ExportError } from './ExportError.ts';

/**
 * The report every format renders: the briefing's toJSON read into cover, contents, blocks,
 * numbered notes, bibliography and appendices, with every excerpt re-checked against its source.
 * Renderers only lay this out; none of them reads the briefing or decides content.
 */

export const ExportSourceSchema = z.object({
  id: z.string(),
  csl: CslItemSchema,
  url: z.string().nullable(),
  /** The source's normalised text, what excerpts quote and are re-checked against. */
  text: z.string(),
  textSha256: z.string(),
});
export type ExportSource = z.infer<typeof ExportSourceSchema>;

export const ExportOptionsSchema = z.object({
  style: z.enum(CITATION_STYLES).default('chicago'),
  /** Open comment threads in an annex. */
  comments: z.boolean().default(false),
});
export type ExportOptions = z.infer<typeof ExportOptionsSchema>;

export interface ExportInput {
  briefing: BriefingJSON;
  /** The sources the briefing cites (others are ignored). */
  sources: ExportSource[];
  options: ExportOptions;
  /** When the export was made, ISO 8601: the cover's date. */
  exportedAt: string;
  /** The named version exported, or null for the briefing as it is now. */
  versionLabel: string | null;
}

export type Inline =
  | { text: string; bold?: true; italic?: true; underline?: true; strike?: true; code?: true; href?: string }
  | { break: true };

export type Block =
  /** 1: a section (and the report's own parts), 2: a lesson, 3: a lesson's field, 4: a heading in a body. */
  | { kind: 'heading'; level: 1 | 2 | 3 | 4; text: string; anchor: string }
  | { kind: 'paragraph'; inlines: Inline[] }
  | { kind: 'list'; ordered: boolean; start: number; items: Block[][] }
  | { kind: 'quote'; blocks: Block[] }
  | { kind: 'code'; text: string }
  | { kind: 'rule' }
  | { kind: 'excerpt'; excerptId: string; quote: string; note: number; flag: string | null; comment: string }
  | { kind: 'fields'; rows: Array<[string, string]> };

export interface Note {
  number: number;
  excerptId: string;
  sourceId: string;
  /** The source's number in the appendix of sources. */
  sourceNumber: number;
  text: string;
  flag: string | null;
}

export interface CheckedExcerpt extends ExcerptClaim {
  excerptId: string;
  sourceId: string;
  note: number;
  sourceNumber: number;
  /** What the export's own check found (the stored verdict may be older). */
  status: string;
  statusReason: string | null;
  flagged: boolean;
  /** Where the excerpt is: the section's or lesson's heading. */
  where: string;
}

export interface AppendixEntry {
  number: number;
  sourceId: string;
  title: string;
  url: string | null;
  accessed: string | null;
  textSha256: string;
}

export interface CommentEntry {
  quote: string;
  messages: Array<{ author: string; createdAt: string; body: string }>;
}

export interface Report {
  title: string;
  /** Printed at the top and bottom of every page: classification and/or TLP label, or null. */
  marking: string | null;
  draft: boolean;
  cover: Array<[string, string]>;
  contents: Array<{ level: 1 | 2; text: string; anchor: string }>;
  blocks: Block[];
  notes: Note[];
  bibliography: string[];
  appendix: AppendixEntry[];
  comments: CommentEntry[] | null;
  excerpts: CheckedExcerpt[];
  style: CitationStyle;
}

export const STATUS_LABELS: Record<string, string> = { draft: 'Draft', in_review: 'In review', final: 'Final' };
const LESSON_STATUS_LABELS: Record<string, string> = {
  observation: 'Observation',
  lesson_identified: 'Lesson identified',
  action_planned: 'Action planned',
  lesson_learned: 'Lesson learned',
  rejected: 'Rejected',
};

const FLAG_LABELS: Record<string, string> = {
  fuzzy: 'the quote matches its source only approximately',
  orphaned: 'the quote was not found in its source',
  modified: 'the quote was changed after it was taken',
  invalid: 'the excerpt is not in a valid shape',
  pending: 'the excerpt was never checked',
};

/** The words printed beside a quote that failed the integrity check. */
export const flagText = (status: string, reason: string | null) =>
  `INTEGRITY WARNING (${status}): ${reason ?? FLAG_LABELS[status] ?? status}.`;

const dateOf = (parts: CslItem['accessed']) => {
  const [y, m, d] = parts?.['date-parts'][0] ?? [];
  if (y === undefined) return null;
  return [y, m, d]
    .filter((part) => part !== undefined)
    .map((part, i) => String(part).padStart(i === 0 ? 4 : 2, '0'))
    .join('-');
};

export function markingText(marking: BriefingJSON['marking']): string | null {
  return [marking.classification, marking.tlp].filter(Boolean).join(' // ') || null;
}

const KNOWN_MARKS = new Set(['bold', 'italic', 'underline', 'strike', 'code', 'link']);
const SAFE_LINK = /^(https?:|mailto:)/i;

function unknownContent(what: string): never {
  throw new ExportError(
    'export_unknown_content',
    `The briefing holds ${what}, which export cannot render; nothing was exported rather than leave it out.`,
  );
}

class ReportBuilder {
  readonly blocks: Block[] = [];
  readonly notes: Note[] = [];
  readonly excerpts: CheckedExcerpt[] = [];
  readonly contents: Report['contents'] = [];
  private readonly anchors = new Set<string>();
  private readonly byId: Map<string, BriefingJSON['excerpts'][number]>;
  private readonly sourceTexts: Map<string, ExportSource>;

  constructor(
    private readonly briefing: BriefingJSON,
    sources: ExportSource[],
    private readonly notesBySource: Map<string, string>,
  ) {
    this.byId = new Map(briefing.excerpts.map((e) => [e.excerptId, e]));
    this.sourceTexts = new Map(sources.map((s) => [s.id, s]));
  }

  heading(level: 1 | 2 | 3 | 4, text: string): Block[] {
    const base =
      text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '') || 'part';
    let anchor = base;
    for (let i = 2; this.anchors.has(anchor); i++) anchor = `${base}-${i}`;
    this.anchors.add(anchor);
    if (level <= 2) this.contents.push({ level: level as 1 | 2, text, anchor });
    return [{ kind: 'heading', level, text, anchor }];
  }

  body(node: RichTextNode, where: string): Block[] {
    if (node.type !== 'doc') unknownContent(`a body of type "${node.type}"`);
    return (node.content ?? []).flatMap((child) => this.block(child, where));
  }

  private block(node: RichTextNode, where: string): Block[] {
    const children = () => (node.content ?? []).flatMap((child) => this.block(child, where));
    switch (node.type) {
      case 'paragraph':
        return [{ kind: 'paragraph', inlines: this.inlines(node) }];
      case 'heading': {
        const text = (node.content ?? []).map((c) => c.text ?? '').join('');
        return this.heading(4, text);
      }
      case 'bulletList':
      case 'orderedList': {
        const start = typeof node.attrs?.start === 'number' ? node.attrs.start : 1;
        const items = (node.content ?? []).map((item) => {
          if (item.type !== 'listItem') unknownContent(`a list item of type "${item.type}"`);
          return (item.content ?? []).flatMap((child) => this.block(child, where));
        });
        return [{ kind: 'list', ordered: node.type === 'orderedList', start, items }];
      }
      case 'blockquote':
        return [{ kind: 'quote', blocks: children() }];
      case 'codeBlock':
        return [{ kind: 'code', text: (node.content ?? []).map((c) => c.text ?? '').join('') }];
      case 'horizontalRule':
        return [{ kind: 'rule' }];
      case 'excerpt':
        return [this.excerpt(node, where)];
      default:
        return unknownContent(`content of type "${node.type}"`);
    }
  }

  private inlines(node: RichTextNode): Inline[] {
    return (node.content ?? []).map((child): Inline => {
      if (child.type === 'hardBreak') return { break: true };
      if (child.type !== 'text') return unknownContent(`inline content of type "${child.type}"`);
      const inline: Inline = { text: child.text ?? '' };
      for (const mark of child.marks ?? []) {
        if (!KNOWN_MARKS.has(mark.type)) unknownContent(`text marked "${mark.type}"`);
        if (mark.type === 'link') {
          const href = String(mark.attrs?.href ?? '');
          if (SAFE_LINK.test(href)) inline.href = href;
        } else inline[mark.type as 'bold'] = true;
      }
      return inline;
    });
  }

  private excerpt(node: RichTextNode, where: string): Block {
    const id = String(node.attrs?.excerptId ?? '');
    const number = this.notes.length + 1;
    const excerpt = this.byId.get(id);
    if (!excerpt) {
      // An element in the wrong shape: its text is shown, flagged, never passed off as a citation.
      const flag = flagText('invalid', 'not a well-formed excerpt');
      this.notes.push({ number, excerptId: id, sourceId: '', sourceNumber: 0, text: 'No source.', flag });
      return {
        kind: 'excerpt',
        excerptId: id,
        quote: String(node.attrs?.exact ?? ''),
        note: number,
        flag,
        comment: '',
      };
    }
    const source = this.sourceTexts.get(excerpt.sourceId);
    const check = verifyExcerpt(excerpt, source ? source.text : null);
    const flagged = UNANCHORED_STATUSES.has(check.status);
    const flag = flagged ? flagText(check.status, check.statusReason) : null;
    this.notes.push({
      number,
      excerptId: id,
      sourceId: excerpt.sourceId,
      sourceNumber: excerpt.citationNumber,
      text: this.notesBySource.get(excerpt.sourceId) ?? 'Source not found.',
      flag,
    });
    this.excerpts.push({
      excerptId: id,
      sourceId: excerpt.sourceId,
      note: number,
      sourceNumber: excerpt.citationNumber,
      exact: excerpt.exact,
      prefix: excerpt.prefix,
      suffix: excerpt.suffix,
      start: excerpt.start,
      end: excerpt.end,
      quoteSha256: excerpt.quoteSha256,
      status: check.status,
      statusReason: check.statusReason,
      flagged,
      where,
    });
    return { kind: 'excerpt', excerptId: id, quote: excerpt.exact, note: number, flag, comment: excerpt.note };
  }

  lessons(): Block[] {
    return this.briefing.lessons.flatMap((lesson, i) => {
      const title = lesson.title || `Lesson ${i + 1}`;
      const rows: Array<[string, string]> = [
        ['Capability area', lesson.capabilityArea ?? 'not set'],
        ['Status', LESSON_STATUS_LABELS[lesson.status] ?? lesson.status],
        ['Action body', lesson.actionBody || 'not set'],
        ['Owner', lesson.owner || 'not set'],
        ['Due date', lesson.dueDate ?? 'not set'],
      ];
      return [
        ...this.heading(2, `${i + 1}. ${title}`),
        { kind: 'fields', rows } as Block,
        ...LESSON_FIELDS.flatMap((field) => [
          ...this.heading(3, LESSON_FIELD_LABELS[field]),
          ...this.body(lesson[field], title),
        ]),
      ];
    });
  }
}

function openComments(briefing: BriefingJSON): CommentEntry[] {
  return briefing.comments
    .filter((t) => !t.resolved)
    .map((t) => ({
      quote: t.anchor.quote,
      messages: t.messages
        .filter((m) => m.body)
        .map((m) => ({ author: m.author.name, createdAt: m.createdAt.slice(0, 10), body: m.body })),
    }));
}

/** Reads the briefing and its sources into the report every format renders. */
export function buildReport(input: ExportInput): Report {
  const parsed = BriefingJSONSchema.safeParse(input.briefing);
  if (!parsed.success)
    throw new ExportError('export_invalid_input', `The briefing cannot be read: ${parsed.error.message}`);
  const briefing = parsed.data;
  const options = ExportOptionsSchema.parse(input.options);
  const cited = new Map<string, number>();
  for (const e of briefing.excerpts) if (!cited.has(e.sourceId)) cited.set(e.sourceId, e.citationNumber);
  const sources = input.sources.filter((s) => cited.has(s.id)).sort((a, b) => cited.get(a.id)! - cited.get(b.id)!);
  const references = sources.map((s) => ({ ...s.csl, id: s.id }));
  const { notes: notesBySource, bibliography } = formatCitations(references, options.style);

  const builder = new ReportBuilder(briefing, sources, notesBySource);
  const blocks = builder.blocks;
  let lessonsPlaced = false;
  for (const section of briefing.sections) {
    blocks.push(...builder.heading(1, section.heading), ...builder.body(section.body, section.heading));
    if (section.kind === 'lessons' && !lessonsPlaced) {
      blocks.push(...builder.lessons());
      lessonsPlaced = true;
    }
  }
  if (!lessonsPlaced && briefing.lessons.length > 0)
    blocks.push(...builder.heading(1, 'Lessons'), ...builder.lessons());
  if (briefing.invalidExcerpts.length > 0) {
    blocks.push(...builder.heading(1, 'Excerpts that could not be read'));
    for (const invalid of briefing.invalidExcerpts) {
      blocks.push({ kind: 'paragraph', inlines: [{ text: flagText('invalid', invalid.reason) }] });
    }
  }
  blocks.push(...builder.heading(1, 'Bibliography'));
  for (const entry of bibliography) blocks.push({ kind: 'paragraph', inlines: [{ text: entry }] });
  const appendix: AppendixEntry[] = sources.map((s) => ({
    number: cited.get(s.id)!,
    sourceId: s.id,
    title: s.csl.title ?? s.csl['container-title'] ?? 'Untitled source',
    url: s.url ?? s.csl.URL ?? null,
    accessed: dateOf(s.csl.accessed),
    textSha256: s.textSha256,
  }));
  blocks.push(...builder.heading(1, 'Appendix: Sources'));
  for (const entry of appendix) {
    blocks.push(
      { kind: 'paragraph', inlines: [{ text: `[${entry.number}] ${entry.title}`, bold: true }] },
      ...(
        [
          ['URL', entry.url ?? 'none'],
          ['Accessed', entry.accessed ?? 'not recorded'],
          ['SHA-256 of the text quoted', entry.textSha256],
        ] as const
      ).map(
        ([label, value]): Block => ({
          kind: 'paragraph',
          inlines: [{ text: `${label}: `, bold: true }, { text: value }],
        }),
      ),
    );
  }
  const comments = options.comments ? openComments(briefing) : null;
  if (comments) {
    blocks.push(...builder.heading(1, 'Annex: Open comments'));
    if (comments.length === 0) blocks.push({ kind: 'paragraph', inlines: [{ text: 'No open comments.' }] });
    for (const thread of comments) {
      blocks.push({ kind: 'quote', blocks: [{ kind: 'paragraph', inlines: [{ text: thread.quote, italic: true }] }] });
      for (const m of thread.messages) {
        blocks.push({
          kind: 'paragraph',
          inlines: [{ text: `${m.author} (${m.createdAt}): `, bold: true }, { text: m.body }],
        });
      }
    }
  }

  const period = [briefing.period.start, briefing.period.end].filter(Boolean).join(' to ');
  const marking = markingText(briefing.marking);
  const cover: Array<[string, string]> = [
    ['Event', briefing.event || 'not set'],
    ['Period', period || 'not set'],
    ['Date', input.exportedAt.slice(0, 10)],
    ['Authors', briefing.authors.join(', ') || 'not set'],
    ['Status', STATUS_LABELS[briefing.status] ?? briefing.status],
    ['Marking', marking ?? 'none'],
  ];
  if (input.versionLabel) cover.push(['Version', input.versionLabel]);

  return {
    title: briefing.title || 'Untitled briefing',
    marking,
    draft: briefing.status !== 'final',
    cover,
    contents: builder.contents,
    blocks,
    notes: builder.notes,
    bibliography,
    appendix,
    comments,
    excerpts: builder.excerpts,
    style: options.style,
  };
}
