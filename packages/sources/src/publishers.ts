/**
 * News publishers and wire services whose name in a text says who published it. The first name
 * of each entry is the one cited; the others are how the text may write it.
 */
const PUBLISHERS: readonly (readonly string[])[] = [
  ['Agence France-Presse', 'AFP'],
  ['Al Jazeera'],
  ['Associated Press', 'AP'],
  ['BBC News', 'BBC'],
  ['Bloomberg'],
  ['CNBC'],
  ['CNN'],
  ['Deutsche Welle', 'DW'],
  ['dpa', 'DPA'],
  ['Evening Standard'],
  ['Financial Times'],
  ['Fox News'],
  ['Kyiv Independent', 'The Kyiv Independent'],
  ['Le Monde'],
  ['Los Angeles Times'],
  ['MENAFN'],
  ['NPR'],
  ['Newsweek'],
  ['Politico', 'POLITICO'],
  ['Reuters'],
  ['Sky News'],
  ['Der Spiegel', 'Spiegel'],
  ['The Economist'],
  ['The Guardian'],
  ['The Independent'],
  ['The Moscow Times'],
  ['The New York Times', 'New York Times'],
  ['The Telegraph', 'The Daily Telegraph'],
  ['The Times'],
  ['The Wall Street Journal', 'Wall Street Journal', 'WSJ'],
  ['The Washington Post', 'Washington Post'],
  ['USA Today'],
  ['WION'],
];

const BY_ALIAS = new Map<string, string>(
  PUBLISHERS.flatMap((names) => names.map((alias) => [alias.toLowerCase(), names[0]!] as const)),
);

/** The cited name of a known publisher written as `name`, if it is one. */
export function knownPublisher(name: string): string | undefined {
  return BY_ALIAS.get(name.trim().toLowerCase());
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const ALIASES_LONGEST_FIRST = PUBLISHERS.flat()
  .sort((a, b) => b.length - a.length)
  .map(escapeRegExp)
  .join('|');

/**
 * A publisher that the text names as the one addressed, as papers write about themselves:
 * "confirmed … to The Wall Street Journal", "told the BBC". A publisher named as the subject of
 * reporting ("The Times reported") is someone else's story being retold, so it does not count.
 */
export const SELF_REFERENCE = new RegExp(`\\b(?:told|to)\\s+(?:the\\s+)?(${ALIASES_LONGEST_FIRST})\\b`, 'g');
