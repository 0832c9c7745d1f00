// The JSON API of docs/API.md, and the little the page remembers: the user token and the operator's admin key,
// both in sessionStorage (one tab, one user: two tabs can be two people in the same group).

import { t } from './i18n.js';

const USER_KEY = 'hongbao.user';
const ADMIN_KEY = 'hongbao.adminKey';

/** An API refusal ({"error": {"code", "message"}}) or a failure to reach the server (code NETWORK). */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function call(method, path, { body, bearer, headers = {} } = {}) {
  const sent = { ...headers };
  if (bearer) {
    sent.Authorization = 'Bearer ' + bearer;
  }
  if (body !== undefined) {
    sent['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (unreachable) {
    throw new ApiError(0, 'NETWORK', t('trouble.network'));
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch (notJson) {
    data = null;
  }
  if (!response.ok) {
    const error = data && data.error;
    throw new ApiError(response.status, error?.code ?? 'HTTP_' + response.status,
      error?.message ?? 'The server answered ' + response.status + '.');
  }
  return data;
}

export const session = {
  user() {
    const raw = sessionStorage.getItem(USER_KEY);
    return raw ? JSON.parse(raw) : null;
  },
  setUser(user) {
    sessionStorage.setItem(USER_KEY, JSON.stringify(user));
  },
  clearUser() {
    sessionStorage.removeItem(USER_KEY);
  },
  adminKey() {
    return sessionStorage.getItem(ADMIN_KEY);
  },
  setAdminKey(key) {
    sessionStorage.setItem(ADMIN_KEY, key);
  },
  clearAdminKey() {
    sessionStorage.removeItem(ADMIN_KEY);
  },
};

/** A call as the logged-in user. */
export function asUser(method, path, options = {}) {
  return call(method, path, { ...options, bearer: session.user()?.token });
}

export function asAdmin(method, path, options = {}) {
  return call(method, path, { ...options, bearer: session.adminKey() });
}

/** A fresh Idempotency-Key; crypto.getRandomValues works on plain http too (randomUUID needs https). */
export function idempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'web-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

let serverConfig;

/** GET /v1/config, once per page load. */
export async function config() {
  serverConfig ??= await call('GET', '/v1/config');
  return serverConfig;
}
