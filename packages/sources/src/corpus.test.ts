import { describe, expect, it } from 'vitest';
import { applyCleaning, type CleaningKind, type SourceDraft } from './index.ts';
import { readSample, readSampleBytes, sampleNames } from './sampleSources.ts';
import { decodeSourceBytes, prepareSource } from './server.ts';

function importSample(prefix: string): SourceDraft {
  return prepareSource({ format: 'text', content: readSample(prefix), accessed: new Date('2024-06-01T12:00:00Z') });
}

function cleanedFully(draft: SourceDraft): string {
  return applyCleaning(
    draft.normalised,
    draft.proposals,
    draft.proposals.map((proposal) => proposal.id),
  );
}

function kinds(draft: SourceDraft): CleaningKind[] {
  return draft.proposals.map((proposal) => proposal.kind);
}

describe('the sample corpus in shared/sources', () => {
  it('has the four articles the project was handed', () => {
    expect(sampleNames()).toHaveLength(4);
  });

  it.each(sampleNames())('imports %s as clean text, stored raw with its sha256', (name) => {
    const content = decodeSourceBytes(readSampleBytes(name));
    const draft = prepareSource({ format: 'text', content });
    expect(draft.raw).toBe(content);
    expect(draft.rawSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(draft.normalised.length).toBeGreaterThan(2000);
    expect(draft.normalised).not.toMatch(/\r| {2}|[ \t]\n|\n{3}/);
    expect(draft.metadata.accessed).toBeDefined();
  });

  describe('000 (German defence minister on the intercepted Webex call)', () => {
    const draft = importSample('000_');

    it('dates the article 2024-03-05 from the leading date marker', () => {
      expect(draft.metadata.issued).toEqual({ 'date-parts': [[2024, 3, 5]] });
      expect(draft.metadata.type).toBe('article-newspaper');
    });

    it('takes no title: the text opens with the lede sentence, which is not a headline', () => {
      expect(draft.metadata.title).toBeUndefined();
    });

    it('proposes removing the date marker and the embedded video teaser, keeping the quote it runs into', () => {
      const marker = draft.proposals.find((proposal) => proposal.kind === 'date_marker');
      expect(marker).toMatchObject({ start: 0, text: 'date 2024-03-05 ' });
      const teaser = draft.proposals.find((proposal) => proposal.kind === 'other_news');
      expect(teaser?.text).toMatch(/^WATCH \| .*wiretap $/);
      const cleaned = cleanedFully(draft);
      expect(cleaned.startsWith('German Defence Minister Boris Pistorius, on Tuesday (Mar 5) said')).toBe(true);
      expect(cleaned).toContain('“Our communication systems have not been compromised,” Pistorius told reporters');
      expect(cleaned).not.toContain('WATCH');
      expect(cleaned).toContain('Berlin would take measures so that such an incident would not happen again.');
    });
  });

  describe('001 (MENAFN summary of The Times report)', () => {
    const draft = importSample('001_');

    it('dates the article 2024-03-05 and names MENAFN, the wire credited before the lede, as publisher', () => {
      expect(draft.metadata.issued).toEqual({ 'date-parts': [[2024, 3, 5]] });
      expect(draft.metadata['container-title']).toBe('MENAFN');
    });

    it('takes no title: the text opens with the lede, and The Times is the retold source, not the publisher', () => {
      expect(draft.metadata.title).toBeUndefined();
      expect(draft.metadata['container-title']).not.toBe('The Times');
    });

    it('proposes removing the date marker and the trailing syndication id, and nothing else', () => {
      expect(kinds(draft)).toEqual(['date_marker', 'syndication_id']);
      expect(draft.proposals[1]?.text).toMatch(/^MENAFN\d{20,}ID\d+$/);
      const cleaned = cleanedFully(draft);
      expect(cleaned.startsWith('(MENAFN) In a startling revelation')).toBe(true);
      expect(cleaned.endsWith('reverberated across Western military circles.')).toBe(true);
      expect(cleaned).toContain('used standard, non-encrypted WebEx video conference software');
    });
  });

  describe('002 (Wall Street Journal report, syndicated with portal noise)', () => {
    const draft = importSample('002_');
    const cleaned = cleanedFully(draft);

    it('takes the headline, the publisher naming itself, and the author from "Write to … at"', () => {
      expect(draft.metadata.title).toBe(
        'Russian Tape of Secret German Meeting Reveals Berlin’s Thinking on Sending Missiles to Ukraine',
      );
      expect(draft.metadata['container-title']).toBe('The Wall Street Journal');
      expect(draft.metadata.author).toEqual([{ given: 'Bojan', family: 'Pancevski' }]);
      expect(draft.metadata.issued).toBeUndefined();
    });

    it('proposes removing each repeated portal headline line, but not the headline itself', () => {
      const repeated = draft.proposals.filter((proposal) => proposal.kind === 'repeated_headline');
      expect(repeated).toHaveLength(3);
      for (const proposal of repeated) expect(proposal.text).toMatch(/^microsoft, russian tape of secret german/);
      expect(cleaned.startsWith('Russian Tape of Secret German Meeting Reveals')).toBe(true);
    });

    it('proposes removing the OTHER NEWS teaser block and the portal label after it', () => {
      const block = draft.proposals.find((proposal) => proposal.kind === 'other_news');
      expect(block?.text.startsWith('News Related\n\nOTHER NEWS\n\nLawsuit seeks $16 million')).toBe(true);
      expect(block?.text.trimEnd().endsWith('anti-hate vigil on ... Read more »')).toBe(true);
      expect(block?.reason).toContain('7 teasers');
      const trailing = draft.proposals.at(-1);
      expect(trailing).toMatchObject({ kind: 'portal_boilerplate', text: 'Top List in the World' });
    });

    it('keeps the article body intact once every proposal is applied', () => {
      for (const sentence of [
        'BERLIN—Germany’s air force commander gathered his top officers for a secret meeting last month',
        'One officer dialed in with his cellphone from a Singapore hotel room.',
        '“This should be a wake-up call,” one senior official said.',
        'it would take 10 to 20 Taurus missiles to evade Russian air defenses and destroy the bridge.',
        '“Many people with American accents run around in civilian clothes” in Ukraine, he is heard saying.',
        'Write to Bojan Pancevski at',
        'An earlier version of this article incorrectly said WebEx was Microsoft’s tool. (Corrected on March 2)',
      ]) {
        expect(cleaned).toContain(sentence);
      }
      for (const noise of [
        'microsoft, russian tape',
        'OTHER NEWS',
        'News Related',
        'Read more »',
        'Heidi Klum',
        'Top List',
      ]) {
        expect(cleaned).not.toContain(noise);
      }
    });
  });

  describe('003 (UK report on the Era cryptophones)', () => {
    const draft = importSample('003_');
    const cleaned = cleanedFully(draft);

    it('claims no title, publisher or date that the text does not carry', () => {
      // It opens with its standfirst sentence and never names its publisher (Bellingcat is a source).
      expect(draft.metadata).toMatchObject({ type: 'document' });
      expect(draft.metadata.title).toBeUndefined();
      expect(draft.metadata['container-title']).toBeUndefined();
      expect(draft.metadata.issued).toBeUndefined();
    });

    it('proposes removing only the link to the live-updates page', () => {
      expect(kinds(draft)).toEqual(['other_news']);
      expect(draft.proposals[0]?.text).toMatch(/live updates\n$/);
    });

    it('keeps the body, its subheadings and its key-developments list intact', () => {
      for (const passage of [
        'Russian forces in Kharkiv have accidentally taken out their own secure communications systems',
        'Key developments:\n• Zelenskyy accuses Russia of violating earlier humanitarian corridors',
        '• New laws to help target Russian oligarchs pass Commons\nWhat happened?',
        'The boss says Era is not working.',
        'the cryptophones require 3G/4G data connections to work',
        'Equipment troubles',
        'towing away Russian military vehicles and weapons that have been abandoned by their troops.',
      ]) {
        expect(cleaned).toContain(passage);
      }
      expect(cleaned).not.toContain('live updates');
    });
  });
});
