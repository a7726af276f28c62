import * as Y from 'yjs';
import { z } from 'zod';
import { type BodyLocation, bodyContaining, findBody } from './bodies.ts';
import { getExcerpts } from './excerpts.ts';
import { BriefingSchemaError, commentsMap, newId, validated } from './schema.ts';

/**
 * Comment threads, stored in the document so they sync, persist, version and export with it: the
 * root map `comments` holds a Y.Map per thread, by id:
 *
 *   id, anchor (plain value, below), author { id, name }, createdAt (ISO time),
 *   resolved: boolean, messages: Y.Array of plain messages (comments, and resolve/reopen events)
 *
 * A thread is anchored to a text range with two Yjs relative positions (Y.relativePositionToJSON),
 * which follow the text as people edit around it, or to an excerpt by its id. A resolved thread
 * stays, with its history; reopening it adds to that history.
 */

/** Y.relativePositionToJSON's form: the type or item the position is relative to. */
const IdSchema = z.object({ client: z.number().int().nonnegative(), clock: z.number().int().nonnegative() });
export const RelativePositionJSONSchema = z.object({
  type: IdSchema.nullable().optional(),
  tname: z.string().nullable().optional(),
  item: IdSchema.nullable().optional(),
  assoc: z.number().int().optional(),
});
export type RelativePositionJSON = z.infer<typeof RelativePositionJSONSchema>;

export const MAX_QUOTE_LENGTH = 2000;
export const MAX_COMMENT_LENGTH = 5000;

export const CommentAnchorSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('range'),
    start: RelativePositionJSONSchema,
    end: RelativePositionJSONSchema,
    /** The text commented on, when the thread was started. */
    quote: z.string().max(MAX_QUOTE_LENGTH),
  }),
  z.object({ kind: z.literal('excerpt'), excerptId: z.string().min(1) }),
]);
export type CommentAnchor = z.infer<typeof CommentAnchorSchema>;

export const CommentAuthorSchema = z.object({ id: z.string().min(1), name: z.string().min(1).max(100) });
export type CommentAuthor = z.infer<typeof CommentAuthorSchema>;

export const CommentBodySchema = z
  .string()
  .transform((value) => value.trim())
  .pipe(
    z.string().min(1, 'must not be empty').max(MAX_COMMENT_LENGTH, `must be at most ${MAX_COMMENT_LENGTH} characters`),
  );

export const COMMENT_MESSAGE_KINDS = ['comment', 'resolved', 'reopened'] as const;
export const CommentMessageSchema = z.object({
  id: z.string(),
  kind: z.enum(COMMENT_MESSAGE_KINDS),
  author: CommentAuthorSchema,
  /** Empty for resolve and reopen events. */
  body: z.string(),
  createdAt: z.string(),
});
export type CommentMessage = z.infer<typeof CommentMessageSchema>;

export interface CommentThread {
  id: string;
  anchor: CommentAnchor;
  author: CommentAuthor;
  createdAt: string;
  resolved: boolean;
  /** Oldest first. */
  messages: CommentMessage[];
}

const now = () => new Date().toISOString();

function message(kind: CommentMessage['kind'], author: CommentAuthor, body = ''): CommentMessage {
  return { id: newId(), kind, author, body, createdAt: now() };
}

function readThread(map: Y.Map<unknown>): CommentThread | null {
  const anchor = CommentAnchorSchema.safeParse(map.get('anchor'));
  const author = CommentAuthorSchema.safeParse(map.get('author'));
  const messages = map.get('messages');
  const id = map.get('id');
  if (typeof id !== 'string' || !anchor.success || !author.success || !(messages instanceof Y.Array)) return null;
  const createdAt = map.get('createdAt');
  return {
    id,
    anchor: anchor.data,
    author: author.data,
    createdAt: typeof createdAt === 'string' ? createdAt : '',
    resolved: map.get('resolved') === true,
    messages: messages.toArray().flatMap((entry) => {
      const parsed = CommentMessageSchema.safeParse(entry);
      return parsed.success ? [parsed.data] : [];
    }),
  };
}

