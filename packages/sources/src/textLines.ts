/** A non-blank line of normalised text with its offsets (`end` excludes the line break). */
export interface TextLine {
  text: string;
  start: number;
  end: number;
}

export function nonBlankLines(text: string): TextLine[] {
  const lines: TextLine[] = [];
  let start = 0;
  while (start <= text.length) {
    const lineBreak = text.indexOf('\n', start);
    const end = lineBreak === -1 ? text.length : lineBreak;
    const line = text.slice(start, end);
    if (line.trim() !== '') lines.push({ text: line, start, end });
    if (lineBreak === -1) break;
    start = lineBreak + 1;
  }
  return lines;
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter((word) => word !== '').length;
}

/** Ends like a sentence of prose, possibly inside closing quotes or brackets. */
export function endsLikeSentence(text: string): boolean {
  return /[.!?;:,…]["'”’»)\]]*$/.test(text.trim());
}

/** Case, accents, apostrophe style and punctuation folded away, to compare lines loosely. */
export function foldForComparison(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
