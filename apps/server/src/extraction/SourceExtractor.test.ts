import { prepareSource } from '@debrief/sources/server';
import { afterEach, describe, expect, it } from 'vitest';
import { SourceExtractor } from './SourceExtractor.ts';

const accessed = new Date('2024-03-06T09:30:00Z');
const paragraph = (n: number) =>
  `<p>Paragraph ${n} of the article explains how the call was joined from an unsecured hotel line.</p>`;
const article = `<html><head><title>Leak</title></head><body><article>${[1, 2, 3, 4].map(paragraph).join('')}</article></body></html>`;

/**
 * Within the depth limit, yet Readability needs seconds for it: each chain of 250 levels costs
 * about 0.3 s on this project's machines, 40 of them far more than the limit set below anywhere.
 */
const slowPage = () =>
  `<html><body>${`${'<div><p>word</p>'.repeat(250)}${'</div>'.repeat(250)}`.repeat(40)}</body></html>`;

/** Several MB of markup: linkedom's tree for it needs hundreds of MB of heap. */
const bigPage = () =>
  `<html><body><article>${'<div class="c"><p>Words, words, <a href="/x">a link</a> and <b>bold</b>.</p></div>'.repeat(40_000)}</article></body></html>`;

describe('SourceExtractor', () => {
  const extractors: SourceExtractor[] = [];
  const extractor = (options: Partial<ConstructorParameters<typeof SourceExtractor>[0]> = {}) => {
    const created = new SourceExtractor({ timeoutMs: 30_000, maxMemoryMb: 512, threads: 1, ...options });
    extractors.push(created);
    return created;
  };
  afterEach(async () => {
    await Promise.all(extractors.splice(0).map((e) => e.close()));
  });

  it('gives the same draft as prepareSource in this thread, and the same SourceError codes', async () => {
    const pool = extractor();
    const input = { format: 'html' as const, content: article, accessed };
    expect(await pool.prepare(input)).toEqual(prepareSource(input));
    await expect(pool.prepare({ format: 'html', content: '<nav>Home</nav>' })).rejects.toMatchObject({
      name: 'SourceError',
      code: 'no_article_body',
    });
    await expect(pool.prepare({ format: 'text', content: 'a\u0000b' })).rejects.toMatchObject({ code: 'invalid_text' });
  });

  it('stops an extraction past its time limit with source_too_complex, then serves the next one', async () => {
    // Room for the next, small page on a fresh worker of a loaded machine; none for the slow one.
    const pool = extractor({ timeoutMs: 2_000 });
    await expect(pool.prepare({ format: 'html', content: slowPage(), maxBytes: 1e7 })).rejects.toMatchObject({
      code: 'source_too_complex',
      message: expect.stringMatching(/longer than 2 s/),
    });
    expect((await pool.prepare({ format: 'html', content: article })).normalised).toContain('Paragraph 4');
  });

  it('stops an extraction past its memory limit with source_too_complex, then serves the next one', async () => {
    const pool = extractor({ maxMemoryMb: 64 });
    // The limit leaves room for a normal page: what fails below is the big page, not the worker.
    expect((await pool.prepare({ format: 'html', content: article })).normalised).toContain('Paragraph 4');
    await expect(pool.prepare({ format: 'html', content: bigPage(), maxBytes: 1e7 })).rejects.toMatchObject({
      code: 'source_too_complex',
      message: expect.stringMatching(/more than 64 MB/),
    });
    expect((await pool.prepare({ format: 'html', content: article })).normalised).toContain('Paragraph 4');
  });

  it('refuses an extraction with server_busy while its queue is full', async () => {
    const pool = extractor({ maxQueue: 1 });
    // One for the worker being started, one waiting: the queue is full.
    const accepted = [
      pool.prepare({ format: 'html', content: article }),
      pool.prepare({ format: 'html', content: article }),
    ];
    await expect(pool.prepare({ format: 'html', content: article })).rejects.toMatchObject({ code: 'server_busy' });
    await Promise.all(accepted);
  });
});
