import { diffWordsWithSpace } from 'diff';
import { LESSON_FIELD_LABELS, LESSON_FIELDS, type LessonField } from './lessons.ts';
import type { BriefingJSON, RichTextNode } from './toJSON.ts';

/**
 * What changed between two states of a briefing (a version and now), from their `toJSON` trees.
 * Diffing the plain trees rather than rendering Yjs snapshots with y-prosemirror keeps garbage
 * collection on (snapshot rendering needs every deleted item kept, in every document, for ever,
 * and crashes without permanentUserData, y-prosemirror #128) and works for any version, including
 * ones taken before this feature existed. Text is compared word by word (jsdiff).
 */
export type TextChange = { kind: 'same' | 'added' | 'removed'; text: string };
export type ChangeKind = 'added' | 'removed' | 'changed' | 'unchanged';

export interface FieldChange {
  field: string;
  label: string;
  before: string;
  after: string;
}

export interface SectionDiff {
  id: string;
  kind: string;
  heading: string;
  /** The heading in the earlier state, when it was different. */
  headingBefore: string | null;
  change: ChangeKind;
  body: TextChange[];
}

export interface LessonDiff {
  id: string;
  title: string;
  titleBefore: string | null;
  change: ChangeKind;
  fields: FieldChange[];
  bodies: Array<{ field: LessonField; label: string; changes: TextChange[] }>;
}

export interface ExcerptChange {
  excerptId: string;
  sourceId: string;
  exact: string;
}

export interface BriefingDiff {
  /** True when anything at all differs. */
  changed: boolean;
  fields: FieldChange[];
  /** Sections in the later order, removed ones where they were. */
  sections: SectionDiff[];
  lessons: LessonDiff[];
  excerpts: { added: ExcerptChange[]; removed: ExcerptChange[] };
}

/** The text of a body as the comparison reads it: blocks on their own lines, excerpts quoted. */
export function bodyText(node: RichTextNode): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  if (node.type === 'excerpt') return `“${String(node.attrs?.exact ?? '')}”`;
  const children = (node.content ?? []).map((child) => bodyText(child));
  if (node.type === 'listItem') return `• ${children.join('\n')}`;
  const inline = node.content?.some((child) => child.type === 'text' || child.type === 'hardBreak');
  return children.join(inline ? '' : '\n');
}

export function diffText(before: string, after: string): TextChange[] {
  if (before === after) return before ? [{ kind: 'same', text: before }] : [];
  return diffWordsWithSpace(before, after).map((part) => ({
    kind: part.added ? 'added' : part.removed ? 'removed' : 'same',
    text: part.value,
  }));
}

const changedIn = (changes: TextChange[]) => changes.some((c) => c.kind !== 'same');

/** Later order, with each removed entry placed after the entry that preceded it before. */
function mergeOrder<T extends { id: string }>(before: T[], after: T[]): Array<{ before?: T; after?: T }> {
  const afterIds = new Set(after.map((e) => e.id));
  const beforeById = new Map(before.map((e) => [e.id, e]));
  const merged: Array<{ before?: T; after?: T }> = after.map((e) => {
    const earlier = beforeById.get(e.id);
    return earlier ? { before: earlier, after: e } : { after: e };
  });
  before.forEach((entry, index) => {
    if (afterIds.has(entry.id)) return;
    const previous = before[index - 1]?.id;
    const at = previous ? merged.findIndex((m) => (m.after ?? m.before)!.id === previous) + 1 : 0;
    merged.splice(at, 0, { before: entry });
  });
  return merged;
}

const change = (before: unknown, after: unknown, differs: boolean): ChangeKind =>
  before === undefined ? 'added' : after === undefined ? 'removed' : differs ? 'changed' : 'unchanged';

const field = (name: string, label: string, before: string, after: string): FieldChange[] =>
  before === after ? [] : [{ field: name, label, before, after }];

