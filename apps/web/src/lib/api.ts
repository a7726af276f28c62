import type { AppType } from '@debrief/server';
import { hc, type InferRequestType, type InferResponseType } from 'hono/client';

// The app is served by the Debrief server itself, so by default every call goes to the page's own
// origin. Node has no page to resolve a path against: tests name the server they started.
let base = '/';
let api = hc<AppType>(base);
let source = api.api.sources[':id'];

/** Sends every later call to the Debrief server at `url` (its origin, e.g. `http://127.0.0.1:3000`). */
export function setApiBase(url: string, headers: Record<string, string> = {}): void {
  base = url.endsWith('/') ? url : `${url}/`;
  api = hc<AppType>(base, { headers });
  source = api.api.sources[':id'];
}

export type BriefingSummary = InferResponseType<typeof api.api.briefings.$get, 200>['briefings'][number];
export type SourceSummary = InferResponseType<typeof api.api.sources.$get, 200>['sources'][number];
export type SourceDetail = InferResponseType<typeof source.$get, 200>;
export type SourceDraft = InferResponseType<typeof api.api.sources.preview.$post, 200>;
export type UploadedDraft = InferResponseType<typeof api.api.sources.upload.$post, 200>['drafts'][number];
export type SourceFormat = SourceDraft['format'];
export type CslMetadata = SourceDraft['metadata'];
export type MetadataPatch = NonNullable<InferRequestType<typeof api.api.sources.$post>['json']['metadata']>;
export type NewSource = InferRequestType<typeof api.api.sources.$post>['json'];
export type SourceCitation = InferResponseType<(typeof source)['citations']['$get'], 200>['citations'][number];

/** A failed API call, carrying the server's own explanation so the UI can show it verbatim. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Facts the server attached for the client to act on, e.g. the id of a duplicate source. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  const error = body && typeof body === 'object' && 'error' in body ? body.error : null;
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    const details = 'details' in error && error.details && typeof error.details === 'object' ? error.details : {};
    return new ApiError(response.status, String(error.code), String(error.message), details as Record<string, unknown>);
  }
  return new ApiError(response.status, 'http_error', `The server answered ${response.status} ${response.statusText}`);
}

/** Turns "the server is unreachable" into the same kind of error as a refusal. */
function reach<R>(request: Promise<R>): Promise<R> {
  return request.catch(() => {
    throw new ApiError(0, 'network_error', 'Cannot reach the Debrief server. Check your connection and try again.');
  });
}

/** Sends a request and hands back the body of a success; any refusal becomes an ApiError. */
async function call<R extends Response & { ok: boolean; json(): Promise<unknown> }>(
  request: Promise<R>,
): Promise<Awaited<ReturnType<Extract<R, { ok: true }>['json']>>> {
  const response = await reach(request);
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as Awaited<ReturnType<Extract<R, { ok: true }>['json']>>;
}

export async function listBriefings(): Promise<BriefingSummary[]> {
  return (await call(api.api.briefings.$get())).briefings;
}

export async function createBriefing(title: string): Promise<string> {
  return (await call(api.api.briefings.$post({ json: { title } }))).id;
}

export async function listSources(): Promise<SourceSummary[]> {
  return (await call(api.api.sources.$get())).sources;
}

export function getSource(id: string): Promise<SourceDetail> {
  return call(source.$get({ param: { id } }));
}

export function previewSource(input: { format: SourceFormat; content: string }): Promise<SourceDraft> {
  return call(api.api.sources.preview.$post({ json: input }));
}

export function fetchSource(url: string): Promise<SourceDraft> {
  return call(api.api.sources.fetch.$post({ json: { url } }));
}

export async function uploadSources(files: File[]): Promise<UploadedDraft[]> {
  return (await call(api.api.sources.upload.$post({ form: { files } }))).drafts;
}

export function createSource(input: NewSource): Promise<{ id: string; title: string }> {
  return call(api.api.sources.$post({ json: input }));
}

export function updateSourceMetadata(id: string, metadata: MetadataPatch): Promise<SourceSummary> {
  return call(source.$patch({ param: { id }, json: { metadata } }));
}

export async function deleteSource(id: string): Promise<void> {
  const response = await reach(source.$delete({ param: { id } }));
  if (!response.ok) throw await toApiError(response);
}

export async function listSourceCitations(id: string): Promise<SourceCitation[]> {
  return (await call(source.citations.$get({ param: { id } }))).citations;
}

/** Where the browser can download a source exactly as it was received (a link, not a fetch). */
export const rawSourceUrl = (id: string): string => `${base}api/sources/${encodeURIComponent(id)}/raw`;
