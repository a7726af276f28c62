import { afterEach, describe, expect, it } from 'vitest';
import { anchorQuote, describeQuote, sha256Hex } from './index.ts';
import { prepareSource } from './server.ts';

const accessed = new Date('2024-03-06T09:30:00Z');
const paragraph = (n: number) =>
  `Paragraph ${n} of the article explains how the call was joined from an unsecured hotel line and why that mattered.`;

function page(head: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
}

const articleBody = `
  <nav><a href="/">Home</a> <a href="/world">World</a></nav>
  <article>
    <h1>Leak Exposes Secret Call</h1>
    <p>${paragraph(1)}</p>
    <h2>What happened</h2>
    <p>${paragraph(2)}<br>A line after a break.</p>
    <ul><li>First point</li><li>Second point</li></ul>
    <p>${paragraph(3)}</p>
  </article>
  <footer>© Example Times</footer>`;

const declaredGlobal = globalThis as { __sourceScriptRan?: unknown };

afterEach(() => {
  delete declaredGlobal.__sourceScriptRan;
});

function expectCode(run: () => unknown, code: string) {
  expect(run).toThrowError(expect.objectContaining({ code }));
}

describe('prepareSource: text', () => {
  it('stores the raw original with its sha256 and proposes without applying', () => {
    const content = ' date 2024-03-05 Body of the article.\r\n\r\n\r\nSecond   paragraph. ';
    const draft = prepareSource({ format: 'text', content, accessed });
    expect(draft.raw).toBe(content);
    expect(draft.rawSha256).toBe(sha256Hex(content));
    expect(draft.normalised).toBe('date 2024-03-05 Body of the article.\n\nSecond paragraph.');
    expect(draft.proposals.map((proposal) => proposal.kind)).toEqual(['date_marker']);
    expect(draft.metadata).toEqual({
      type: 'article-newspaper',
      issued: { 'date-parts': [[2024, 3, 5]] },
      accessed: { 'date-parts': [[2024, 3, 6]] },
    });
  });

  it('sets URL when given and the access date to today by default', () => {
    const draft = prepareSource({ format: 'text', content: 'Some text.', url: 'https://example.com/a' });
    const today = new Date();
    expect(draft.metadata.URL).toBe('https://example.com/a');
    expect(draft.metadata.accessed?.['date-parts'][0]?.[0]).toBe(today.getUTCFullYear());
    expect(draft.metadata.type).toBe('document');
  });

  it('refuses empty, whitespace-only and oversized content', () => {
    expectCode(() => prepareSource({ format: 'text', content: '' }), 'empty_source');
    expectCode(() => prepareSource({ format: 'text', content: ' \n\t ' }), 'empty_source');
    expectCode(() => prepareSource({ format: 'text', content: 'ü'.repeat(6), maxBytes: 11 }), 'source_too_large');
  });

  it('imports a huge single line, whose quotes still anchor', () => {
    const content = `${'lorem ipsum dolor sit amet '.repeat(150_000)}the needle sentence at the end.`;
    const draft = prepareSource({ format: 'text', content });
    const start = draft.normalised.indexOf('the needle');
    const anchor = describeQuote(draft.normalised, start, draft.normalised.length);
    expect(anchor.quote.suffix).toBe('');
    expect(anchorQuote(draft.normalised, anchor)).toMatchObject({ status: 'anchored', start });
    expect(anchorQuote(`x${draft.normalised}`, anchor)).toMatchObject({ status: 'moved', start: start + 1 });
  });
});

describe('prepareSource: markdown', () => {
  it('strips the syntax, keeps paragraphs and list items, and takes a leading heading as title', () => {
    const content = [
      '# The *Era* Phones',
      '',
      'Officials said **the secure system** was down, see [the report](https://example.com/r).',
      '',
      '- first point',
      '- second `point`',
      '',
      '> A quoted passage.',
      '',
      '<script>globalThis.__sourceScriptRan = true</script>',
    ].join('\n');
    const draft = prepareSource({ format: 'markdown', content, accessed });
    expect(draft.normalised).toBe(
      [
        'The Era Phones',
        'Officials said the secure system was down, see the report.',
        '• first point\n• second point',
        'A quoted passage.',
      ].join('\n\n'),
    );
    expect(draft.metadata.title).toBe('The Era Phones');
    expect(declaredGlobal.__sourceScriptRan).toBeUndefined();
  });
});

