import type { Problem } from './types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
  }
}

export type Api = <T>(path: string, init?: { method?: string; body?: unknown }) => Promise<T>;

/** Calls the API with the operator's key; a non-2xx answer becomes an ApiError carrying the field problems. */
export function createApi(key: string, onUnauthorized: () => void): Api {
  return async <T>(path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(path, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${key}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    if (response.status === 204) return undefined as T;
    const payload = (await response.json().catch(() => ({}))) as { error?: string; problems?: Problem[] };
    if (response.status === 401) onUnauthorized();
    if (!response.ok) {
      throw new ApiError(response.status, payload.error ?? `HTTP ${response.status}`, payload.problems ?? []);
    }
    return payload as T;
  };
}