/** Every thread, oldest first; threads written in a wrong shape are skipped. */
export function getThreads(doc: Y.Doc): CommentThread[] {
  const threads: CommentThread[] = [];
  for (const value of commentsMap(doc).values()) {
    const thread = value instanceof Y.Map ? readThread(value) : null;
    if (thread) threads.push(thread);
  }
  return threads.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
}

export function findThread(doc: Y.Doc, id: string): CommentThread | undefined {
  const map = commentsMap(doc).get(id);
  return map instanceof Y.Map ? (readThread(map) ?? undefined) : undefined;
}

function threadMap(doc: Y.Doc, id: string): Y.Map<unknown> {
  const map = commentsMap(doc).get(id);
  if (!(map instanceof Y.Map) || !readThread(map)) throw new BriefingSchemaError(`no comment thread ${id}`);
  return map;
}

/** Starts a thread with its first comment; answers the thread's id. */
export function startThread(doc: Y.Doc, input: { anchor: CommentAnchor; author: CommentAuthor; body: string }): string {
  const anchor = validated(CommentAnchorSchema, input.anchor, 'comment anchor');
  const author = validated(CommentAuthorSchema, input.author, 'comment author');
  const body = validated(CommentBodySchema, input.body, 'comment');
  const id = newId();
  const thread = new Y.Map<unknown>();
  const messages = new Y.Array<unknown>();
  messages.push([message('comment', author, body)]);
  doc.transact(() => {
    thread.set('id', id);
    thread.set('anchor', anchor);
    thread.set('author', author);
    thread.set('createdAt', now());
    thread.set('resolved', false);
    thread.set('messages', messages);
    commentsMap(doc).set(id, thread);
  });
  return id;
}

export function replyToThread(doc: Y.Doc, threadId: string, input: { author: CommentAuthor; body: string }): void {
  const author = validated(CommentAuthorSchema, input.author, 'comment author');
  const body = validated(CommentBodySchema, input.body, 'comment');
  (threadMap(doc, threadId).get('messages') as Y.Array<unknown>).push([message('comment', author, body)]);
}

/** Resolves or reopens a thread; the change is added to its history. */
export function setThreadResolved(doc: Y.Doc, threadId: string, resolved: boolean, by: CommentAuthor): void {
  const author = validated(CommentAuthorSchema, by, 'comment author');
  const map = threadMap(doc, threadId);
  if ((map.get('resolved') === true) === resolved) return;
  doc.transact(() => {
    map.set('resolved', resolved);
    (map.get('messages') as Y.Array<unknown>).push([message(resolved ? 'resolved' : 'reopened', author)]);
  });
}

/** The texts of a body in document order, with where each starts in the body's text. */
function textsOf(fragment: Y.XmlFragment): Array<{ node: Y.XmlText; text: string; from: number }> {
  const texts: Array<{ node: Y.XmlText; text: string; from: number }> = [];
  let at = 0;
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of node.toArray()) {
      if (child instanceof Y.XmlText) {
        const delta = child.toDelta() as Array<{ insert: unknown }>;
        const text = delta.map((op) => (typeof op.insert === 'string' ? op.insert : ' ')).join('');
        texts.push({ node: child, text, from: at });
        at += text.length;
      } else if (child instanceof Y.XmlElement) walk(child);
    }
  };
  walk(fragment);
  return texts;
}

/** The plain text of a body as anchors count it: every text run, end to end, nothing between blocks. */
export function anchorText(fragment: Y.XmlFragment): string {
  return textsOf(fragment)
    .map((t) => t.text)
    .join('');
}

/**
 * A range anchor over `from`–`to` of a body's anchor text (anchorText), for clients without an
 * editor (scripts, tests). The editor makes the same anchor from its selection with y-tiptap.
 */
