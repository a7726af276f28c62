import type { AppType } from '@debrief/server';
import { hc, type InferResponseType } from 'hono/client';

const api = hc<AppType>('/');

export type BriefingSummary = InferResponseType<typeof api.api.briefings.$get, 200>['briefings'][number];

/** A failed API call, carrying the server's own explanation so the UI can show it verbatim. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => null);
  const error = body && typeof body === 'object' && 'error' in body ? body.error : null;
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    return new ApiError(response.status, String(error.code), String(error.message));
  }
  return new ApiError(response.status, 'http_error', `The server answered ${response.status} ${response.statusText}`);
}

/** Turns "the server is unreachable" into the same kind of error as a refusal. */
function reach<R>(request: Promise<R>): Promise<R> {
  return request.catch(() => {
    throw new ApiError(0, 'network_error', 'Cannot reach the Debrief server. Check your connection and try again.');
  });
}

export async function listBriefings(): Promise<BriefingSummary[]> {
  const response = await reach(api.api.briefings.$get());
  if (!response.ok) throw await toApiError(response);
  return (await response.json()).briefings;
}

export async function createBriefing(title: string): Promise<string> {
  const response = await reach(api.api.briefings.$post({ json: { title } }));
  if (!response.ok) throw await toApiError(response);
  return (await response.json()).id;
}
