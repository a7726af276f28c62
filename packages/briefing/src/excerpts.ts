import * as Y from 'yjs';
import { z } from 'zod';
import { type BodyLocation, findBody, getBodies } from './bodies.ts';

/**
 * An excerpt is a block node in a section body: a `Y.XmlElement` named `excerpt` whose attributes
 * are the ProseMirror node's attrs (y-prosemirror stores attrs as element attributes). It quotes
 * a source exactly, anchored with W3C TextQuote + TextPosition selectors and the sha256 of the
 * quote, all flat attributes. Clients write the quote; the server alone writes its verdict
 * (`status`, `statusReason`) and where it found the quote (`anchoredStart`, `anchoredEnd`).
 * docs/document-schema.md describes the same element for clients that use plain yjs.
 */
export const EXCERPT_NODE = 'excerpt';

export const EXCERPT_STATUSES = ['pending', 'anchored', 'moved', 'fuzzy', 'orphaned', 'modified', 'invalid'] as const;
export const ExcerptStatusSchema = z.enum(EXCERPT_STATUSES);
export type ExcerptStatus = z.infer<typeof ExcerptStatusSchema>;

const shown = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 24 ? `${value.slice(0, 24)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
};
/** Messages written for whoever wrote the element: what is wrong, and what was found instead. */
const expected = (what: string) => ({
  error: (issue: { input?: unknown }) =>
    issue.input === undefined ? 'is missing' : `must be ${what}, not ${shown(issue.input)}`,
});
const text = () => z.string(expected('a string'));
const offset = () => z.number(expected('a number')).int('must be a whole number').nonnegative('must not be negative');

/** The attributes a client writes when it adds an excerpt. */
export const ExcerptQuoteSchema = z.object({
  excerptId: text().min(1, 'must not be empty'),
  sourceId: text().min(1, 'must not be empty'),
  /** TextQuoteSelector */
  exact: text().min(1, 'must not be empty'),
  prefix: text().default(''),
  suffix: text().default(''),
  /** TextPositionSelector, UTF-16 offsets in the source's normalised text */
  start: offset(),
  end: offset(),
  /** sha256 (hex) of `exact` when the excerpt was made */
  quoteSha256: text().regex(/^[0-9a-f]{64}$/, 'must be the sha256 of exact as 64 lowercase hex digits'),
  /** The author's optional note on why this passage matters. */
  note: text().default(''),
  /**
   * How credible the passage is, the Admiralty code's information grade: 1 confirmed by other
   * sources, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged; null
   * when not graded. (Its source's reliability, A–F, is the source's, not the excerpt's.)
   */
  credibility: z
    .number(expected('a whole number from 1 to 6'))
    .int('must be a whole number from 1 to 6')
    .min(1, 'must be a whole number from 1 to 6')
    .max(6, 'must be a whole number from 1 to 6')
    .nullable()
    .default(null),
});
export type ExcerptQuote = z.infer<typeof ExcerptQuoteSchema>;

/** What the server writes after checking the quote against its source. */
export const ExcerptVerdictSchema = z.object({
  status: ExcerptStatusSchema,
  /** Why the excerpt is `invalid`, `modified` or `orphaned`; null otherwise. */
  statusReason: z.string().nullable(),
  /** Where the server found the quote in the source now; null when it found it nowhere. */
  anchoredStart: z.number().int().nullable(),
  anchoredEnd: z.number().int().nullable(),
});
export type ExcerptVerdict = z.infer<typeof ExcerptVerdictSchema>;

/** Every attribute of an excerpt node: the quote its author wrote and the server's verdict on it. */
export const ExcerptAttrsSchema = ExcerptQuoteSchema.extend(ExcerptVerdictSchema.shape);
export type ExcerptAttrs = z.infer<typeof ExcerptAttrsSchema>;

/** Each attribute's value when the element does not have it (null: left out of the element). */
export const EXCERPT_ATTR_DEFAULTS: { readonly [K in keyof ExcerptAttrs]: ExcerptAttrs[K] | null } = {
  excerptId: '',
  sourceId: '',
  exact: '',
  prefix: '',
  suffix: '',
  start: null,
  end: null,
  quoteSha256: '',
  note: '',
  credibility: null,
  status: 'pending',
  statusReason: null,
  anchoredStart: null,
  anchoredEnd: null,
};

/** Attribute names an outside client might carry over from a W3C Web Annotation's nested form. */
const NESTED_SELECTOR_KEYS = new Set(['target', 'selector', 'quote', 'position', 'source', 'body']);

function unknownAttributes(keys: readonly string[]): string {
  const names = keys.map((key) => JSON.stringify(key)).join(', ');
  const hint = keys.some((key) => NESTED_SELECTOR_KEYS.has(key))
    ? ' (selectors are never nested: exact, prefix, suffix, start and end are attributes of the excerpt element itself)'
    : '';
  return `has attribute${keys.length > 1 ? 's' : ''} ${names}, which an excerpt does not have${hint}`;
}

// The element check: a client's attributes strictly, the server's own leniently (it overwrites them).
const ElementSchema = z.strictObject(
  {
    ...ExcerptQuoteSchema.shape,
    status: z.unknown().optional(),
    statusReason: z.unknown().optional(),
    anchoredStart: z.unknown().optional(),
    anchoredEnd: z.unknown().optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? unknownAttributes(issue.keys) : undefined) },
);

export type ExcerptShape = { valid: true; attrs: ExcerptAttrs } | { valid: false; reason: string };

const nullableInt = (value: unknown): number | null => (Number.isInteger(value) ? (value as number) : null);

/**
 * Checks an excerpt element's attributes. A wrong shape (a missing or mistyped attribute, an
 * unknown one, an end before its start) is answered with a reason a person can act on.
 */
export function checkExcerpt(attributes: Record<string, unknown>): ExcerptShape {
  const parsed = ElementSchema.safeParse(attributes);
  if (!parsed.success) {
    // Unknown attributes first: they usually explain the missing ones (a nested selector form).
    const issues = [...parsed.error.issues].sort(
      (a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'),
    );
    const reason = issues.map((issue) => [issue.path.join('.'), issue.message].filter(Boolean).join(' ')).join('; ');
    return { valid: false, reason };
  }
  const quote = parsed.data;
  if (quote.end <= quote.start) return { valid: false, reason: 'end must be greater than start' };
  const status = ExcerptStatusSchema.safeParse(quote.status);
  return {
    valid: true,
    attrs: {
      excerptId: quote.excerptId,
      sourceId: quote.sourceId,
      exact: quote.exact,
      prefix: quote.prefix,
      suffix: quote.suffix,
      start: quote.start,
      end: quote.end,
      quoteSha256: quote.quoteSha256,
      note: quote.note,
      credibility: quote.credibility,
      status: status.success ? status.data : 'pending',
      statusReason: typeof quote.statusReason === 'string' ? quote.statusReason : null,
      anchoredStart: nullableInt(quote.anchoredStart),
      anchoredEnd: nullableInt(quote.anchoredEnd),
    },
  };
}

export interface Excerpt extends ExcerptAttrs {
  /** The id of the section or lesson whose body holds the excerpt. */
  sectionId: string;
  /** Which body holds it: a section's, or a lesson's observation, discussion, conclusion or recommendation. */
  location: BodyLocation;
  /** Position among all well-formed excerpts of the briefing, in reading order. */
  ordinal: number;
  element: Y.XmlElement;
}

/** An excerpt element in the wrong shape, with why. */
export interface InvalidExcerpt {
  sectionId: string;
  location: BodyLocation;
  element: Y.XmlElement;
  reason: string;
}

/** What a client gives to make a new excerpt: the passage and its anchor, optionally a note and a grade. */
export type NewExcerpt = Omit<ExcerptQuote, 'excerptId' | 'note' | 'prefix' | 'suffix' | 'credibility'> &
  Partial<Pick<ExcerptQuote, 'note' | 'prefix' | 'suffix' | 'credibility'>>;

/** An excerpt our own code was about to write in the wrong shape. */
export class ExcerptShapeError extends Error {
  readonly code = 'excerpt_invalid';
}

/**
 * The attributes of a new excerpt, the one way they are built (editor, drag and drop, scripts):
 * a fresh id, the server's verdict still to come. Throws ExcerptShapeError for a passage that the
 * server would mark `invalid`, so no Debrief client ever writes one.
 */
export function newExcerptAttrs(excerpt: NewExcerpt): ExcerptAttrs {
  const shape = checkExcerpt({ ...excerpt, excerptId: globalThis.crypto.randomUUID() });
  if (!shape.valid) throw new ExcerptShapeError(`excerpt ${shape.reason}`);
  return { ...shape.attrs, status: 'pending', statusReason: null, anchoredStart: null, anchoredEnd: null };
}

/** Reads an excerpt element; null when a foreign client wrote it in the wrong shape. */
export function readExcerpt(element: Y.XmlElement): ExcerptAttrs | null {
  const shape = checkExcerpt(element.getAttributes() as Record<string, unknown>);
  return shape.valid ? shape.attrs : null;
}

/** An element laid out as y-prosemirror lays out the excerpt node (null attributes left out). */
export function createExcerptElement(excerpt: NewExcerpt): Y.XmlElement {
  const element = new Y.XmlElement(EXCERPT_NODE);
  for (const [key, value] of Object.entries(newExcerptAttrs(excerpt))) {
    if (value !== null) element.setAttribute(key, value as string);
  }
  return element;
}

/**
 * Appends an excerpt to a body: a section's (by its id) or any body's location (clients that do
 * not run the editor, e.g. scripts).
 */
export function appendExcerpt(doc: Y.Doc, target: string | BodyLocation, excerpt: NewExcerpt): string {
  const location: BodyLocation = typeof target === 'string' ? { kind: 'section', sectionId: target } : target;
  const body = findBody(doc, location);
  if (!body) throw new Error(`no body at ${JSON.stringify(location)}`);
  const element = createExcerptElement(excerpt);
  body.fragment.push([element]);
  return element.getAttribute('excerptId') as string;
}

function collect(node: Y.XmlFragment | Y.XmlElement, into: Y.XmlElement[]): void {
  for (const child of node.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    if (child.nodeName === EXCERPT_NODE) into.push(child);
    else collect(child, into);
  }
}

/** Every excerpt element of the briefing in reading order (getBodies), split into well-formed and not. */
export function inspectExcerpts(doc: Y.Doc): { excerpts: Excerpt[]; invalid: InvalidExcerpt[] } {
  const excerpts: Excerpt[] = [];
  const invalid: InvalidExcerpt[] = [];
  for (const body of getBodies(doc)) {
    const elements: Y.XmlElement[] = [];
    collect(body.fragment, elements);
    const where = { sectionId: body.ownerId, location: body.location };
    for (const element of elements) {
      const shape = checkExcerpt(element.getAttributes() as Record<string, unknown>);
      if (shape.valid) excerpts.push({ ...shape.attrs, ...where, ordinal: excerpts.length, element });
      else invalid.push({ ...where, element, reason: shape.reason });
    }
  }
  return { excerpts, invalid };
}

/** Every well-formed excerpt of the briefing, in reading order (body by body). */
export function getExcerpts(doc: Y.Doc): Excerpt[] {
  return inspectExcerpts(doc).excerpts;
}

/** Statuses of a quote the server found in its source (or has not checked yet). */
const LOCATED: ReadonlySet<ExcerptStatus> = new Set(['pending', 'anchored', 'moved', 'fuzzy']);

/**
 * Where the excerpt's passage is in its source now: where the server found it, or, before the
 * server's first check, where it was taken from; null when it is found nowhere.
 */
export function excerptSpan(excerpt: ExcerptAttrs): { start: number; end: number } | null {
  if (!LOCATED.has(excerpt.status)) return null;
  if (excerpt.anchoredStart !== null && excerpt.anchoredEnd !== null) {
    return { start: excerpt.anchoredStart, end: excerpt.anchoredEnd };
  }
  return { start: excerpt.start, end: excerpt.end };
}

/** Citation numbers: each source is numbered by its first excerpt in reading order, from 1. */
export function citationNumbers(excerpts: ReadonlyArray<Pick<Excerpt, 'sourceId'>>): Map<string, number> {
  const numbers = new Map<string, number>();
  for (const excerpt of excerpts) if (!numbers.has(excerpt.sourceId)) numbers.set(excerpt.sourceId, numbers.size + 1);
  return numbers;
}