describe('prepareSource: html', () => {
  it('extracts the article as plain text with paragraph breaks, without navigation or footer', () => {
    const draft = prepareSource({ format: 'html', content: page('<title>Leak</title>', articleBody), accessed });
    expect(draft.normalised).toBe(
      [
        'Leak Exposes Secret Call',
        paragraph(1),
        'What happened',
        `${paragraph(2)}\nA line after a break.`,
        '• First point\n• Second point',
        paragraph(3),
      ].join('\n\n'),
    );
    expect(draft.raw).toContain('<nav>');
  });

  it('reads JSON-LD first, then Open Graph and meta tags, for the citation', () => {
    const head = `
      <title>Leak Exposes Secret Call | Example Times</title>
      <meta property="og:title" content="OG title">
      <meta property="og:site_name" content="Example Times">
      <meta name="author" content="Meta Author">
      <meta property="article:published_time" content="2024-03-02T23:10:00-05:00">
      <link rel="canonical" href="/world/leak">
      <script type="application/ld+json">${JSON.stringify({
        '@context': 'https://schema.org',
        '@graph': [
          { '@type': 'WebSite', name: 'Site' },
          {
            '@type': 'NewsArticle',
            headline: 'Leak Exposes Secret Call',
            datePublished: '2024-03-02T08:00:00Z',
            author: [
              { '@type': 'Person', name: 'Bojan Pancevski' },
              { '@type': 'Organization', name: 'Berlin Bureau' },
            ],
            publisher: { '@type': 'Organization', name: 'The Example Journal' },
          },
        ],
      })}</script>`;
    const draft = prepareSource({ format: 'html', content: page(head, articleBody), accessed });
    expect(draft.metadata).toEqual({
      type: 'article-newspaper',
      title: 'Leak Exposes Secret Call',
      'container-title': 'The Example Journal',
      author: [{ given: 'Bojan', family: 'Pancevski' }, { literal: 'Berlin Bureau' }],
      issued: { 'date-parts': [[2024, 3, 2]] },
      accessed: { 'date-parts': [[2024, 3, 6]] },
    });
  });

  it('falls back to meta tags and the <title> without the site name; cites the given URL over the canonical link', () => {
    const head = `
      <title>Leak Exposes Secret Call | Example Times</title>
      <meta property="og:site_name" content="Example Times">
      <meta name="author" content="Jane Doe and John Roe">
      <meta property="article:published_time" content="2024-03-02T23:10:00-05:00">
      <link rel="canonical" href="/world/leak">`;
    const withoutUrl = prepareSource({ format: 'html', content: page(head, articleBody), accessed });
    expect(withoutUrl.metadata.URL).toBeUndefined();
    const draft = prepareSource({
      format: 'html',
      content: page(head, articleBody),
      url: 'https://example.com/world/leak?utm_source=x',
      accessed,
    });
    expect(draft.metadata).toMatchObject({
      title: 'Leak Exposes Secret Call',
      'container-title': 'Example Times',
      author: [
        { given: 'Jane', family: 'Doe' },
        { given: 'John', family: 'Roe' },
      ],
      issued: { 'date-parts': [[2024, 3, 2]] },
      URL: 'https://example.com/world/leak?utm_source=x',
    });
    const absolute = page('<link rel="canonical" href="https://example.com/world/leak">', articleBody);
    expect(prepareSource({ format: 'html', content: absolute }).metadata.URL).toBe('https://example.com/world/leak');
  });

  it('refuses a page with only navigation and scripts: no article body', () => {
    const content = page(
      '<title>Home</title><script>var tracking = 1;</script>',
      '<nav><a href="/">Home</a> <a href="/a">About</a> <a href="/c">Contact</a></nav><script>document.write("x")</script>',
    );
    expectCode(() => prepareSource({ format: 'html', content }), 'no_article_body');
  });

  it('never runs a script from the page and keeps no script code in the text', () => {
    const hostile = `
      <article>
        <p>${paragraph(1)}<img src="x" onerror="globalThis.__sourceScriptRan = 'onerror'"></p>
        <script>globalThis.__sourceScriptRan = 'script';</script>
        <p onclick="globalThis.__sourceScriptRan = 'onclick'">${paragraph(2)}</p>
        <svg><script>globalThis.__sourceScriptRan = 'svg'</script></svg>
        <iframe srcdoc="<script>globalThis.__sourceScriptRan = 'iframe'</script>"></iframe>
        <p><a href="javascript:globalThis.__sourceScriptRan = 'link'">${paragraph(3)}</a></p>
        <noscript>Enable JavaScript</noscript><style>p { color: red }</style>
      </article>`;
    const draft = prepareSource({
      format: 'html',
      content: page('<script>globalThis.__sourceScriptRan = "head"</script>', hostile),
    });
    expect(declaredGlobal.__sourceScriptRan).toBeUndefined();
    expect(draft.normalised).toBe([paragraph(1), paragraph(2), paragraph(3)].join('\n\n'));
    expect(draft.normalised).not.toMatch(/__sourceScriptRan|onerror|javascript:|color: red|Enable JavaScript/);
  });
});

