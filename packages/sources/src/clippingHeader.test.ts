import { describe, expect, it } from 'vitest';
import { readClippingHeader } from './clippingHeader.ts';
import { applyCleaning, sourceTitle } from './index.ts';
import { prepareSource } from './server.ts';

const accessed = new Date('2025-04-01T08:00:00Z');
const BODY = [
  'The officer joined the call from a hotel line, which let the recording happen.',
  'Officials said the platform itself had not been breached.',
].join('\n\n');

const prepare = (content: string, format: 'text' | 'markdown' = 'text') => prepareSource({ format, content, accessed });

/** The text a reader sees once every proposal is accepted. */
const cleaned = (draft: ReturnType<typeof prepare>) =>
  applyCleaning(
    draft.normalised,
    draft.proposals,
    draft.proposals.map((p) => p.id),
  );

describe('clipping headers: YAML front matter', () => {
  const frontMatter = [
    '---',
    'title: "Pistorius: an officer’s mistake let Russia record the call"',
    'source: "https://www.reuters.com/world/europe/pistorius-call-2024-03-05/"',
    'author:',
    '  - "[[Sarah Marsh]]"',
    '  - Andreas Rinke',
    'published: 2024-03-05',
    'clipped: 2025-03-24',
    'tags:',
    '  - clippings',
    '  - "germany"',
    'description: An unknown key is ignored, whatever it holds.',
    '---',
    '',
    BODY,
  ].join('\n');

  it('reads title, address, authors and dates into CSL, the publisher from the address, unknown keys ignored', () => {
    const draft = prepare(frontMatter, 'markdown');
    expect(draft.metadata).toEqual({
      type: 'article-newspaper',
      title: 'Pistorius: an officer’s mistake let Russia record the call',
      'container-title': 'Reuters',
      author: [
        { given: 'Sarah', family: 'Marsh' },
        { given: 'Andreas', family: 'Rinke' },
      ],
      issued: { 'date-parts': [[2024, 3, 5]] },
      accessed: { 'date-parts': [[2025, 4, 1]] },
      URL: 'https://www.reuters.com/world/europe/pistorius-call-2024-03-05/',
    });
  });

  it('keeps the header at the top of the text and proposes removing it, like any other cleaning', () => {
    const draft = prepare(frontMatter, 'markdown');
    expect(draft.normalised.startsWith('---\ntitle:')).toBe(true);
    const [header, ...others] = draft.proposals;
    expect(header).toMatchObject({ kind: 'clipping_header', start: 0 });
    expect(header!.text).toContain('tags:');
    expect(header!.text.trimEnd().endsWith('---')).toBe(true);
    expect(others).toEqual([]);
    expect(cleaned(draft)).toBe(BODY);
    // Declined, nothing is lost: the header stays in the text as it was written.
    expect(applyCleaning(draft.normalised, draft.proposals, [])).toBe(draft.normalised);
  });

  it('reads front matter at the top of plain text too, with an author given as one string', () => {
    const content = `---\ntitle: Era phones failed\nauthor: Jane Doe and John Roe\ndate: March 24, 2025\n---\n${BODY}`;
    expect(prepare(content).metadata).toMatchObject({
      title: 'Era phones failed',
      author: [
        { given: 'Jane', family: 'Doe' },
        { given: 'John', family: 'Roe' },
      ],
      issued: { 'date-parts': [[2025, 3, 24]] },
    });
  });

  it('takes the calendar date written in an ISO timestamp, not converted to UTC', () => {
    const content = `---\ndate: 2025-03-24T23:30:00-05:00\n---\n${BODY}`;
    expect(prepare(content).metadata.issued).toEqual({ 'date-parts': [[2025, 3, 24]] });
    const utc = `---\ndate: 2025-03-24T10:00:00Z\n---\n${BODY}`;
    expect(prepare(utc).metadata.issued).toEqual({ 'date-parts': [[2025, 3, 24]] });
  });

  it('leaves text alone whose dashes are not front matter: unclosed, not YAML, or a list', () => {
    for (const content of [
      `---\ntitle: never closed\n\n${BODY}`,
      `---\n: [ not yaml\n---\n${BODY}`,
      `---\n- a list\n- not a header\n---\n${BODY}`,
    ]) {
      expect(readClippingHeader(content)).toBeNull();
      expect(prepare(content).proposals.some((p) => p.kind === 'clipping_header')).toBe(false);
    }
  });

  it('is not a header when nothing follows it', () => {
    expect(readClippingHeader('---\ntitle: Only a header\n---\n')).toBeNull();
    expect(readClippingHeader('title: Only a header\nurl: https://example.com/a\n')).toBeNull();
  });

  it('bounds aliases: a YAML billion-laughs header is not read', () => {
    const laughs = [
      '---',
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      ...Array.from({ length: 8 }, (_, i) => {
        const prev = String.fromCharCode(97 + i);
        const name = String.fromCharCode(98 + i);
        return `${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`;
      }),
      'title: Laughs',
      '---',
      BODY,
    ].join('\n');
    expect(readClippingHeader(laughs)).toBeNull();
  });
});

