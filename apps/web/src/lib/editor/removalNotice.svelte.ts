import { mount } from 'svelte';
import ExcerptRemovedNotice from '../components/ExcerptRemovedNotice.svelte';

/** How long the notice stays; long enough to read it and reach Undo by keyboard. */
const SHOWN_MS = 10_000;

/**
 * The page's one "Excerpt removed — Undo" notice. Any section editor shows it when excerpts were
 * removed on purpose; Undo takes that editor's last change back (this tab's undo history).
 */
export class RemovalNotice {
  message = $state<string | null>(null);
  #undo: (() => void) | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  show(count: number, undo: () => void): void {
    this.message = count === 1 ? 'Excerpt removed' : `${count} excerpts removed`;
    this.#undo = undo;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.dismiss(), SHOWN_MS);
  }

  undo(): void {
    const undo = this.#undo;
    this.dismiss();
    undo?.();
  }

  dismiss(): void {
    clearTimeout(this.#timer);
    this.message = null;
    this.#undo = null;
  }
}

let drawn: { notice: RemovalNotice; host: HTMLElement } | null = null;

/** The notice, drawn at the foot of the page the first time it is needed (again if the page dropped it). */
export function removalNotice(): RemovalNotice {
  if (!drawn) {
    const notice = new RemovalNotice();
    const host = document.createElement('div');
    mount(ExcerptRemovedNotice, { target: host, props: { notice } });
    drawn = { notice, host };
  }
  if (!drawn.host.isConnected) document.body.append(drawn.host);
  return drawn.notice;
}
