import type { BriefingJSON, BriefingStatus, TemplateId } from '@debrief/briefing';
import type { AppType } from '@debrief/server';
import { hc, type InferRequestType, type InferResponseType } from 'hono/client';

// The app is served by the Debrief server itself, so by default every call goes to the page's own
// origin. Node has no page to resolve a path against: tests name the server they started.
let base = '/';
let headers: Record<string, string> = {};
/** The workspace collection calls (lists, creation) are about; null: the account's default. */
let workspace: string | null = null;

/**
 * Every call names the current workspace (`?workspace=`): the server reads it on collections and
 * takes the workspace of the resource itself on routes with an id.
 */
const inWorkspace: typeof fetch = (input, init) => {
  if (workspace === null) return fetch(input, init);
  const url = new URL(input instanceof Request ? input.url : String(input), globalThis.location?.href);
  if (!url.searchParams.has('workspace')) url.searchParams.set('workspace', workspace);
  return fetch(input instanceof Request ? new Request(url, input) : url, init);
};

const client = () => hc<AppType>(base, { headers, fetch: inWorkspace });
let api = client();
let source = api.api.sources[':id'];
let workspaceApi = api.api.workspaces[':id'];

/** Sends every later call to the Debrief server at `url` (its origin, e.g. `http://127.0.0.1:3000`). */
export function setApiBase(url: string, extraHeaders: Record<string, string> = {}): void {
  base = url.endsWith('/') ? url : `${url}/`;
  headers = extraHeaders;
  api = client();
  source = api.api.sources[':id'];
  workspaceApi = api.api.workspaces[':id'];
}

