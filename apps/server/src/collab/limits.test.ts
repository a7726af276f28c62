import { createExcerptElement, getSections, initBriefing, ROOT_TYPES } from '@debrief/briefing';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { AwarenessProblem, checkAwareness } from './checkAwareness.ts';
import { checkUpdate } from './checkUpdate.ts';
import { UPDATE_LIMITS } from './limits.ts';

/**
 * A 100-page briefing as three people would write it: ≈ 50,000 words typed word by word into
 * paragraphs of every section, one word in twenty made bold, one in fifty deleted again, 300
 * excerpts with their attributes, everyone's edits merged as they go.
 */
function hundredPageBriefing(): { doc: Y.Doc; words: number } {
  const server = new Y.Doc();
  initBriefing(server, { title: 'Secure communications failures, 2022–2024' });
  const writers = [0, 1, 2].map(() => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(server));
    return doc;
  });
  const sync = () => {
    for (const a of writers)
      for (const b of writers) if (a !== b) Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  };
  const vocabulary = 'the dial-in from an unsecured hotel line defeated a certified platform and exposed'.split(' ');
  let words = 0;
  for (let paragraph = 0; paragraph < 1_000; paragraph++) {
    const doc = writers[paragraph % 3]!;
    const sections = getSections(doc);
    const body = sections[paragraph % sections.length]!.body;
    const element = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    element.insert(0, [text]);
    body.push([element]);
    let length = 0;
    for (let w = 0; w < 50; w++, words++) {
      const word = `${vocabulary[(paragraph + w) % vocabulary.length]} `;
      text.insert(length, word);
      if (words % 20 === 0) text.format(length, word.length - 1, { bold: true });
      if (words % 50 === 49) text.delete(length, word.length);
      else length += word.length;
    }
    if (paragraph % 10 === 3) {
      for (let e = 0; e < 3; e++) {
        body.push([
          createExcerptElement({
            sourceId: globalThis.crypto.randomUUID(),
            exact: `${'A participant dialled in from a hotel in Singapore over an unsecured line. '.repeat(4)}`,
            prefix: 'x'.repeat(32),
            suffix: 'y'.repeat(32),
            start: 1_000 * paragraph,
            end: 1_000 * paragraph + 300,
            quoteSha256: 'f'.repeat(64),
            note: 'Why this passage matters to the lesson.',
          }),
        ]);
      }
    }
    if (paragraph % 25 === 24) sync();
  }
  sync();
  for (const doc of writers) Y.applyUpdate(server, Y.encodeStateAsUpdate(doc));
  for (const doc of writers) doc.destroy();
  return { doc: server, words };
}

/** The largest values found in an update: what the limits must leave room for. */
function measure(update: Uint8Array) {
  const { structs } = Y.decodeUpdate(update);
  let longestString = 0;
  let deepest = 0;
  const depthOf = (value: unknown): number =>
    Array.isArray(value)
      ? 1 + Math.max(0, ...value.map(depthOf))
      : value && typeof value === 'object'
        ? 1 + Math.max(0, ...Object.values(value).map(depthOf))
        : 1;
  for (const struct of structs) {
    if (!(struct instanceof Y.Item)) continue;
    const content = struct.content;
    if (content instanceof Y.ContentString) longestString = Math.max(longestString, content.str.length);
    if (content instanceof Y.ContentAny) {
      for (const value of content.arr) {
        deepest = Math.max(deepest, depthOf(value));
        if (typeof value === 'string') longestString = Math.max(longestString, value.length);
      }
    }
    if (content instanceof Y.ContentFormat) deepest = Math.max(deepest, depthOf(content.value));
  }
  return { bytes: update.length, structs: structs.length, longestString, deepest };
}

describe('input limits against a real briefing', () => {
  it('pass a 100-page briefing sent whole, with at least ten times the room on every count', () => {
    const { doc, words } = hundredPageBriefing();
    expect(words).toBe(50_000);
    const whole = Y.encodeStateAsUpdate(doc);
    const empty = new Y.Doc();
    expect(checkUpdate(whole, empty, ROOT_TYPES)).toEqual({ kind: 'apply' });
    const figures = measure(whole);
    expect(figures.structs * 10).toBeLessThan(UPDATE_LIMITS.maxStructs);
    expect(figures.longestString * 10).toBeLessThan(UPDATE_LIMITS.maxStringLength);
    expect(figures.deepest * 4).toBeLessThanOrEqual(UPDATE_LIMITS.maxValueDepth);
    expect(figures.bytes * 10).toBeLessThan(16 * 1024 * 1024);
    process.stdout.write(`[limits] 100-page briefing as one update: ${JSON.stringify(figures)}\n`);
  });
});

