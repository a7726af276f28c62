/**
 * A reading caret over a source's text, for people who select passages with the keyboard: it moves
 * by character, word, sentence or paragraph (Intl.Segmenter's boundaries, so any language), and
 * Shift extends the selection from where it started. Offsets are UTF-16 offsets into the text, as
 * everywhere else in the reader.
 */
export type CaretUnit = 'character' | 'word' | 'sentence' | 'paragraph';

export interface ReadingSelection {
  /** Where the selection started (stays put while Shift extends it). */
  anchor: number;
  /** Where the caret is. */
  focus: number;
}

const words = new Intl.Segmenter(undefined, { granularity: 'word' });
const sentences = new Intl.Segmenter(undefined, { granularity: 'sentence' });

function isLowSurrogate(text: string, offset: number): boolean {
  const code = text.charCodeAt(offset);
  return code >= 0xdc00 && code <= 0xdfff;
}

function character(text: string, offset: number, forward: boolean): number {
  let next = forward ? Math.min(text.length, offset + 1) : Math.max(0, offset - 1);
  // Never between the two halves of an emoji.
  if (next > 0 && next < text.length && isLowSurrogate(text, next)) next += forward ? 1 : -1;
  return next;
}

/** Forward: to the end of this or the next word; backward: to the start of this or the previous one. */
function word(text: string, offset: number, forward: boolean): number {
  let result = forward ? text.length : 0;
  for (const segment of words.segment(text)) {
    if (!segment.isWordLike) continue;
    const end = segment.index + segment.segment.length;
    if (forward && end > offset) return end;
    if (!forward) {
      if (segment.index >= offset) break;
      result = segment.index;
    }
  }
  return result;
}

/**
 * Forward: to the end of this sentence (before the spaces after it); backward: to its start, or the
 * previous one's. A line break ends a sentence, and blank lines are no sentence of their own.
 */
function sentence(text: string, offset: number, forward: boolean): number {
  let result = forward ? text.length : 0;
  for (const segment of sentences.segment(text)) {
    const content = segment.segment.trim();
    if (content === '') continue;
    const start = segment.index + segment.segment.indexOf(content[0]!);
    const end = segment.index + segment.segment.trimEnd().length;
    if (forward && end > offset) return end;
    if (!forward) {
      if (start >= offset) break;
      result = start;
    }
  }
  return result;
}

function paragraph(text: string, offset: number, forward: boolean): number {
  if (forward) {
    const lineBreak = text.indexOf('\n', offset + (text[offset] === '\n' ? 1 : 0));
    return lineBreak === -1 ? text.length : lineBreak;
  }
  const before = text.lastIndexOf('\n', offset - 2);
  return before === -1 ? 0 : before + 1;
}

const MOVES: Record<CaretUnit, (text: string, offset: number, forward: boolean) => number> = {
  character,
  word,
  sentence,
  paragraph,
};

/** The caret moved by one `unit`; with `extend`, the selection grows or shrinks from its anchor. */
export function moveCaret(
  text: string,
  selection: ReadingSelection,
  unit: CaretUnit,
  forward: boolean,
  extend: boolean,
): ReadingSelection {
  const focus = MOVES[unit](text, Math.max(0, Math.min(text.length, selection.focus)), forward);
  return { anchor: extend ? selection.anchor : focus, focus };
}

/** What a key does to the caret in the reader, or null for keys that are not the caret's. */
export function caretKey(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey' | 'shiftKey'>): {
  unit: CaretUnit;
  forward: boolean;
  extend: boolean;
} | null {
  const byWord = event.ctrlKey || event.altKey;
  const extend = event.shiftKey;
  switch (event.key) {
    case 'ArrowRight':
      return { unit: byWord ? 'word' : 'character', forward: true, extend };
    case 'ArrowLeft':
      return { unit: byWord ? 'word' : 'character', forward: false, extend };
    case 'ArrowDown':
      return { unit: byWord ? 'paragraph' : 'sentence', forward: true, extend };
    case 'ArrowUp':
      return { unit: byWord ? 'paragraph' : 'sentence', forward: false, extend };
    default:
      return null;
  }
}
