import { describe, expect, it } from 'vitest';
import { metadataFromText } from './index.ts';

describe('metadataFromText', () => {
  it('takes the date from a leading date marker', () => {
    expect(metadataFromText('date 2023-11-28 Text of the article.').issued).toEqual({ 'date-parts': [[2023, 11, 28]] });
  });

  it('ignores an impossible date marker', () => {
    expect(metadataFromText('date 2023-02-30 Text of the article.').issued).toBeUndefined();
  });

  it('takes the date from a "Published" line near the top', () => {
    const text = 'Headline Over Three Words\nPublished: March 2, 2024\n\nBody text of the article.';
    expect(metadataFromText(text).issued).toEqual({ 'date-parts': [[2024, 3, 2]] });
    expect(metadataFromText('Updated 8 Mar 2022\n\nBody.').issued).toEqual({ 'date-parts': [[2022, 3, 8]] });
  });

  it('takes the first line as title only when it looks like a headline', () => {
    expect(metadataFromText('Ministers Meet Over Leak\n\nBody text.').title).toBe('Ministers Meet Over Leak');
    expect(metadataFromText('Was the call intercepted?\n\nBody text.').title).toBe('Was the call intercepted?');
    expect(
      metadataFromText('The minister said on Tuesday that the call was intercepted.\n\nMore.').title,
    ).toBeUndefined();
    expect(metadataFromText('lower-case portal label here\n\nBody.').title).toBeUndefined();
    expect(metadataFromText('Only One Line Of Text').title).toBeUndefined();
  });

  it('reads bylines and "Write to … at" footers as authors, publishers excluded', () => {
    const text = [
      'Leak Reveals Secret Call',
      'By Jane Doe and Jean-Luc de la Fontaine in Paris',
      'Body text of the article.',
      'Write to Jane Doe at jane@example.com and Max Mustermann at max@example.com',
    ].join('\n\n');
    expect(metadataFromText(text).author).toEqual([
      { given: 'Jane', family: 'Doe' },
      { given: 'Jean-Luc', family: 'de la Fontaine' },
      { given: 'Max', family: 'Mustermann' },
    ]);
    expect(metadataFromText('Title Of The Piece\n\nBy Jane Doe, Reuters\n\nBody.').author).toEqual([
      { given: 'Jane', family: 'Doe' },
    ]);
  });

  it('does not read a sentence starting with "By" as a byline', () => {
    expect(metadataFromText('By Tuesday, the army had withdrawn from the city.\n\nMore.').author).toBeUndefined();
  });

  it('names the publisher from a wire credit, a wire id, a copyright line or a paper naming itself', () => {
    expect(metadataFromText('LONDON (Reuters) - The minister said.')['container-title']).toBe('Reuters');
    expect(metadataFromText('(AP) — The minister said.')['container-title']).toBe('Associated Press');
    expect(metadataFromText('Body.\n\nMENAFN01012024000045015687ID1107936133')['container-title']).toBe('MENAFN');
    expect(metadataFromText('Body.\n\n© 2024 Example Gazette. All rights reserved.')['container-title']).toBe(
      'Example Gazette',
    );
    expect(metadataFromText('Officials told the BBC it was a mistake.')['container-title']).toBe('BBC News');
  });

  it('does not take a paper whose report is being retold as the publisher', () => {
    expect(metadataFromText('The Times reported on Sunday that the call was intercepted.')['container-title']).toBe(
      undefined,
    );
  });

  it('does not read metadata inside teasers for other articles', () => {
    const text = [
      'Body of the article, as a sentence.',
      'OTHER NEWS',
      'Write to Someone Else at the desk',
      'Officials told The Guardian about another story ... Read more »',
    ].join('\n\n');
    expect(metadataFromText(text)).toEqual({ type: 'document' });
  });
});
