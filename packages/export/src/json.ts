import { BriefingJSONSchema } from '@debrief/briefing';
import { CslItemSchema } from '@debrief/sources';
import { z } from 'zod';
import type { ExportInput, Report } from './report.ts';

/**
 * The JSON export: the briefing's toJSON, its sources as CSL-JSON references, and each excerpt
 * with its W3C selectors, hash, the status export's own check found and its note number.
 */
export const ExportJSONSchema = z.object({
  format: z.literal('debrief-briefing-export'),
  formatVersion: z.literal(1),
  exportedAt: z.string(),
  version: z.string().nullable(),
  marking: z.string().nullable(),
  style: z.string(),
  briefing: BriefingJSONSchema,
  references: z.array(CslItemSchema.extend({ id: z.string(), citationNumber: z.number().int() })),
  excerpts: z.array(
    z.object({
      excerptId: z.string(),
      sourceId: z.string(),
      note: z.number().int(),
      citationNumber: z.number().int(),
      selectors: z.tuple([
        z.object({ type: z.literal('TextQuoteSelector'), exact: z.string(), prefix: z.string(), suffix: z.string() }),
        z.object({ type: z.literal('TextPositionSelector'), start: z.number().int(), end: z.number().int() }),
      ]),
      quoteSha256: z.string(),
      status: z.string(),
      statusReason: z.string().nullable(),
      flagged: z.boolean(),
    }),
  ),
  appendix: z.array(
    z.object({
      number: z.number().int(),
      sourceId: z.string(),
      url: z.string().nullable(),
      accessed: z.string().nullable(),
      textSha256: z.string(),
    }),
  ),
  bibliography: z.array(z.string()),
});
export type ExportJSON = z.infer<typeof ExportJSONSchema>;

export function renderJson(report: Report, input: ExportInput): string {
  const numbers = new Map(report.appendix.map((entry) => [entry.sourceId, entry.number]));
  const value: ExportJSON = {
    format: 'debrief-briefing-export',
    formatVersion: 1,
    exportedAt: input.exportedAt,
    version: input.versionLabel,
    marking: report.marking,
    style: report.style,
    briefing: input.briefing,
    references: input.sources
      .filter((s) => numbers.has(s.id))
      .map((s) => ({ ...s.csl, id: s.id, citationNumber: numbers.get(s.id)! }))
      .sort((a, b) => a.citationNumber - b.citationNumber),
    excerpts: report.excerpts.map((e) => ({
      excerptId: e.excerptId,
      sourceId: e.sourceId,
      note: e.note,
      citationNumber: e.sourceNumber,
      selectors: [
        { type: 'TextQuoteSelector', exact: e.exact, prefix: e.prefix, suffix: e.suffix },
        { type: 'TextPositionSelector', start: e.start, end: e.end },
      ],
      quoteSha256: e.quoteSha256,
      status: e.status,
      statusReason: e.statusReason,
      flagged: e.flagged,
    })),
    appendix: report.appendix.map(({ title: _title, ...entry }) => entry),
    bibliography: report.bibliography,
  };
  return `${JSON.stringify(value, null, 2)}\n`;
}
