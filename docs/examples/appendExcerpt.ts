import { createHash, randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';

/** Characters of context kept on each side of a quote (Debrief's own clients keep 32). */
const CONTEXT = 32;

export interface ExcerptRequest {
  /** The Debrief server, e.g. http://localhost:3000 */
  server: string;
  /** A personal API token (Account → API tokens, or `npm run cli -- token create`). */
  token: string;
  briefingId: string;
  sourceId: string;
  /** The source's text, as `GET /api/sources/:id` answers it in `text`. */
  sourceText: string;
  /** The passage to quote is sourceText.slice(start, end): UTF-16 offsets, as JavaScript counts. */
  start: number;
  end: number;
  note?: string;
}

export interface Verdict {
  excerptId: string;
  status: string;
  statusReason?: string;
}

/**
 * Appends an excerpt quoting a passage of a source to the Observation of a briefing's first lesson entry, using
 * nothing but yjs and y-websocket, and resolves with the server's verdict on it.
 */
export async function appendExcerpt(request: ExcerptRequest): Promise<Verdict> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${request.server.replace(/^http/, 'ws')}/collab`, request.briefingId, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    // The provider can send no header: the token goes in the query string.
    params: { token: request.token },
  });
  try {
    await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
    const { sourceText: text, start, end } = request;
    const exact = text.slice(start, end);
    // Every attribute is flat: the selectors are not nested objects, the offsets are numbers.
    const attributes: Record<string, string | number> = {
      excerptId: randomUUID(),
      sourceId: request.sourceId,
      exact,
      prefix: text.slice(Math.max(0, start - CONTEXT), start),
      suffix: text.slice(end, end + CONTEXT),
      start,
      end,
      quoteSha256: createHash('sha256').update(exact, 'utf8').digest('hex'),
      note: request.note ?? '',
    };
    const excerpt = new Y.XmlElement('excerpt');
    // yjs's types say attribute values are strings, but it stores any JSON value, and the offsets
    // must stay numbers: String(start) would make the excerpt invalid.
    for (const [key, value] of Object.entries(attributes)) excerpt.setAttribute(key, value as string);

    // Lesson entries are read in the order of their `order` keys, compared as plain strings.
    const orderOf = (entry: Y.Map<unknown>) => String(entry.get('order') ?? '');
    const lessons = doc
      .getArray<Y.Map<unknown>>('lessons')
      .toArray()
      .sort((a, b) => (orderOf(a) < orderOf(b) ? -1 : orderOf(a) > orderOf(b) ? 1 : 0));
    if (!lessons[0]) throw new Error('this briefing has no lesson entry');
    (lessons[0].get('observation') as Y.XmlFragment).push([excerpt]);

    // `status` is the server's to write: wait until it has checked the quote against the source.
    return await new Promise<Verdict>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the server gave no verdict within 10 s')), 10_000);
      const onChange = () => {
        const status = excerpt.getAttribute('status');
        if (status === undefined || status === 'pending') return;
        clearTimeout(timer);
        excerpt.unobserve(onChange);
        const statusReason = excerpt.getAttribute('statusReason');
        resolve({
          excerptId: String(excerpt.getAttribute('excerptId')),
          status: String(status),
          ...(statusReason === undefined ? {} : { statusReason: String(statusReason) }),
        });
      };
      excerpt.observe(onChange);
    });
  } finally {
    provider.destroy();
    doc.destroy();
  }
}