describe('clipping headers: plain key: value lines', () => {
  it('reads known keys at the very top, in any case, and the publisher from the link’s host', () => {
    const content = [
      'Title: Russia’s Era phones failed at the front',
      'Link: https://www.example-news.com/2022/era-phones',
      'Published: 2022-03-08',
      'By: Jane Doe',
      '',
      BODY,
    ].join('\n');
    const draft = prepare(content);
    expect(draft.metadata).toEqual({
      type: 'article-newspaper',
      title: 'Russia’s Era phones failed at the front',
      'container-title': 'example-news.com',
      author: [{ given: 'Jane', family: 'Doe' }],
      issued: { 'date-parts': [[2022, 3, 8]] },
      accessed: { 'date-parts': [[2025, 4, 1]] },
      URL: 'https://www.example-news.com/2022/era-phones',
    });
    expect(draft.proposals[0]).toMatchObject({ kind: 'clipping_header', start: 0 });
    expect(cleaned(draft)).toBe(BODY);
  });

  it('takes a stated publisher (site:, or source: that is a name) over the host', () => {
    const content = `title: The call\nurl: https://www.reuters.com/a\nsite: Reuters Investigates\n\n${BODY}`;
    expect(prepare(content).metadata['container-title']).toBe('Reuters Investigates');
    expect(prepare(`source: Deutsche Welle\ndate: 8 March 2022\n\n${BODY}`).metadata).toMatchObject({
      'container-title': 'Deutsche Welle',
      issued: { 'date-parts': [[2022, 3, 8]] },
    });
  });

  it('stops at the first line that is not a known key: an unknown key and what follows stay in the text', () => {
    const content = `title: The call\ncategory: security\nurl: https://example.com/a\n\n${BODY}`;
    const header = readClippingHeader(content);
    expect(header).toMatchObject({ form: 'key_value', metadata: { title: 'The call' } });
    expect(content.slice(header!.length)).toBe(`category: security\nurl: https://example.com/a\n\n${BODY}`);
    expect(prepare(content).metadata.URL).toBeUndefined();
  });

  it('includes a rule under the header in it', () => {
    const content = `title: The call\ndate: 2024-03-05\n---\n${BODY}`;
    const draft = prepare(content);
    expect(draft.proposals[0]!.text).toBe('title: The call\ndate: 2024-03-05\n---\n\n');
    expect(cleaned(draft)).toBe(BODY);
  });

  it('does not take a body line that merely looks like key: value for a header', () => {
    for (const content of [
      `Source: a senior official who asked not to be named said the call was intercepted.\n\n${BODY}`,
      `Date: the talks were held on a Tuesday in a hotel\n\n${BODY}`,
      `Update: the ministry has since confirmed the leak.\n\n${BODY}`,
      `url: not an address\n\n${BODY}`,
      `${BODY}\n\ntitle: A line far from the top`,
    ]) {
      expect(readClippingHeader(content), content).toBeNull();
    }
  });

  it('keeps the article’s own headline after the header, and does not propose it as a repeat', () => {
    const content = `title: Era Phones Failed At The Front\n\nEra Phones Failed At The Front\n\n${BODY}`;
    const draft = prepare(content);
    expect(draft.proposals.map((p) => p.kind)).toEqual(['clipping_header']);
  });
});

describe('sourceTitle: what the library shows', () => {
  it('is the title when there is one', () => {
    expect(sourceTitle({ title: '  The   call ' })).toBe('The call');
  });

  it('is an honest placeholder otherwise: publisher and date, the file name, or Untitled source', () => {
    const issued = { 'date-parts': [[2024, 3, 5]] };
    expect(sourceTitle({ 'container-title': 'Reuters', issued })).toBe('Reuters, 5 Mar 2024');
    expect(sourceTitle({ 'container-title': 'Reuters' }, 'report.pdf')).toBe('Reuters');
    expect(sourceTitle({}, 'after-action-report.pdf')).toBe('after-action-report.pdf');
    expect(sourceTitle({ issued })).toBe('Untitled source, 5 Mar 2024');
    expect(sourceTitle({})).toBe('Untitled source');
  });

  it('never shows a header line as the name of an article', () => {
    const draft = prepare(`title: The call\nurl: https://example.com/a\n\n${BODY}`);
    expect(sourceTitle(draft.metadata)).toBe('The call');
    const untitled = prepare(`url: https://example.com/a\n\n${BODY}`);
    expect(sourceTitle(untitled.metadata)).toBe('example.com');
  });
});
