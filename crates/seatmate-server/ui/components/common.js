// Small Preact components every page can use: loading and empty states, badges, errors.

import { html } from '../lib/html.js';
import { t, formatNumber } from '../lib/i18n.js';
import { dash } from '../lib/format.js';
import { go } from '../lib/router.js';

export function Loading() {
  return html`<div class="loading"><span class="spinner" aria-hidden="true"></span>${t('common.loading')}</div>`;
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

/** An API error: its message and the request id to quote. @param {{ err: any }} props */
export function ErrorBox({ err }) {
  if (err && err.status === 403) return html`<${Forbidden} />`;
  const msg = err && err.body && err.body.message ? err.body.message : err && err.message ? err.message : '';
  const requestId = err && err.body && err.body.request_id;
  return html`<div class="alert alert-error" role="alert">
    <strong>${t('common.error')}</strong>
    ${msg ? html`<div>${msg}</div>` : null}
    ${requestId ? html`<div class="muted small">${t('common.requestId', { id: requestId })}</div>` : null}
  </div>`;
}

/** @param {{ title: string, children?: any }} props */
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

/** Label and value pairs; an empty value shows a dash. @param {{ pairs: ([string, any] | null)[] }} props */
export function MetaList({ pairs }) {
  return html`<dl class="meta">
    ${pairs
      .filter((p) => p !== null)
      .map(([label, value]) => html`<div class="meta-item"><dt>${label}</dt><dd>${value !== null && typeof value === 'object' ? value : dash(value)}</dd></div>`)}
  </dl>`;
}
