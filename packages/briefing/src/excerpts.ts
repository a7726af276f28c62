import * as Y from 'yjs';
import { getSections } from './schema.ts';

/**
 * An excerpt is a block node in a section body: a `Y.XmlElement` named `excerpt` whose attributes
 * are the ProseMirror node's attrs (y-prosemirror stores attrs as element attributes). It quotes
 * a source exactly, anchored with W3C TextQuote + TextPosition selectors and the sha256 of the
 * quote. `status` is written only by the server, after it checked the quote against the source.
 */
export const EXCERPT_NODE = 'excerpt';

export const EXCERPT_STATUSES = ['pending', 'anchored', 'moved', 'fuzzy', 'orphaned', 'modified'] as const;
export type ExcerptStatus = (typeof EXCERPT_STATUSES)[number];

export interface ExcerptAttrs {
  excerptId: string;
  sourceId: string;
  /** TextQuoteSelector */
  exact: string;
  prefix: string;
  suffix: string;
  /** TextPositionSelector, UTF-16 offsets in the source's normalised text */
  start: number;
  end: number;
  /** sha256 (hex) of `exact` when the excerpt was made */
  quoteSha256: string;
  /** The author's optional note on why this passage matters. */
  note: string;
  status: ExcerptStatus;
}

export interface Excerpt extends ExcerptAttrs {
  sectionId: string;
  /** Position among all excerpts of the briefing, in reading order. */
  ordinal: number;
  element: Y.XmlElement;
}

export type NewExcerpt = Omit<ExcerptAttrs, 'excerptId' | 'status' | 'note'> & { note?: string };

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const int = (value: unknown): number => (typeof value === 'number' && Number.isInteger(value) ? value : Number.NaN);

/** Reads an excerpt element; null when a foreign client wrote one in the wrong shape. */
export function readExcerpt(element: Y.XmlElement): ExcerptAttrs | null {
  const a = element.getAttributes() as Record<string, unknown>;
  const attrs: ExcerptAttrs = {
    excerptId: str(a.excerptId),
    sourceId: str(a.sourceId),
    exact: str(a.exact),
    prefix: str(a.prefix),
    suffix: str(a.suffix),
    start: int(a.start),
    end: int(a.end),
    quoteSha256: str(a.quoteSha256),
    note: str(a.note),
    status: EXCERPT_STATUSES.includes(a.status as ExcerptStatus) ? (a.status as ExcerptStatus) : 'pending',
  };
  if (!attrs.excerptId || !attrs.sourceId || !attrs.exact) return null;
  return attrs;
}

export function createExcerptElement(excerpt: NewExcerpt): Y.XmlElement {
  const element = new Y.XmlElement(EXCERPT_NODE);
  const attrs: ExcerptAttrs = {
    ...excerpt,
    note: excerpt.note ?? '',
    excerptId: globalThis.crypto.randomUUID(),
    status: 'pending',
  };
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, value as string);
  return element;
}

/** Appends an excerpt to a section (clients that do not run the editor, e.g. scripts). */
export function appendExcerpt(doc: Y.Doc, sectionId: string, excerpt: NewExcerpt): string {
  const section = getSections(doc).find((s) => s.id === sectionId);
  if (!section) throw new Error(`no section ${sectionId}`);
  const element = createExcerptElement(excerpt);
  section.body.push([element]);
  return element.getAttribute('excerptId') as string;
}

function collect(node: Y.XmlFragment | Y.XmlElement, into: Y.XmlElement[]): void {
  for (const child of node.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    if (child.nodeName === EXCERPT_NODE) into.push(child);
    else collect(child, into);
  }
}

/** Every well-formed excerpt of the briefing, in reading order (section by section). */
export function getExcerpts(doc: Y.Doc): Excerpt[] {
  const excerpts: Excerpt[] = [];
  for (const section of getSections(doc)) {
    const elements: Y.XmlElement[] = [];
    collect(section.body, elements);
    for (const element of elements) {
      const attrs = readExcerpt(element);
      if (attrs) excerpts.push({ ...attrs, sectionId: section.id, ordinal: excerpts.length, element });
    }
  }
  return excerpts;
}

/** Citation numbers: each source is numbered by its first excerpt in reading order, from 1. */
export function citationNumbers(excerpts: ReadonlyArray<Pick<Excerpt, 'sourceId'>>): Map<string, number> {
  const numbers = new Map<string, number>();
  for (const excerpt of excerpts) if (!numbers.has(excerpt.sourceId)) numbers.set(excerpt.sourceId, numbers.size + 1);
  return numbers;
}
