import * as Y from 'yjs';
import { z } from 'zod';
import { BriefingSchemaError, metaMap, readString, validated } from './schema.ts';

/**
 * The briefing's own fields, in the `meta` map: title, template, marking, event or operation,
 * period, authors and status. Each has a zod schema beside it; every setter validates, so a bad
 * value is refused with a message and nothing is written.
 */

export const MAX_TITLE_LENGTH = 200;

export function normaliseTitle(title: string): string {
  const clean = title.replace(/\s+/g, ' ').trim();
  if (!clean) throw new BriefingSchemaError('title must not be empty');
  if (clean.length > MAX_TITLE_LENGTH)
    throw new BriefingSchemaError(
      `title is longer than ${MAX_TITLE_LENGTH} characters (it has ${clean.length}); shorten it`,
    );
  return clean;
}

export function getTitle(doc: Y.Doc): string {
  return readString(metaMap(doc), 'title');
}

export function setTitle(doc: Y.Doc, title: string): void {
  metaMap(doc).set('title', normaliseTitle(title));
}

/** Traffic Light Protocol 2.0 labels, exactly: capitals, no spaces, never translated. */
export const TLP_LABELS = ['TLP:RED', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:GREEN', 'TLP:CLEAR'] as const;
export const TlpLabelSchema = z.enum(TLP_LABELS, {
  error: () => `must be exactly one of ${TLP_LABELS.join(', ')}`,
});
export type TlpLabel = z.infer<typeof TlpLabelSchema>;

export const MAX_CLASSIFICATION_LENGTH = 64;

/**
 * The classification banner (free text such as UNCLASSIFIED or CUI, printed at the top and bottom
 * of every page) and/or a TLP label. TLP is not a classification: a briefing may carry both.
 */
export const MarkingSchema = z.object({
  classification: z
    .string()
    .transform((value) => value.replace(/\s+/g, ' ').trim())
    .pipe(z.string().max(MAX_CLASSIFICATION_LENGTH, `must be at most ${MAX_CLASSIFICATION_LENGTH} characters`))
    .nullable()
    .transform((value) => value || null),
  tlp: TlpLabelSchema.nullable(),
});
export type Marking = z.infer<typeof MarkingSchema>;

export function getMarking(doc: Y.Doc): Marking {
  const meta = metaMap(doc);
  const tlp = TlpLabelSchema.safeParse(meta.get('tlp'));
  return { classification: readString(meta, 'classification') || null, tlp: tlp.success ? tlp.data : null };
}

export function setMarking(doc: Y.Doc, marking: Partial<Marking>): void {
  const next = validated(MarkingSchema, { ...getMarking(doc), ...marking }, 'marking');
  doc.transact(() => {
    metaMap(doc).set('classification', next.classification ?? '');
    metaMap(doc).set('tlp', next.tlp);
  });
}

/** A calendar date, YYYY-MM-DD (ISO 8601), that exists. */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  }, 'must be a date that exists');

export const MAX_EVENT_LENGTH = 200;
export const EventSchema = z
  .string()
  .transform((value) => value.replace(/\s+/g, ' ').trim())
  .pipe(z.string().max(MAX_EVENT_LENGTH, `must be at most ${MAX_EVENT_LENGTH} characters`));

/** When the event happened; either end may be unknown. */
export const PeriodSchema = z
  .object({ start: IsoDateSchema.nullable(), end: IsoDateSchema.nullable() })
  .refine((p) => p.start === null || p.end === null || p.start <= p.end, {
    message: 'must not end before it starts',
    path: ['end'],
  });
export type Period = z.infer<typeof PeriodSchema>;

export function getEvent(doc: Y.Doc): string {
  return readString(metaMap(doc), 'event');
}

export function setEvent(doc: Y.Doc, event: string): void {
  metaMap(doc).set('event', validated(EventSchema, event, 'event'));
}

const readDate = (value: unknown): string | null => (IsoDateSchema.safeParse(value).success ? (value as string) : null);