describe('checkUpdate', () => {
  const base = () => {
    const doc = new Y.Doc();
    initBriefing(doc, { title: 'Base' });
    return doc;
  };
  const editOf = (doc: Y.Doc, edit: (copy: Y.Doc) => void): Uint8Array => {
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    const before = Y.encodeStateVector(copy);
    edit(copy);
    return Y.encodeStateAsUpdate(copy, before);
  };

  it('applies an ordinary edit', () => {
    const doc = base();
    expect(
      checkUpdate(
        editOf(doc, (c) => c.getMap('meta').set('title', 'New')),
        doc,
        ROOT_TYPES,
      ),
    ).toEqual({
      kind: 'apply',
    });
  });

  it.each([
    ['a root type outside the schema', (c: Y.Doc) => c.getMap('elsewhere').set('x', 1), /root type outside/],
    ['a value nested 17 deep', (c: Y.Doc) => c.getMap('meta').set('x', nest(17)), /nested deeper than 16/],
    ['a subdocument', (c: Y.Doc) => c.getMap('meta').set('x', new Y.Doc()), /subdocument/],
    ['an overlong key', (c: Y.Doc) => c.getMap('meta').set('k'.repeat(1_025), 1), /key longer than 1024/],
    [
      'an overlong node name',
      (c: Y.Doc) => getSections(c)[0]!.body.push([new Y.XmlElement('n'.repeat(1_025))]),
      /node name longer than 1024/,
    ],
  ])('refuses %s', (_what, edit, reason) => {
    const doc = base();
    const verdict = checkUpdate(editOf(doc, edit), doc, ROOT_TYPES);
    expect(verdict.kind).toBe('refuse');
    expect((verdict as { reason: string }).reason).toMatch(reason);
  });

  it('accepts a value nested exactly to the limit', () => {
    const doc = base();
    expect(
      checkUpdate(
        editOf(doc, (c) => c.getMap('meta').set('x', nest(15))),
        doc,
        ROOT_TYPES,
      ).kind,
    ).toBe('apply');
  });

  it('refuses bytes that are not an update, and never throws', () => {
    const doc = base();
    for (const bytes of [new Uint8Array([1, 2, 3]), new Uint8Array([255, 255, 255, 255, 255, 255, 255, 255, 255, 1])]) {
      expect(checkUpdate(bytes, doc, ROOT_TYPES).kind).toBe('refuse');
    }
  });

  /** The updates one client emits, edit by edit, as a provider sends them. */
  const liveUpdates = (doc: Y.Doc, ...edits: Array<(copy: Y.Doc) => void>): Uint8Array[] => {
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
    const updates: Uint8Array[] = [];
    client.on('update', (update: Uint8Array) => updates.push(update));
    for (const edit of edits) edit(client);
    return updates;
  };

  it('asks for a resync when an update builds on operations the server does not have', () => {
    const doc = base();
    const [first, second] = liveUpdates(
      doc,
      (c) => c.getMap('meta').set('a', 1),
      (c) => c.getMap('meta').set('b', 2),
    );
    // `second` continues the clock of a client whose first edit the server never received.
    expect(checkUpdate(second!, doc, ROOT_TYPES)).toMatchObject({ kind: 'missing' });
    Y.applyUpdate(doc, first!);
    expect(checkUpdate(second!, doc, ROOT_TYPES)).toEqual({ kind: 'apply' });
  });

  it('asks for a resync for a deletion of something the server does not have', () => {
    const doc = base();
    const [insert, remove] = liveUpdates(
      doc,
      (c) => c.getMap('meta').set('a', 1),
      (c) => c.getMap('meta').delete('a'),
    );
    expect(checkUpdate(remove!, doc, ROOT_TYPES)).toMatchObject({ kind: 'missing' });
    Y.applyUpdate(doc, insert!);
    expect(checkUpdate(remove!, doc, ROOT_TYPES)).toEqual({ kind: 'apply' });
  });

  it('refuses a clock beyond 2^32 rather than asking for it', () => {
    const doc = base();
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, 99);
    encoding.writeVarUint(encoder, 2 ** 53 - 10); // clock
    encoding.writeUint8(encoder, 1); // ContentDeleted
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarString(encoder, 'meta');
    encoding.writeVarUint(encoder, 5);
    encoding.writeVarUint(encoder, 0);
    expect(checkUpdate(encoding.toUint8Array(encoder), doc, ROOT_TYPES)).toEqual({
      kind: 'refuse',
      reason: 'a clock out of range',
    });
  });
});

function nest(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

describe('checkAwareness', () => {
  const update = (entries: Array<[number, number, string]>) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, entries.length);
    for (const [id, clock, state] of entries) {
      encoding.writeVarUint(encoder, id);
      encoding.writeVarUint(encoder, clock);
      encoding.writeVarString(encoder, state);
    }
    return encoding.toUint8Array(encoder);
  };

  it('reads a stock presence state', () => {
    const state = JSON.stringify({ user: { name: 'Ada', color: '#30bced' }, cursor: null });
    expect(checkAwareness(update([[7, 3, state]]))).toEqual([{ clientId: 7, clock: 3, state: JSON.parse(state) }]);
  });

  it.each([
    ['a state nested 17 deep', [[1, 1, JSON.stringify(nest(17))]] as Array<[number, number, string]>],
    [
      'an oversized state',
      [[1, 1, JSON.stringify({ name: 'x'.repeat(33 * 1024) })]] as Array<[number, number, string]>,
    ],
    ['a clock beyond 2^32', [[1, 2 ** 40, 'null']] as Array<[number, number, string]>],
    ['invalid JSON', [[1, 1, '{']] as Array<[number, number, string]>],
    ['1,001 entries', Array.from({ length: 1_001 }, (_, i) => [i, 1, 'null']) as Array<[number, number, string]>],
  ])('refuses %s', (_what, entries) => {
    expect(() => checkAwareness(update(entries))).toThrow(AwarenessProblem);
  });

  it('refuses truncated bytes without throwing anything else', () => {
    const bytes = update([[1, 1, '{"a":1}']]);
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(() => checkAwareness(bytes.subarray(0, cut))).toThrow(AwarenessProblem);
    }
    expect(decoding.readVarUint(decoding.createDecoder(bytes))).toBe(1);
  });
});
