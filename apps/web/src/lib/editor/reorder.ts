/**
 * Reordering sections and lessons by drag and drop and by keyboard. A drag carries what moves
 * (kind and id) under Debrief's own type, so a block only accepts its own kind; the keyboard moves
 * the focused handle's block up or down with Alt+ArrowUp / Alt+ArrowDown.
 */
export const REORDER_MIME = 'application/x-debrief-reorder';

export type Movable = 'section' | 'lesson';

export function startDrag(event: DragEvent, kind: Movable, id: string): void {
  if (!event.dataTransfer) return;
  event.dataTransfer.setData(REORDER_MIME, JSON.stringify({ kind, id }));
  event.dataTransfer.effectAllowed = 'move';
}

/** Whether a drag over a block of `kind` carries one of its kind (types are readable during dragover). */
export const carries = (event: DragEvent, kind: Movable): boolean =>
  event.dataTransfer?.types.includes(`${REORDER_MIME}`) === true && currentKind === kind;

let currentKind: Movable | null = null;
export const dragging = (kind: Movable | null): void => {
  currentKind = kind;
};

/** What was dropped, if it is a `kind`. */
export function dropped(event: DragEvent, kind: Movable): string | null {
  try {
    const data = JSON.parse(event.dataTransfer?.getData(REORDER_MIME) || 'null') as { kind?: string; id?: string };
    return data?.kind === kind && typeof data.id === 'string' ? data.id : null;
  } catch {
    return null;
  }
}

/**
 * The index (counted without the moved block) that a drop on block `target` means: before it
 * when the pointer is on its upper half, after it otherwise.
 */
export function dropIndex(event: DragEvent, from: number, target: number): number {
  const box = (event.currentTarget as HTMLElement).getBoundingClientRect();
  const after = event.clientY > box.top + box.height / 2;
  const slot = target + (after ? 1 : 0);
  return slot > from ? slot - 1 : slot;
}

/** Alt+ArrowUp / Alt+ArrowDown on a handle: the new index, or null for another key. */
export function keyMove(event: KeyboardEvent, index: number, count: number): number | null {
  if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return null;
  const next = index + (event.key === 'ArrowUp' ? -1 : 1);
  return next < 0 || next >= count ? null : next;
}

/** After a move the block is drawn anew in its new place: the keyboard goes back to its grip. */
export function focusHandle(id: string): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-reorder-handle="${id}"]`)?.focus());
}