/** No NUL and no unpaired surrogate: PostgreSQL's text and jsonb refuse both. */
const storable = (text: string) => !text.includes('\u0000') && text.isWellFormed();
const stringsIn = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : value && typeof value === 'object'
      ? Object.values(value).flatMap(stringsIn)
      : [];

describe('prepareSource: characters that are not text', () => {
  it('refuses a NUL character with invalid_text, saying what and where it is', () => {
    const content = `${paragraph(1)} abc\u0000def`;
    for (const format of ['text', 'markdown', 'html'] as const) {
      expectCode(() => prepareSource({ format, content }), 'invalid_text');
    }
    expect(() => prepareSource({ format: 'text', content })).toThrow(/NUL.*at character 116\b/);
  });

  it('replaces a lone surrogate with U+FFFD, as decoding would, in the original and all that comes from it', () => {
    const content = `A headline with a broken \ud800 character\n\n${paragraph(1)} And a stray \udc00 low half.`;
    const draft = prepareSource({ format: 'text', content, accessed });
    expect(draft.raw).toBe(content.replace('\ud800', '\ufffd').replace('\udc00', '\ufffd'));
    expect(draft.rawSha256).toBe(sha256Hex(draft.raw));
    expect(draft.metadata.title).toBe('A headline with a broken \ufffd character');
    expect(storable(draft.normalised)).toBe(true);
    // A well-formed pair is one character and stays as it is.
    expect(prepareSource({ format: 'text', content: `${paragraph(1)} 🙂` }).raw).toContain('🙂');
  });

  it('lets no NUL or lone surrogate from escapes in a page into its text or metadata', () => {
    const head = `<title>Escaped &#xD800; title &#0;</title>
      <meta property="og:site_name" content="Site &#xDC00;">
      <script type="application/ld+json">{"@type":"NewsArticle","headline":"JSON \\u0000 headline \\ud800",
        "author":{"@type":"Person","name":"Jane \\ud800 Doe"},"publisher":{"name":"Wire \\u0000"}}</script>`;
    const body = `<article><p>${paragraph(1)} &#0; &#xD800; &#x110000;</p><p>${paragraph(2)}</p></article>`;
    const draft = prepareSource({ format: 'html', content: page(head, body), accessed });
    expect(stringsIn(draft.metadata).every(storable)).toBe(true);
    expect(storable(draft.normalised)).toBe(true);
    expect(draft.metadata.title).toBe('JSON \ufffd headline \ufffd');
    const markdown = prepareSource({ format: 'markdown', content: `# Title &#0; &#xD800;\n\n${paragraph(1)} &#0;` });
    expect(stringsIn(markdown).every(storable)).toBe(true);
  });
});

describe('prepareSource: html without a document structure', () => {
  it('extracts an article pasted as a fragment, without <html> or <body>', () => {
    for (const content of [
      `<article><h1>Leak Exposes Secret Call</h1><p>${paragraph(1)}</p><p>${paragraph(2)}</p></article>`,
      `<title>Leak</title><p>${paragraph(1)}</p><p>${paragraph(2)}</p>`,
      `<html><p>${paragraph(1)}</p><p>${paragraph(2)}</p></html>`,
      `<body><p>${paragraph(1)}</p><p>${paragraph(2)}</p></body>`,
    ]) {
      const draft = prepareSource({ format: 'html', content });
      expect(draft.normalised).toContain(paragraph(1));
      expect(draft.normalised).toContain(paragraph(2));
    }
  });

  it('refuses markup with no document element or no body text as no_article_body, not a crash', () => {
    for (const content of [
      '<script>document.title = 1</script>'.repeat(10_000),
      '<script>x</script>',
      'just some words, no markup at all',
      '<!-- only a comment -->',
      '<frameset><frame src="a.html"></frameset>',
    ]) {
      expectCode(() => prepareSource({ format: 'html', content }), 'no_article_body');
    }
  });

  it('refuses a page nested far deeper than any article with source_too_complex', () => {
    // Readability's cost grows with the cube of the depth: 7,000 levels ran for minutes.
    const content = `<html><body>${'<div>'.repeat(1_000)}<p>${paragraph(1)}</p>${'</div>'.repeat(1_000)}</body></html>`;
    expectCode(() => prepareSource({ format: 'html', content }), 'source_too_complex');
    // Raw HTML inside Markdown is parsed the same way.
    expectCode(
      () => prepareSource({ format: 'markdown', content: `${paragraph(1)}\n\n${content}` }),
      'source_too_complex',
    );
  });
});