export function rangeAnchor(doc: Y.Doc, location: BodyLocation, from: number, to: number): CommentAnchor {
  const body = findBody(doc, location);
  if (!body) throw new BriefingSchemaError(`no body at ${JSON.stringify(location)}`);
  const texts = textsOf(body.fragment);
  const total = texts.reduce((sum, t) => sum + t.text.length, 0);
  if (!(from >= 0 && from < to && to <= total)) {
    throw new BriefingSchemaError(`comment range ${from}–${to} is not within the text (0–${total})`);
  }
  const position = (offset: number, assoc: number) => {
    const hit = texts.find((t) => offset >= t.from && offset <= t.from + t.text.length && t.text.length > 0)!;
    return Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(hit.node, offset - hit.from, assoc));
  };
  const quote = texts
    .map((t) => t.text)
    .join('')
    .slice(from, to);
  return {
    kind: 'range',
    start: position(from, 0) as RelativePositionJSON,
    end: position(to, -1) as RelativePositionJSON,
    quote: quote.slice(0, MAX_QUOTE_LENGTH),
  };
}

/** Where a thread's anchor is now. */
export interface ResolvedAnchor {
  /** The body it is in, or null when what it was on is gone. */
  location: BodyLocation | null;
  /** The text it covers now (an excerpt's quote for an excerpt anchor); '' when gone. */
  quote: string;
  /** Its start and end in the body's anchor text, for a range still in place. */
  from: number | null;
  to: number | null;
  /** What it was on was deleted: the thread is kept, shown without a place. */
  detached: boolean;
}

const DETACHED: ResolvedAnchor = { location: null, quote: '', from: null, to: null, detached: true };

/** Resolves a relative position to an offset in its body's anchor text, and that body. */
function offsetOf(
  doc: Y.Doc,
  json: RelativePositionJSON,
): { location: BodyLocation; fragment: Y.XmlFragment; offset: number } | null {
  let absolute: Y.AbsolutePosition | null;
  try {
    absolute = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(json), doc);
  } catch {
    return null;
  }
  if (!absolute) return null;
  const body = bodyContaining(doc, absolute.type as Y.AbstractType<unknown>);
  if (!body) return null;
  const texts = textsOf(body.fragment);
  const type = absolute.type;
  if (type instanceof Y.XmlText) {
    const hit = texts.find((t) => t.node === type);
    return hit ? { location: body.location, fragment: body.fragment, offset: hit.from + absolute.index } : null;
  }
  // A position between blocks: the text of whatever comes at or after child `index` of `type`.
  const children = (type as Y.XmlElement | Y.XmlFragment).toArray();
  const after = new Set<Y.XmlText>();
  const gather = (node: unknown) => {
    if (node instanceof Y.XmlText) after.add(node);
    else if (node instanceof Y.XmlElement) for (const child of node.toArray()) gather(child);
  };
  for (const child of children.slice(absolute.index)) gather(child);
  const next = texts.find((t) => after.has(t.node));
  const end = texts.reduce((sum, t) => sum + t.text.length, 0);
  return { location: body.location, fragment: body.fragment, offset: next ? next.from : end };
}

export function resolveAnchor(doc: Y.Doc, anchor: CommentAnchor): ResolvedAnchor {
  if (anchor.kind === 'excerpt') {
    const excerpt = getExcerpts(doc).find((e) => e.excerptId === anchor.excerptId);
    return excerpt
      ? { location: excerpt.location, quote: excerpt.exact, from: null, to: null, detached: false }
      : DETACHED;
  }
  const start = offsetOf(doc, anchor.start);
  const end = offsetOf(doc, anchor.end);
  if (!start || !end || start.fragment !== end.fragment || end.offset < start.offset) return DETACHED;
  const quote = anchorText(start.fragment).slice(start.offset, end.offset);
  if (quote === '' && anchor.quote !== '') return DETACHED;
  return { location: start.location, quote, from: start.offset, to: end.offset, detached: false };
}