const periodText = (p: BriefingJSON['period']) => (p.start || p.end ? `${p.start ?? '…'} – ${p.end ?? '…'}` : '');
const markingText = (m: BriefingJSON['marking']) => [m.classification, m.tlp].filter(Boolean).join(' · ');

export function diffBriefings(before: BriefingJSON, after: BriefingJSON): BriefingDiff {
  const fields = [
    ...field('title', 'Title', before.title, after.title),
    ...field('marking', 'Marking', markingText(before.marking), markingText(after.marking)),
    ...field('event', 'Event', before.event, after.event),
    ...field('period', 'Period', periodText(before.period), periodText(after.period)),
    ...field('authors', 'Authors', before.authors.join(', '), after.authors.join(', ')),
    ...field('status', 'Status', before.status, after.status),
  ];
  const empty: RichTextNode = { type: 'doc', content: [] };
  const sections = mergeOrder(before.sections, after.sections).map(({ before: b, after: a }): SectionDiff => {
    const body = diffText(bodyText(b?.body ?? empty), bodyText(a?.body ?? empty));
    const heading = (a ?? b)!.heading;
    const headingBefore = a && b && a.heading !== b.heading ? b.heading : null;
    return {
      id: (a ?? b)!.id,
      kind: (a ?? b)!.kind,
      heading,
      headingBefore,
      change: change(b, a, changedIn(body) || headingBefore !== null),
      body,
    };
  });
  const lessons = mergeOrder(before.lessons, after.lessons).map(({ before: b, after: a }): LessonDiff => {
    const fieldsOf = (l: BriefingJSON['lessons'][number] | undefined) => ({
      capabilityArea: l?.capabilityArea ?? '',
      status: l?.status ?? '',
      actionBody: l?.actionBody ?? '',
      owner: l?.owner ?? '',
      dueDate: l?.dueDate ?? '',
    });
    const [fb, fa] = [fieldsOf(b), fieldsOf(a)];
    const lessonFields =
      a && b
        ? [
            ...field('capabilityArea', 'Capability area', fb.capabilityArea, fa.capabilityArea),
            ...field('status', 'Lifecycle', fb.status, fa.status),
            ...field('actionBody', 'Action body', fb.actionBody, fa.actionBody),
            ...field('owner', 'Owner', fb.owner, fa.owner),
            ...field('dueDate', 'Due', fb.dueDate, fa.dueDate),
          ]
        : [];
    const bodies = LESSON_FIELDS.map((f) => ({
      field: f,
      label: LESSON_FIELD_LABELS[f],
      changes: diffText(bodyText(b?.[f] ?? empty), bodyText(a?.[f] ?? empty)),
    }));
    const titleBefore = a && b && a.title !== b.title ? b.title : null;
    return {
      id: (a ?? b)!.id,
      title: (a ?? b)!.title,
      titleBefore,
      change: change(
        b,
        a,
        titleBefore !== null || lessonFields.length > 0 || bodies.some((body) => changedIn(body.changes)),
      ),
      fields: lessonFields,
      bodies,
    };
  });
  const summary = (e: BriefingJSON['excerpts'][number]): ExcerptChange => ({
    excerptId: e.excerptId,
    sourceId: e.sourceId,
    exact: e.exact,
  });
  const beforeIds = new Set(before.excerpts.map((e) => e.excerptId));
  const afterIds = new Set(after.excerpts.map((e) => e.excerptId));
  const excerpts = {
    added: after.excerpts.filter((e) => !beforeIds.has(e.excerptId)).map(summary),
    removed: before.excerpts.filter((e) => !afterIds.has(e.excerptId)).map(summary),
  };
  return {
    changed:
      fields.length > 0 ||
      excerpts.added.length + excerpts.removed.length > 0 ||
      sections.some((s) => s.change !== 'unchanged') ||
      lessons.some((l) => l.change !== 'unchanged'),
    fields,
    sections,
    lessons,
    excerpts,
  };
}
