import { getSections, setTitle } from '@debrief/briefing';
import { typeParagraph } from '@debrief/server/testing';
import * as Y from 'yjs';
import type { Random } from './seed.ts';

const HISTORY = 200;
const WORDS = ['fuzz', 'debrief', 'observation', 'ünïcödé', '👩‍🚒', 'مرحبا', '', ' ', '\n', '<b>x</b>', '"quoted"'];

/**
 * Real Yjs updates of a briefing, made by editing a private copy of the watched document the way
 * an editor would: paragraphs, marks, embeds, attributes, titles, headings, sections. `next()`
 * hands them out in order (each applies cleanly); `skipAhead()` one whose predecessor is withheld;
 * `sample()` any recent one, for mutation. It only deletes what it wrote itself, so nothing the
 * witness typed can disappear by a legitimate edit.
 */
export class EditCorpus {
  private readonly doc = new Y.Doc();
  private readonly queue: Uint8Array[] = [];
  private readonly history: Uint8Array[] = [];
  private readonly own: Y.XmlElement[] = [];

  constructor(
    base: Uint8Array,
    private readonly random: Random,
  ) {
    Y.applyUpdate(this.doc, base);
    this.doc.on('update', (update: Uint8Array) => {
      this.queue.push(update);
      this.history.push(update);
      if (this.history.length > HISTORY) this.history.shift();
    });
  }

  get clientId(): number {
    return this.doc.clientID;
  }

  stateVector(): Uint8Array {
    return Y.encodeStateVector(this.doc);
  }

  next(): Uint8Array {
    while (this.queue.length === 0) this.edit();
    return this.queue.shift()!;
  }

  skipAhead(): Uint8Array {
    while (this.queue.length < 2) this.edit();
    return this.queue[1]!;
  }

  sample(): Uint8Array {
    while (this.history.length === 0) this.edit();
    return this.random.pick(this.history);
  }

  private words(): string {
    return Array.from({ length: this.random.int(1, 6) }, () => this.random.pick(WORDS)).join(' ');
  }

  /** One edit, of a kind chosen at random among those that apply to what this copy holds. */
  private edit(): void {
    const r = this.random;
    const sections = getSections(this.doc);
    const mine = this.own.filter((element) => !element._item?.deleted);
    const element = mine.length > 0 ? r.pick(mine) : undefined;
    const text = element?.get(0) as Y.XmlText | undefined;
    const edits: Array<() => void> = [
      () => this.addParagraph(r.int(0, sections.length - 1)),
      () => this.addParagraph(r.int(0, sections.length - 1)),
      () => setTitle(this.doc, `Fuzzed ${this.words()}x`),
      () => this.doc.getMap('meta').set(`fuzz-${r.int(0, 9)}`, { nested: [this.words(), r.int(-1e9, 1e9), null] }),
      () => this.addSection(),
    ];
    if (text) {
      edits.push(
        () => text.insert(r.int(0, text.length), this.words()),
        () => text.insertEmbed(r.int(0, text.length), { image: { src: this.words() } }),
      );
      if (text.length > 0) edits.push(() => text.format(0, r.int(1, text.length), { bold: {}, link: { href: 'x' } }));
    }
    if (element) {
      const parent = element.parent as Y.XmlFragment;
      edits.push(
        () => element.setAttribute('textAlign', this.words()),
        () => parent.delete(parent.toArray().indexOf(element), 1),
      );
    }
    r.pick(edits)();
  }

  private addSection(): void {
    const section = new Y.Map<unknown>();
    section.set('id', globalThis.crypto.randomUUID());
    section.set('kind', 'custom');
    section.set('heading', this.words());
    section.set('body', new Y.XmlFragment());
    this.doc.getArray('sections').push([section]);
  }

  private addParagraph(index: number): void {
    typeParagraph(this.doc, index, `fuzz ${this.words()}`);
    const body = getSections(this.doc)[index]!.body;
    this.own.push(body.get(body.length - 1) as Y.XmlElement);
  }
}
