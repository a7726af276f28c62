export interface Highlight {
  /** Excerpt id */
  id: string;
  start: number;
  end: number;
}

/** A run of text with the same highlights over all of it. */
export interface Segment {
  start: number;
  end: number;
  /** Excerpts quoting this run; empty for plain text. */
  ids: string[];
}

/**
 * Cuts [0, length) wherever a highlight starts or ends, so overlapping quotes can be drawn as
 * flat, non-nested marks. Highlights outside the text or empty are ignored.
 */
export function highlightSegments(length: number, highlights: readonly Highlight[]): Segment[] {
  const valid = highlights
    .map((h) => ({ ...h, start: Math.max(0, h.start), end: Math.min(length, h.end) }))
    .filter((h) => Number.isInteger(h.start) && Number.isInteger(h.end) && h.start < h.end);
  const cuts = [...new Set([0, length, ...valid.flatMap((h) => [h.start, h.end])])].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const start = cuts[i]!;
    const end = cuts[i + 1]!;
    const ids = valid.filter((h) => h.start <= start && h.end >= end).map((h) => h.id);
    const previous = segments.at(-1);
    if (previous && previous.ids.length === 0 && ids.length === 0) previous.end = end;
    else segments.push({ start, end, ids });
  }
  return segments;
}

/** A paragraph of the text: a line and the line breaks after it, with its runs of highlights. */
export interface Paragraph {
  start: number;
  end: number;
  segments: Segment[];
}

/**
 * The text as paragraphs for display, every line (however many line breaks follow it) one
 * paragraph, each holding the highlight runs that fall in it. Every character stays in exactly one
 * paragraph, line breaks included, so offsets into the text are still offsets into the text nodes.
 */
export function paragraphSegments(text: string, highlights: readonly Highlight[]): Paragraph[] {
  const runs = highlightSegments(text.length, highlights);
  const paragraphs: Paragraph[] = [];
  const lineEnds = /\n+/g;
  let start = 0;
  while (start < text.length) {
    lineEnds.lastIndex = start;
    const found = lineEnds.exec(text);
    const end = found ? found.index + found[0].length : text.length;
    const segments = runs
      .filter((run) => run.start < end && run.end > start)
      .map((run) => ({ ...run, start: Math.max(run.start, start), end: Math.min(run.end, end) }));
    paragraphs.push({ start, end, segments });
    start = end;
  }
  return paragraphs;
}
