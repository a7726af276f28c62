import { describe, expect, it } from 'vitest';
import { paragraphSegments } from './highlightSegments.ts';
import { caretKey, moveCaret } from './readingCaret.ts';

const TEXT = 'One officer dialled in. He used a hotel line!\nThe call was recorded 🎧 later.';

describe('the reading caret', () => {
  const at = (offset: number) => ({ anchor: offset, focus: offset });

  it('moves by word to the end of this word forward, to its start backward', () => {
    expect(moveCaret(TEXT, at(0), 'word', true, false)).toEqual(at(3));
    expect(moveCaret(TEXT, at(3), 'word', true, false)).toEqual(at(11));
    expect(moveCaret(TEXT, at(11), 'word', false, false)).toEqual(at(4));
  });

  it('moves by sentence, stopping before the spaces after one', () => {
    expect(moveCaret(TEXT, at(0), 'sentence', true, false)).toEqual(at(23));
    expect(moveCaret(TEXT, at(23), 'sentence', true, false)).toEqual(at(45));
    expect(moveCaret(TEXT, at(30), 'sentence', false, false)).toEqual(at(24));
  });

  it('skips blank lines between paragraphs, which are no sentence', () => {
    const text = 'Findings\n\nThe officer dialled in. He used a hotel line.';
    const heading = moveCaret(text, at(0), 'sentence', true, false);
    expect(heading).toEqual(at(8));
    const next = moveCaret(text, heading, 'sentence', true, true);
    expect(text.slice(next.anchor, next.focus).trim()).toBe('The officer dialled in.');
    expect(moveCaret(text, at(20), 'sentence', false, false)).toEqual(at(10));
  });

  it('extends from where the selection started while Shift is held', () => {
    const first = moveCaret(TEXT, at(4), 'word', true, true);
    expect(first).toEqual({ anchor: 4, focus: 11 });
    const second = moveCaret(TEXT, first, 'word', true, true);
    expect(TEXT.slice(second.anchor, second.focus)).toBe('officer dialled');
  });

  it('never stops between the halves of an emoji', () => {
    const emoji = TEXT.indexOf('🎧');
    expect(moveCaret(TEXT, at(emoji), 'character', true, false)).toEqual(at(emoji + 2));
    expect(moveCaret(TEXT, at(emoji + 2), 'character', false, false)).toEqual(at(emoji));
  });

  it('maps arrows to units: characters, words with Ctrl or Alt, sentences up and down', () => {
    const key = (key: string, mods: Partial<KeyboardEvent> = {}) =>
      caretKey({ key, ctrlKey: false, altKey: false, metaKey: false, shiftKey: false, ...mods });
    expect(key('ArrowRight')).toEqual({ unit: 'character', forward: true, extend: false });
    expect(key('ArrowLeft', { ctrlKey: true, shiftKey: true })).toEqual({ unit: 'word', forward: false, extend: true });
    expect(key('ArrowDown', { shiftKey: true })).toEqual({ unit: 'sentence', forward: true, extend: true });
    expect(key('a')).toBeNull();
  });
});

describe('paragraphSegments', () => {
  it('makes every line a paragraph, keeping its line breaks, so no character is lost', () => {
    const text = 'First line.\nSecond line.\n\nThird.';
    const paragraphs = paragraphSegments(text, [{ id: 'x', start: 6, end: 18 }]);
    expect(paragraphs.map((p) => text.slice(p.start, p.end))).toEqual(['First line.\n', 'Second line.\n\n', 'Third.']);
    expect(paragraphs.flatMap((p) => p.segments.map((s) => text.slice(s.start, s.end))).join('')).toBe(text);
    expect(paragraphs[0]!.segments.map((s) => s.ids)).toEqual([[], ['x']]);
    expect(paragraphs[1]!.segments.map((s) => s.ids)).toEqual([['x'], []]);
  });
});
