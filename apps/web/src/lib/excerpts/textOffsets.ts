/**
 * The source reader shows a source's text as the only text of one element (highlights are inline
 * elements around parts of it), so an offset into the string is an offset into that element's
 * text nodes.
 */
export interface TextSpan {
  start: number;
  end: number;
}

/** Characters of `container`'s text before the DOM point (node, offset). */
function offsetOf(container: Node, node: Node, offset: number): number {
  const range = document.createRange();
  range.setStart(container, 0);
  range.setEnd(node, offset);
  // Range#toString is the text of the Text nodes in the range: no layout, no CSS, unlike innerText.
  return range.toString().length;
}

/** The selection as offsets into `container`'s text, or null unless it lies wholly inside it. */
export function selectionSpan(container: HTMLElement, selection: Selection | null): TextSpan | null {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const start = offsetOf(container, range.startContainer, range.startOffset);
  const end = offsetOf(container, range.endContainer, range.endOffset);
  return end > start ? { start, end } : null;
}