/** Makes `id` the workspace later collection calls are about. */
export function setWorkspace(id: string | null): void {
  workspace = id;
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
export type Reliability = NonNullable<SourceSummary['reliability']>;
export type Corroboration = InferResponseType<
  (typeof api.api.briefings)[':id']['corroborations']['$get'],
  200
>['excerpts'][number];
export type Me = InferResponseType<typeof api.api.me.$get, 200>;
export type WorkspaceSummary = InferResponseType<typeof api.api.workspaces.$get, 200>['workspaces'][number];
export type Member = InferResponseType<(typeof workspaceApi)['members']['$get'], 200>['members'][number];
export type Invitation = InferResponseType<(typeof workspaceApi)['invitations']['$get'], 200>['invitations'][number];
export type AuditEvent = InferResponseType<(typeof workspaceApi)['audit']['$get'], 200>['events'][number];
export type ApiToken = InferResponseType<typeof api.api.me.tokens.$get, 200>['tokens'][number];
export type InvitationInfo = InferResponseType<(typeof api.api.invitations)[':token']['$get'], 200>;
export type Role = Member['role'];
export type NewAccount = { name: string; email: string; password: string };

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

/** A request whose success has no body (204). */
async function send(request: Promise<Response>): Promise<void> {
  const response = await reach(request);
  if (!response.ok) throw await toApiError(response);
}

export async function listBriefings(filter: { q?: string; archived?: boolean } = {}): Promise<BriefingSummary[]> {
  const query = {
    ...(filter.q ? { q: filter.q } : {}),
    ...(filter.archived ? { archived: 'true' as const } : {}),
  };
  return (await call(api.api.briefings.$get({ query }))).briefings;
}

export async function createBriefing(title: string, template?: TemplateId): Promise<string> {
  return (await call(api.api.briefings.$post({ json: { title, ...(template ? { template } : {}) } }))).id;
}

const briefing = () => api.api.briefings[':id'];

export function setBriefingStatus(id: string, status: BriefingStatus): Promise<unknown> {
  return call(briefing().status.$put({ param: { id }, json: { status } }));
}

export function setBriefingArchived(id: string, archived: boolean): Promise<unknown> {
  return call(briefing().archived.$put({ param: { id }, json: { archived } }));
}

export async function deleteBriefing(id: string): Promise<void> {
  const response = await reach(briefing().$delete({ param: { id } }));
  if (!response.ok) throw await toApiError(response);
}

export type Version = InferResponseType<ReturnType<typeof briefing>['versions']['$get'], 200>['versions'][number];

export async function listVersions(id: string): Promise<Version[]> {
  return (await call(briefing().versions.$get({ param: { id } }))).versions;
}

export function createVersion(id: string, name: string): Promise<Version> {
  return call(briefing().versions.$post({ param: { id }, json: { name } }));
}

/** A version as it was: the briefing's toJSON, which packages/briefing's schema describes. */
export async function getVersion(id: string, version: string): Promise<{ version: Version; briefing: BriefingJSON }> {
  const answer = await call(briefing().versions[':version'].$get({ param: { id, version } }));
  return { version: answer.version, briefing: answer.briefing as unknown as BriefingJSON };
}

export function restoreVersion(id: string, version: string): Promise<{ restored: Version; restorePoint: Version }> {
  return call(briefing().versions[':version'].restore.$post({ param: { id, version } }));
}

export type ExportJob = InferResponseType<ReturnType<typeof briefing>['exports']['$post'], 202>;
export type ExportRequest = InferRequestType<ReturnType<typeof briefing>['exports']['$post']>['json'];

/** Starts an export job (or gets the finished file of the same state again). */
export async function startExport(id: string, request: ExportRequest): Promise<ExportJob> {
  return call(briefing().exports.$post({ param: { id }, json: request }));
}

export async function getExport(job: string): Promise<ExportJob> {
  return call(api.api.exports[':job'].$get({ param: { job } }));
}

/** Where the browser downloads a finished export (a same-origin link: the session cookie goes with it). */
export function exportFileUrl(job: string): string {
  return `${base}api/exports/${job}/file`;
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

/** Grades a source's reliability on the Admiralty code (A–F); null: not judged. */
export function updateSourceReliability(id: string, reliability: Reliability | null): Promise<SourceSummary> {
  return call(source.$patch({ param: { id }, json: { reliability } }));
}

/** For each excerpt of a briefing, the other sources of the workspace that hold its quote. */
export async function listCorroborations(briefingId: string): Promise<Corroboration[]> {
  return (await call(api.api.briefings[':id'].corroborations.$get({ param: { id: briefingId } }))).excerpts;
}

export function deleteSource(id: string): Promise<void> {
  return send(source.$delete({ param: { id } }));
}

export async function listSourceCitations(id: string): Promise<SourceCitation[]> {
  return (await call(source.citations.$get({ param: { id } }))).citations;
}

/** Where the browser can download a source exactly as it was received (a link, not a fetch). */
export const rawSourceUrl = (id: string): string => `${base}api/sources/${encodeURIComponent(id)}/raw`;

// Accounts: who is signed in, their sessions, their tokens.

/** Who is signed in, or null when nobody is (the server answered 401). */
export async function getMe(): Promise<Me | null> {
  const response = await reach(api.api.me.$get());
  if ((response.status as number) === 401) return null;
  if (!response.ok) throw await toApiError(response);
  return (await response.json()) as Me;
}

export function signIn(email: string, password: string): Promise<void> {
  return send(api.api.auth['sign-in'].email.$post({ json: { email, password } }));
}

export function signOut(): Promise<void> {
  return send(api.api.auth['sign-out'].$post());
}

export async function setupRequired(): Promise<boolean> {
  return (await call(api.api.setup.$get())).required;
}

export function completeSetup(input: NewAccount & { code: string }): Promise<{ id: string }> {
  return call(api.api.setup.$post({ json: input }));
}

export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return send(api.api.me.password.$post({ json: { currentPassword, newPassword } }));
}

export function signOutEverywhere(): Promise<void> {
  return send(api.api.me['sign-out-everywhere'].$post());
}

export async function listTokens(): Promise<ApiToken[]> {
  return (await call(api.api.me.tokens.$get())).tokens;
}

export function createToken(name: string): Promise<{ id: string; token: string }> {
  return call(api.api.me.tokens.$post({ json: { name } }));
}

export function revokeToken(id: string): Promise<void> {
  return send(api.api.me.tokens[':id'].$delete({ param: { id } }));
}

// Workspaces, members, invitations, audit.

export async function listWorkspaces(): Promise<WorkspaceSummary[]> {
  return (await call(api.api.workspaces.$get())).workspaces;
}

export async function createWorkspace(name: string): Promise<string> {
  return (await call(api.api.workspaces.$post({ json: { name } }))).id;
}

export function updateWorkspace(id: string, change: { name?: string; archived?: boolean }): Promise<void> {
  return send(workspaceApi.$patch({ param: { id }, json: change }));
}

export async function listMembers(id: string): Promise<Member[]> {
  return (await call(workspaceApi.members.$get({ param: { id } }))).members;
}

export function changeRole(id: string, userId: string, role: Role): Promise<void> {
  return send(workspaceApi.members[':userId'].$patch({ param: { id, userId }, json: { role } }));
}

export function removeMember(id: string, userId: string): Promise<void> {
  return send(workspaceApi.members[':userId'].$delete({ param: { id, userId } }));
}

export function leaveWorkspace(id: string): Promise<void> {
  return send(workspaceApi.leave.$post({ param: { id } }));
}

export async function listInvitations(id: string): Promise<Invitation[]> {
  return (await call(workspaceApi.invitations.$get({ param: { id } }))).invitations;
}

export function createInvitation(
  id: string,
  input: { role: Role; email?: string },
): Promise<{ id: string; link: string; emailed: boolean }> {
  return call(workspaceApi.invitations.$post({ param: { id }, json: input }));
}

export function revokeInvitation(id: string, invitationId: string): Promise<void> {
  return send(workspaceApi.invitations[':invitationId'].$delete({ param: { id, invitationId } }));
}

export async function listAudit(id: string, filter: { action?: string; before?: string } = {}): Promise<AuditEvent[]> {
  return (await call(workspaceApi.audit.$get({ param: { id }, query: filter }))).events;
}

export function readInvitation(token: string): Promise<InvitationInfo> {
  return call(api.api.invitations[':token'].$get({ param: { token } }));
}

/** Joins with an invitation: as the signed-in user, or with a new account (then signed in). */
export async function acceptInvitation(token: string, account?: NewAccount): Promise<string> {
  const body = account ? { account } : {};
  return (await call(api.api.invitations[':token'].accept.$post({ param: { token }, json: body }))).workspaceId;
}
