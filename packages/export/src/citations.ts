/// <reference path="./citation-js.d.ts" />
import { readFileSync } from 'node:fs';
import { Cite, plugins } from '@citation-js/core';
import '@citation-js/plugin-csl';
import type { CslItem } from '@debrief/sources';

import { CITATION_STYLES, type CitationStyle } from './contract.ts';

const TEMPLATES: Record<CitationStyle, string> = { chicago: 'chicago-notes-bibliography', apa: 'apa' };

let registered = false;

/**
 * Chicago notes-bibliography is not built into citation-js: the CSL file from the CSL styles
 * project is vendored in ../styles (CC BY-SA 3.0, see its NOTICE) and registered once.
 */
function register(): void {
  if (registered) return;
  const file = new URL('../styles/chicago-notes-bibliography.csl', import.meta.url);
  plugins.config.get('@csl').styles.add(TEMPLATES.chicago, readFileSync(file, 'utf8'));
  registered = true;
}

/** A source as CSL-JSON with the id citations refer to it by. */
export type CslReference = CslItem & { id: string };

// Always CSL-JSON objects: citation-js would fetch a string that starts with https://.
const cite = (items: CslReference[]) => new Cite(items, { forceType: '@csl/list+object' });

export interface FormattedCitations {
  /** The note (or in-text citation, for APA) of each source, by source id. */
  notes: Map<string, string>;
  /** Bibliography entries, in the order the style sorts them. */
  bibliography: string[];
}

/**
 * citeproc takes tens of milliseconds per source with Chicago's style: a briefing exported in
 * several formats formats the same sources once (kept per style and exact CSL items).
 */
const recent = new Map<string, FormattedCitations>();
const RECENT_LIMIT = 16;

/** Notes and bibliography of `items` in `style`, as plain text (each renderer escapes it itself). */
export function formatCitations(items: CslReference[], style: CitationStyle): FormattedCitations {
  const key = JSON.stringify([style, items]);
  const known = recent.get(key);
  if (known) return known;
  const formatted = format(items, style);
  recent.set(key, formatted);
  if (recent.size > RECENT_LIMIT) recent.delete(recent.keys().next().value as string);
  return formatted;
}

function format(items: CslReference[], style: CitationStyle): FormattedCitations {
  register();
  const template = TEMPLATES[style];
  const options = { format: 'text', template, lang: 'en-US' } as const;
  // One citeproc run for every source's note: citation-js would rebuild the processor per call.
  const engine = plugins.config.get('@csl').engine(items, template, 'en-US', 'text');
  const clusters = items.map((item) => ({ citationItems: [{ id: item.id }], properties: { noteIndex: 0 } }));
  const rendered = items.length === 0 ? [] : engine.rebuildProcessorState(clusters, 'text', []);
  const notes = new Map(items.map((item, i) => [item.id, String(rendered[i]?.[2] ?? '').trim()]));
  const bibliography =
    items.length === 0
      ? []
      : cite(items)
          .format('bibliography', options)
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
  return { notes, bibliography };
}

/** The first use of a style takes a second or more (citeproc compiles it): done at worker start. */
export function warmCitations(): void {
  const item: CslReference = { id: 'warm', type: 'webpage', title: 'Warm up', issued: { 'date-parts': [[2024]] } };
  for (const style of CITATION_STYLES) format([item], style);
}
