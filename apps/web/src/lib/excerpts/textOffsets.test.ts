// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { selectionSpan } from './textOffsets.ts';

/** The reader's layout: the source text as the only text of one element, some of it inside marks. */
function reader(): HTMLElement {
  const container = document.createElement('div');
  container.innerHTML = 'The call was <mark>joined from a hotel</mark> line in <mark>Singapore</mark>.';
  document.body.append(container);
  return container;
}

function select(start: [Node, number], end: [Node, number]): Selection {
  const selection = document.getSelection()!;
  const range = document.createRange();
  range.setStart(...start);
  range.setEnd(...end);
  selection.removeAllRanges();
  selection.addRange(range);
  return selection;
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('selectionSpan', () => {
  it('gives the selection as offsets into the text, across marks', () => {
    const container = reader();
    const text = container.textContent!;
    const [, firstMark, afterFirst] = container.childNodes;
    // From inside the first mark to the middle of the text after it.
    const selection = select([firstMark!.firstChild!, 7], [afterFirst!, 5]);
    const span = selectionSpan(container, selection);
    expect(span).toEqual({ start: text.indexOf('from'), end: text.indexOf(' line') + 5 });
    expect(text.slice(span!.start, span!.end)).toBe(selection.toString());
  });

  it('answers null for no selection, a caret, or a selection reaching outside the text', () => {
    const container = reader();
    const outside = document.createElement('p');
    outside.textContent = 'elsewhere';
    document.body.append(outside);
    expect(selectionSpan(container, null)).toBeNull();
    const text = container.firstChild!;
    expect(selectionSpan(container, select([text, 3], [text, 3]))).toBeNull();
    expect(selectionSpan(container, select([text, 3], [outside.firstChild!, 4]))).toBeNull();
  });
});