export function getPeriod(doc: Y.Doc): Period {
  return { start: readDate(metaMap(doc).get('periodStart')), end: readDate(metaMap(doc).get('periodEnd')) };
}

export function setPeriod(doc: Y.Doc, period: Partial<Period>): void {
  const next = validated(PeriodSchema, { ...getPeriod(doc), ...period }, 'period');
  doc.transact(() => {
    metaMap(doc).set('periodStart', next.start);
    metaMap(doc).set('periodEnd', next.end);
  });
}

export const MAX_AUTHOR_LENGTH = 100;
export const AuthorSchema = z
  .string()
  .transform((value) => value.replace(/\s+/g, ' ').trim())
  .pipe(
    z.string().min(1, 'must not be empty').max(MAX_AUTHOR_LENGTH, `must be at most ${MAX_AUTHOR_LENGTH} characters`),
  );

/** The authors' names, a Y.Array so that two people adding themselves at once both stay. */
function authorsArray(doc: Y.Doc): Y.Array<unknown> | null {
  const authors = metaMap(doc).get('authors');
  return authors instanceof Y.Array ? authors : null;
}

export function getAuthors(doc: Y.Doc): string[] {
  return (authorsArray(doc)?.toArray() ?? []).filter((name): name is string => typeof name === 'string');
}

export function addAuthor(doc: Y.Doc, name: string): void {
  const clean = validated(AuthorSchema, name, 'author');
  doc.transact(() => {
    let authors = authorsArray(doc);
    if (!authors) {
      authors = new Y.Array<unknown>();
      metaMap(doc).set('authors', authors);
    }
    if (!getAuthors(doc).includes(clean)) authors.push([clean]);
  });
}

export function removeAuthor(doc: Y.Doc, name: string): void {
  const authors = authorsArray(doc);
  if (!authors) return;
  doc.transact(() => {
    for (let i = authors.length - 1; i >= 0; i--) if (authors.get(i) === name) authors.delete(i, 1);
  });
}

/** draft → in review → final; a final briefing is read only for everyone but leads. */
export const BRIEFING_STATUSES = ['draft', 'in_review', 'final'] as const;
export const BriefingStatusSchema = z.enum(BRIEFING_STATUSES, {
  error: () => `must be one of ${BRIEFING_STATUSES.join(', ')}`,
});
export type BriefingStatus = z.infer<typeof BriefingStatusSchema>;

export function getStatus(doc: Y.Doc): BriefingStatus {
  const status = BriefingStatusSchema.safeParse(metaMap(doc).get('status'));
  return status.success ? status.data : 'draft';
}

/**
 * Sets the status. Only the server writes it (the status API checks who may, e.g. only a lead
 * finalises or reopens); it refuses a client update that touches it (STATUS_KEY).
 */
export function setStatus(doc: Y.Doc, status: BriefingStatus): void {
  metaMap(doc).set('status', validated(BriefingStatusSchema, status, 'status'));
}

/** The meta key the server alone writes through the status API. */
export const STATUS_KEY = 'status';
/** The meta key of the document's schema version: written when a briefing is made or migrated. */
export const SCHEMA_VERSION_KEY = 'schemaVersion';
/**
 * Meta keys only the server writes; a client update touching one is refused. A client that set
 * the schema version (to a newer one, say) would make the briefing unloadable for everyone.
 */
export const SERVER_OWNED_META_KEYS: ReadonlySet<string> = new Set([STATUS_KEY, SCHEMA_VERSION_KEY]);

export const TEMPLATE_IDS = ['lessons-learned', 'after-action-review', 'blank'] as const;
export const TemplateIdSchema = z.enum(TEMPLATE_IDS, {
  error: () => `must be one of ${TEMPLATE_IDS.join(', ')}`,
});
export type TemplateId = z.infer<typeof TemplateIdSchema>;

/** The template the briefing was created from (what structure it started with). */
export function getTemplate(doc: Y.Doc): TemplateId | null {
  const template = TemplateIdSchema.safeParse(metaMap(doc).get('template'));
  return template.success ? template.data : null;
}
