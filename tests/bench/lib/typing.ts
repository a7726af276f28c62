import { getSections } from '@debrief/briefing';
import * as Y from 'yjs';

const WORDS =
  'the dial in bridge was reachable from an unsecured line which defeated the certified platform so the team moved ' +
  'the stand up to the secure room after two days and the backlog of observations was triaged by the duty officer ' +
  'before the debrief recommendations follow from the timeline below and each one names an owner and a date'
    .split(' ')
    .filter(Boolean);

/** A stream of characters of plausible prose. */
class Prose {
  private word = 0;
  private offset = 0;
  constructor(private readonly random: () => number) {
    this.word = Math.floor(random() * WORDS.length);
  }

  take(n: number): string {
    let out = '';
    while (out.length < n) {
      const word = `${WORDS[this.word] as string} `;
      const piece = word.slice(this.offset, this.offset + (n - out.length));
      out += piece;
      this.offset += piece.length;
      if (this.offset >= word.length) {
        this.offset = 0;
        this.word = (this.word + 1 + Math.floor(this.random() * 3)) % WORDS.length;
      }
    }
    return out;
  }

  sentence(length: number): string {
    return this.take(length);
  }
}

/**
 * One person typing into a rich-text section, y-prosemirror style: each step is one transaction
 * (one update on the wire): mostly 1–3 characters at the caret, sometimes a backspace, a new
 * paragraph, a bold/italic range or a link.
 */
export class Typist {
  private text: Y.XmlText | null = null;
  private caret = 0;
  private readonly prose: Prose;

  constructor(
    private readonly doc: Y.Doc,
    private readonly section: number,
    private readonly random: () => number,
  ) {
    this.prose = new Prose(random);
  }

  step(): void {
    const r = this.random();
    this.doc.transact(() => {
      if (!this.text || r < 0.05) {
        this.newParagraph();
        return;
      }
      const text = this.text;
      if (r < 0.83) {
        const chunk = this.prose.take(1 + Math.floor(this.random() * 3));
        text.insert(this.caret, chunk);
        this.caret += chunk.length;
      } else if (r < 0.9) {
        if (this.caret > 0) {
          text.delete(this.caret - 1, 1);
          this.caret--;
        } else {
          text.insert(0, this.prose.take(1));
          this.caret = 1;
        }
      } else if (r < 0.96 && this.caret > 4) {
        const start = Math.floor(this.random() * (this.caret - 3));
        const length = 1 + Math.floor(this.random() * Math.min(12, this.caret - start - 1));
        text.format(start, length, this.random() < 0.5 ? { bold: {} } : { italic: {} });
      } else {
        const word = this.prose.take(6);
        text.insert(this.caret, word, { link: { href: 'https://example.org/report' } });
        this.caret += word.length;
      }
    });
  }

  private newParagraph(): void {
    const body = getSections(this.doc)[this.section]?.body;
    if (!body) throw new Error(`no section ${this.section}`);
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    body.push([paragraph]);
    paragraph.insert(0, [text]);
    const first = this.prose.take(1);
    text.insert(0, first);
    this.text = text;
    this.caret = first.length;
  }
}

/** Appends paragraphs of prose (with some bold words) to the briefing's sections in one transaction. */
export function appendProse(doc: Y.Doc, paragraphs: number, random: () => number): void {
  const prose = new Prose(random);
  const sections = getSections(doc);
  doc.transact(() => {
    for (let i = 0; i < paragraphs; i++) {
      const body = sections[i % sections.length]?.body;
      if (!body) throw new Error('briefing has no sections');
      const paragraph = new Y.XmlElement('paragraph');
      const text = new Y.XmlText();
      body.push([paragraph]);
      paragraph.insert(0, [text]);
      text.insert(0, prose.sentence(700 + Math.floor(random() * 200)));
      text.format(Math.floor(random() * 600), 8 + Math.floor(random() * 20), { bold: {} });
    }
  });
}

/** A caret position in y-prosemirror's awareness layout (relative positions as JSON). */
export function caretAt(doc: Y.Doc, section: number, index: number): { anchor: unknown; head: unknown } {
  const body = getSections(doc)[section]?.body;
  if (!body) return { anchor: null, head: null };
  const at = Math.min(index, body.length);
  const position = Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(body, at));
  return { anchor: position, head: position };
}
