// Small Preact components every page can use: loading and empty states, badges, errors.

import { html } from '../lib/html.js';
import { t, formatNumber } from '../lib/i18n.js';
import { dash } from '../lib/format.js';
import { go } from '../lib/router.js';
import { errorMessage } from '../lib/api.js';

/**
 * A panel still loading: grey lines where its content will be, the word for screen readers.
 * @param {{ lines?: number }} props
 */
export function Loading({ lines = 3 } = {}) {
  const bars = Array.from({ length: Math.max(1, lines) }, (_, i) => html`<span class="skeleton-line" style=${{ width: `${[92, 76, 84, 60, 70][i % 5]}%` }}></span>`);
  return html`<div class="loading skeleton" data-testid="loading" role="status" aria-busy="true">
    <span class="visually-hidden">${t('common.loading')}</span>
    ${bars}
  </div>`;
}

/**
 * A panel's data as useApi reads it: grey lines while it loads, an error with Retry when it fails,
 * else what `render` makes of it.
 * @param {{ state: { loading: boolean, data: any, err: unknown }, retry: () => void, lines?: number, render: (data: any) => any }} props
 */
export function Loaded({ state, retry, lines, render }) {
  if (state.err) return html`<${ErrorBox} err=${state.err} onRetry=${retry} />`;
  if (state.data === null || state.data === undefined) return state.loading ? html`<${Loading} lines=${lines} />` : null;
  return render(state.data);
}

/** @param {{ text?: string, testid?: string, small?: boolean }} props */
export function Empty({ text, testid, small }) {
  return html`<div class=${small ? 'empty small' : 'empty'} data-testid=${testid}>${text || t('common.empty')}</div>`;
}

/** @param {{ text: string, kind?: string }} props */
export function Badge({ text, kind }) {
  return html`<span class=${`badge${kind ? ` badge-${kind}` : ''}`}>${text}</span>`;
}

export function Forbidden() {
  return html`<div class="card forbidden" data-testid="forbidden" role="alert">
    <div class="forbidden-icon" aria-hidden="true">403</div>
    <h2>${t('err.forbidden')}</h2>
    <p class="muted">${t('err.forbiddenDetail')}</p>
  </div>`;
}

/** What went wrong, in the UI's language (an ApiError's message is made so, see lib/api.js). @param {unknown} err */
export function readableError(err) {
  return err ? errorMessage(err) || t('err.unexpected') : t('err.unexpected');
}

/**
 * An API error: what went wrong in the UI's language, the server's own words as detail (they name
 * the field or value, in English), the request id to quote, and Retry when the caller can read again.
 * @param {{ err: any, onRetry?: (() => void) | null }} props
 */
export function ErrorBox({ err, onRetry }) {
  if (err && err.status === 403) return html`<${Forbidden} />`;
  const detail = err && err.body && typeof err.body.message === 'string' ? err.body.message : '';
  const requestId = err && err.body && err.body.request_id;
  return html`<div class="alert alert-error" role="alert" data-testid="error-box">
    <div class="alert-error-head">
      <strong>${readableError(err)}</strong>
      ${onRetry ? html`<button type="button" class="btn btn-small" data-testid="retry" onClick=${onRetry}>${t('common.retry')}</button>` : null}
    </div>
    ${detail ? html`<div class="small error-detail">${t('common.errorDetail')}<span data-content translate="no">${detail}</span></div>` : null}
    ${requestId ? html`<div class="muted small">${t('common.requestId', { id: requestId })}</div>` : null}
  </div>`;
}

/** @param {{ title: any, children?: any }} props */
export function PageHeader({ title, children }) {
  return html`<div class="page-header"><h1>${title}</h1>${children}</div>`;
}

/**
 * "1–50 of 120" with previous / next buttons.
 * @param {{ total: number, offset: number, limit: number, toHash: (offset: number) => string }} props
 */
export function Pager({ total, offset, limit, toHash }) {
  if (!total) return null;
  const from = Math.min(total, offset + 1);
  const to = Math.min(total, offset + limit);
  return html`<div class="pager">
    <span class="muted" data-testid="pager-range">${t('common.range', { from: formatNumber(from), to: formatNumber(to), total: formatNumber(total) })}</span>
    <span class="pager-buttons">
      <button type="button" class="btn btn-small" disabled=${offset <= 0} data-testid="pager-prev" onClick=${() => go(toHash(Math.max(0, offset - limit)))}>${t('common.prev')}</button>
      <button type="button" class="btn btn-small" disabled=${offset + limit >= total} data-testid="pager-next" onClick=${() => go(toHash(offset + limit))}>${t('common.next')}</button>
    </span>
  </div>`;
}

/** @param {{ head: string[], testid?: string, children?: any }} props */
export function Table({ head, testid, children }) {
  return html`<div class="table-wrap">
    <table class="table" data-testid=${testid}>
      <thead><tr>${head.map((c) => html`<th>${c}</th>`)}</tr></thead>
      <tbody>${children}</tbody>
    </table>
  </div>`;
}

/**
 * A translated sentence whose `{name}` placeholders are filled with markup (a name as data, a
 * looked-up label) rather than plain text.
 * @param {{ k: string, params: Record<string, any> }} props
 */
export function Trans({ k, params }) {
  const parts = t(k).split(/\{(\w+)\}/);
  return html`${parts.map((part, i) => (i % 2 === 1 ? (part in params ? params[part] : `{${part}}`) : part))}`;
}

/**
 * User data (names, ids, codes, text people typed): shown as given, in whatever language it is in,
 * and marked so (`data-content`) for machine translation and for the UI's language check. An empty
 * value shows a dash.
 * @param {{ children?: any, block?: boolean }} props
 */
export function Data({ children, block }) {
  if (children === null || children === undefined || children === '') return t('common.none');
  return block ? html`<div data-content translate="no">${children}</div>` : html`<span data-content translate="no">${children}</span>`;
}

/** Label and value pairs; an empty value shows a dash. @param {{ pairs: ([string, any] | null)[] }} props */
export function MetaList({ pairs }) {
  return html`<dl class="meta">
    ${pairs
      .filter((p) => p !== null)
      .map(([label, value]) => html`<div class="meta-item"><dt>${label}</dt><dd>${value !== null && typeof value === 'object' ? value : dash(value)}</dd></div>`)}
  </dl>`;
}
