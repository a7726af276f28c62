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

/** The DOM point (text node, offset) at character `offset` of `container`'s text. */
export function pointAt(container: Node, offset: number): { node: Node; offset: number } {
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  let seen = 0;
  let last: Text | null = null;
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    if (offset <= seen + node.data.length) return { node, offset: offset - seen };
    seen += node.data.length;
    last = node;
  }
  return last ? { node: last, offset: last.data.length } : { node: container, offset: 0 };
}

/** Selects characters [anchor, focus) of `container`'s text (focus may come first: a backward selection). */
export function selectOffsets(container: HTMLElement, anchor: number, focus: number): void {
  const from = pointAt(container, anchor);
  const to = pointAt(container, focus);
  document.getSelection()?.setBaseAndExtent(from.node, from.offset, to.node, to.offset);
}

/** The selection's anchor and focus as offsets into `container`'s text, or null unless it lies inside it. */
export function selectionOffsets(
  container: HTMLElement,
  selection: Selection | null,
): { anchor: number; focus: number } | null {
  if (!selection?.anchorNode || !selection.focusNode) return null;
  if (!container.contains(selection.anchorNode) || !container.contains(selection.focusNode)) return null;
  return {
    anchor: offsetOf(container, selection.anchorNode, selection.anchorOffset),
    focus: offsetOf(container, selection.focusNode, selection.focusOffset),
  };
}
