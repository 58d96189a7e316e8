// The API client: JSON in and out, errors as ApiError with the server's {code, message, request_id}.

import { t } from './i18n.js';

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {{ code?: string, message?: string, request_id?: string } | null} body
   * @param {string} [message]
   */
  constructor(status, body, message) {
    // the message is for people, in the UI's language; the server's own words stay in `body.message`
    super(message || readableApiError(status, body));
    this.status = status;
    this.body = body;
    /** Set when the 401 handler has already sent the user to the login page. */
    this.handled = false;
  }
}

/**
 * What an API error means, in the UI's language: from the server's error code when it has one,
 * else the HTTP status.
 * @param {number} status
 * @param {{ code?: string } | null} body
 */
function readableApiError(status, body) {
  const code = body && body.code;
  if (typeof code === 'string' && /^[a-z_]+$/.test(code)) {
    const known = t(`err.code.${code}`);
    if (known !== `err.code.${code}`) return known;
  }
  if (status === 0) return t('err.network');
  return t(status >= 500 ? 'err.code.internal' : 'err.status', { status });
}

/** @type {() => void} */
let onUnauthorized = () => {};

/** What to do when the session is gone (the app sends the user to the login page). @param {() => void} handler */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

/**
 * @param {string} path
 * @param {{ method?: string, body?: unknown, auth?: boolean }} [options]
 * @returns {Promise<any>}
 */
export async function api(path, { method = 'GET', body, auth = true } = {}) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  /** @type {RequestInit} */
  const init = { method, credentials: 'same-origin', headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw new ApiError(0, null, t('err.network'));
  }
  if (res.status === 401 && auth) {
    onUnauthorized();
    const err = new ApiError(401, null);
    err.handled = true;
    throw err;
  }
  if (!res.ok) {
    let data = null;
    try {
      data = await res.json();
    } catch {
      // not JSON
    }
    throw new ApiError(res.status, data);
  }
  if (res.status === 204) return null;
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(res.status, null, t('err.status', { status: res.status }));
  }
}

/**
 * A query string from the non-empty values of `params`, with its leading `?`.
 * @param {Record<string, string | number | null | undefined>} params
 */
export function qs(params) {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}

/** @param {unknown} s */
export function enc(s) {
  return encodeURIComponent(String(s));
}

/** The message of anything thrown, in the UI's language (an ApiError's is made so). @param {unknown} err */
export function errorMessage(err) {
  return err instanceof Error ? err.message : String(err);
}

/** Whether `err` still needs showing: not an ApiError the 401 handler dealt with. @param {unknown} err */
export function unhandled(err) {
  return !(err instanceof ApiError && err.handled);
}
