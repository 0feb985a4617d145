/**
 * The console API from the browser: the session cookie (set by POST /api/login) and its CSRF token on writes.
 * Errors are `ApiError`s with the server's code and message; a 401 sends the page to the login form.
 */
import type { RingView } from '../../api/ring-graph.js';
import type { AlertDetail, AlertSummary, Case, Label, SimilarAlert } from '../../store/index.js';

export type { AlertDetail, AlertSummary, Case, Label, RingView, SimilarAlert };
export type Role = 'viewer' | 'analyst' | 'admin';

export interface Me {
  name: string;
  role: Role;
  via: 'token' | 'session';
  csrfToken?: string;
  expiresAt?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrf: string | undefined;
let onUnauthenticated: () => void = () => undefined;

export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (res.ok) return json as T;
  const err = (json.error ?? {}) as { code?: string; message?: string; fields?: { path: string; message: string }[] };
  if (res.status === 401 && path !== '/api/login') onUnauthenticated();
  const fields = err.fields?.map((f) => `${f.path}: ${f.message}`).join('; ');
  throw new ApiError(res.status, err.code ?? 'HTTP_' + res.status, [err.message ?? res.statusText, fields].filter(Boolean).join(' — '));
}

export async function login(token: string): Promise<Me> {
  const me = await call<Me>('POST', '/api/login', { token });
  csrf = me.csrfToken;
  return me;
}

export async function me(): Promise<Me> {
  const m = await call<Me>('GET', '/api/me');
  csrf = m.csrfToken;
  return m;
}

export const logout = (): Promise<unknown> => call('POST', '/api/logout', {});
export const listAlerts = (query: string): Promise<{ items: AlertSummary[]; nextCursor: string | null }> => call('GET', `/api/alerts?${query}`);
export const getAlert = (id: string): Promise<{ alert: AlertDetail; labels: Label[]; cases: Case[] }> => call('GET', `/api/alerts/${encodeURIComponent(id)}`);
export const similar = (id: string): Promise<{ items: SimilarAlert[] }> => call('GET', `/api/alerts/${encodeURIComponent(id)}/similar?limit=20`);
export const ring = (ringId: string): Promise<RingView> => call('GET', `/api/rings/${encodeURIComponent(ringId)}`);
export const label = (applicationId: string, value: 'fraud' | 'legit', note?: string): Promise<{ label: Label }> =>
  call('POST', '/api/labels', { applicationId, label: value, ...(note ? { note } : {}) });
export const labelRing = (ringId: string, value: 'fraud' | 'legit', note?: string): Promise<{ labelled: number }> =>
  call('POST', `/api/rings/${encodeURIComponent(ringId)}/labels`, { label: value, confirm: true, ...(note ? { note } : {}) });
export const listCases = (query: string): Promise<{ items: Case[]; nextCursor: string | null }> => call('GET', `/api/cases?${query}`);
export const getCase = (id: string): Promise<{ case: Case; alerts: AlertSummary[]; audit: { actor: string; action: string; at: string; detail: unknown }[] }> =>
  call('GET', `/api/cases/${encodeURIComponent(id)}`);
export const createCase = (title: string, alertIds: string[], assignee?: string): Promise<{ case: Case }> =>
  call('POST', '/api/cases', { title, alertIds, ...(assignee ? { assignee } : {}) });
export const updateCase = (id: string, changes: { title?: string; assignee?: string | null; status?: string }): Promise<{ case: Case }> =>
  call('PATCH', `/api/cases/${encodeURIComponent(id)}`, changes);
export const addToCase = (id: string, alertIds: string[]): Promise<{ case: Case; added: number }> =>
  call('POST', `/api/cases/${encodeURIComponent(id)}/alerts`, { alertIds });
