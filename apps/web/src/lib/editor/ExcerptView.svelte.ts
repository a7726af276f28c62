import type { ExcerptAttrs } from '@debrief/briefing';
import type { Editor, NodeViewRendererProps } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import type { NodeView } from '@tiptap/pm/view';
import { mount, unmount } from 'svelte';
import ExcerptBlock from '../components/ExcerptBlock.svelte';
import type { SourceReader } from '../excerpts/SourceReader.svelte.ts';
import { removeExcerpts } from './excerptGuard.ts';

/**
 * Draws an excerpt node with a Svelte component. ProseMirror owns the node; the component only
 * shows it, and its note field, credibility grade and remove button write back through
 * transactions like any other edit.
 */
export class ExcerptView implements NodeView {
  readonly dom: HTMLElement;
  #node: PmNode;
  readonly #editor: Editor;
  readonly #getPos: () => number | undefined;
  readonly #props: { attrs: ExcerptAttrs; selected: boolean; editable: boolean };
  readonly #component: ReturnType<typeof mount>;

  constructor({ node, editor, getPos }: NodeViewRendererProps, reader: SourceReader | null) {
    this.#node = node;
    this.#editor = editor;
    this.#getPos = getPos;
    this.dom = document.createElement('div');
    this.dom.className = 'excerpt-node';
    this.#props = $state({ attrs: node.attrs as ExcerptAttrs, selected: false, editable: editor.isEditable });
    const props = this.#props;
    this.#component = mount(ExcerptBlock, {
      target: this.dom,
      props: {
        get attrs() {
          return props.attrs;
        },
        get selected() {
          return props.selected;
        },
        get editable() {
          return props.editable;
        },
        reader,
        onnote: (note: string) => this.#setAttribute('note', note),
        oncredibility: (credibility: number | null) => this.#setAttribute('credibility', credibility),
        onremove: () => this.#remove(),
      },
    });
    editor.on('update', this.#onEditorUpdate);
    this.dom.addEventListener('pointerdown', this.#onPointerDown);
  }

  update(node: PmNode): boolean {
    if (node.type !== this.#node.type) return false;
    this.#node = node;
    this.#props.attrs = node.attrs as ExcerptAttrs;
    return true;
  }

  selectNode(): void {
    this.#props.selected = true;
  }

  deselectNode(): void {
    this.#props.selected = false;
  }

  /** The note field, grade and buttons handle their own keys and clicks; everything else is ProseMirror's. */
  stopEvent(event: Event): boolean {
    const target = event.target;
    return target instanceof HTMLElement && target.closest('input, textarea, button, select') !== null;
  }

  /** The component redraws itself; none of its DOM changes are edits to the document. */
  ignoreMutation(): boolean {
    return true;
  }

  destroy(): void {
    this.#editor.off('update', this.#onEditorUpdate);
    this.dom.removeEventListener('pointerdown', this.#onPointerDown);
    void unmount(this.#component);
  }

  // In a draggable block, pressing in the note field and moving would drag the whole block instead
  // of selecting words of the note; the block is draggable only from elsewhere.
  #onPointerDown = (event: PointerEvent): void => {
    this.dom.draggable = !(event.target instanceof HTMLElement && event.target.closest('input, select'));
  };

  // setEditable announces itself as an update; the note field follows it.
  #onEditorUpdate = (): void => {
    this.#props.editable = this.#editor.isEditable;
  };

  #setAttribute(name: 'note' | 'credibility', value: string | number | null): void {
    const pos = this.#getPos();
    if (pos === undefined || value === this.#node.attrs[name]) return;
    const { view } = this.#editor;
    view.dispatch(view.state.tr.setNodeAttribute(pos, name, value));
  }

  /** The remove button: an explicit removal, which the page announces with an Undo. */
  #remove(): void {
    const pos = this.#getPos();
    if (pos === undefined || !this.#editor.isEditable) return;
    const { view } = this.#editor;
    removeExcerpts(view, view.state.tr.delete(pos, pos + this.#node.nodeSize));
  }
}
