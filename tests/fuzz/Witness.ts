import { getSections } from '@debrief/briefing';
import { type Client, typeParagraph } from '@debrief/server/testing';
import * as Y from 'yjs';

/**
 * Every string in the section bodies of `doc`, read without the schema accessors, so whatever a
 * fuzzer left in `sections` cannot hide what is there.
 */
export function bodyStrings(doc: Y.Doc): Set<string> {
  const found = new Set<string>();
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        const delta = child.toDelta() as Array<{ insert: unknown }>;
        found.add(delta.map((op) => (typeof op.insert === 'string' ? op.insert : '')).join(''));
      } else if (child instanceof Y.XmlElement) walk(child);
    }
  };
  for (const section of doc.getArray('sections').toArray()) {
    const body = section instanceof Y.Map ? section.get('body') : undefined;
    if (body instanceof Y.XmlFragment) walk(body);
  }
  return found;
}

/**
 * A witness types paragraphs `<label> <n>` into one section; an edit counts as acknowledged once
 * a second stock client (the watcher) holds it: the server broadcasts an edit only after it is
 * durable, and nothing a peer has seen may be lost.
 */
export class Witness {
  readonly typed: string[] = [];
  readonly acknowledged = new Set<string>();
  private scan: NodeJS.Timeout | undefined;

  constructor(
    private readonly writer: Client,
    private readonly watcher: Client,
    private readonly sectionId: string,
    readonly label: string,
  ) {
    watcher.doc.on('update', () => {
      this.scan ??= setTimeout(() => {
        this.scan = undefined;
        this.refresh();
      }, 100);
    });
  }

  /** Types the next paragraph, once the writer has the section (it may still be syncing). */
  type(): void {
    const index = getSections(this.writer.doc).findIndex((section) => section.id === this.sectionId);
    if (index < 0) return;
    const text = `${this.label} ${this.typed.length}`;
    typeParagraph(this.writer.doc, index, text);
    this.typed.push(text);
  }

  refresh(): void {
    const seen = bodyStrings(this.watcher.doc);
    for (const text of this.typed) if (seen.has(text)) this.acknowledged.add(text);
  }

  /** Acknowledged edits that `doc` does not hold. */
  missingFrom(doc: Y.Doc): string[] {
    const present = bodyStrings(doc);
    return [...this.acknowledged].filter((text) => !present.has(text));
  }

  stop(): void {
    clearTimeout(this.scan);
  }
}
