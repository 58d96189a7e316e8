// Administration of personal data: the redaction policy, retention, erasing a customer, and the
// audit log (read and export).

import { useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, unhandled } from '../lib/api.js';
import { t, tEnum, formatTime, formatNumber } from '../lib/i18n.js';
import { dash } from '../lib/format.js';
import { useApi } from '../lib/use-api.js';
import { Empty, ErrorBox, Loading, Table } from '../components/common.js';

const POLICIES = ['store', 'display', 'off'];

/** What an erasure or retention run removed, as one sentence. @param {any} removed */
function removedText(removed) {
  return t('privacy.removed', {
    conversations: formatNumber(removed.conversations),
    tickets: formatNumber(removed.tickets),
    feedback: formatNumber(removed.feedback),
  });
}

export function Privacy() {
  const [policy, reloadPolicy] = useApi('/api/v1/privacy/redaction');
  const [retention, reloadRetention] = useApi('/api/v1/privacy/retention');
  const [message, setMessage] = useState(/** @type {{ ok: string } | { err: unknown } | null} */ (null));
  const [busy, setBusy] = useState(false);

  /** Runs one change and shows what it did. @param {() => Promise<string>} change */
  const run = async (change) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ ok: await change() });
    } catch (err) {
      if (unhandled(err)) setMessage({ err });
    }
    setBusy(false);
  };

  /** @param {Event} e */
  const savePolicy = (e) => {
    e.preventDefault();
    const value = /** @type {HTMLSelectElement} */ (/** @type {HTMLFormElement} */ (e.currentTarget).elements.namedItem('policy')).value;
    run(async () => {
      await api('/api/v1/privacy/redaction', { method: 'PUT', body: { policy: value } });
      reloadPolicy();
      return t('privacy.policySaved');
    });
  };
  /** @param {Event} e */
  const saveRetention = (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.currentTarget);
    /** @param {string} name */
    const days = (name) => {
      const v = /** @type {HTMLInputElement} */ (form.elements.namedItem(name)).value.trim();
      return v ? Number(v) : null;
    };
    run(async () => {
      for (const name of ['conversation_days', 'ticket_days']) {
        const n = days(name);
        if (n !== null && !(Number.isInteger(n) && n >= 1 && n <= 36500)) throw new Error(t('privacy.daysRange'));
      }
      const removed = await api('/api/v1/privacy/retention', {
        method: 'PUT',
        body: { conversation_days: days('conversation_days'), ticket_days: days('ticket_days') },
      });
      reloadRetention();
      return `${t('privacy.retentionSaved')} ${removedText(removed)}`;
    });
  };
  /** @param {Event} e */
  const erase = (e) => {
    e.preventDefault();
    const input = /** @type {HTMLInputElement} */ (/** @type {HTMLFormElement} */ (e.currentTarget).elements.namedItem('customer'));
    const customer = input.value.trim();
    if (!customer) {
      setMessage({ err: new Error(t('privacy.customerRequired')) });
      return;
    }
    if (!window.confirm(t('privacy.eraseConfirm', { customer }))) return;
    run(async () => {
      const removed = await api('/api/v1/privacy/erase', { method: 'POST', body: { customer_id: customer } });
      input.value = '';
      return `${t('privacy.erased', { customer })} ${removedText(removed)}`;
    });
  };

  const current = policy.data ? policy.data.policy : null;
  const kept = retention.data || {};
  return html`<section class="card card-flush" data-testid="privacy">
    <h2 class="card-pad">${t('privacy.title')}</h2>
    <div class="card-pad privacy-forms">
      ${policy.err ? html`<${ErrorBox} err=${policy.err} onRetry=${reloadPolicy} />` : null}
      <form class="filters" data-testid="redaction-form" novalidate onSubmit=${savePolicy}>
        <label for="redaction-policy">${t('privacy.policy')}</label>
        ${current
          ? html`<select class="input" id="redaction-policy" name="policy" data-testid="redaction-policy">
              ${POLICIES.map((p) => html`<option value=${p} selected=${p === current}>${t(`privacy.policy.${p}`)}</option>`)}
            </select>`
          : html`<${Loading} />`}
        <button type="submit" class="btn" data-testid="redaction-save" disabled=${busy || !current}>${t('common.save')}</button>
      </form>
      <p class="muted small">${t('privacy.policyHelp')}</p>
      <form class="filters" data-testid="retention-form" novalidate onSubmit=${saveRetention} key=${JSON.stringify(kept)}>
        <label for="retention-conversations">${t('privacy.conversationDays')}</label>
        <input type="number" class="input input-narrow" id="retention-conversations" name="conversation_days" min="1" max="36500"
          placeholder=${t('privacy.forever')} value=${kept.conversation_days ?? ''} data-testid="retention-conversations" />
        <label for="retention-tickets">${t('privacy.ticketDays')}</label>
        <input type="number" class="input input-narrow" id="retention-tickets" name="ticket_days" min="1" max="36500"
          placeholder=${t('privacy.forever')} value=${kept.ticket_days ?? ''} data-testid="retention-tickets" />
        <button type="submit" class="btn" data-testid="retention-save" disabled=${busy}>${t('common.save')}</button>
      </form>
      <form class="filters" data-testid="erase-form" novalidate onSubmit=${erase}>
        <input type="text" class="input grow" name="customer" maxlength="200" placeholder=${t('privacy.customerPlaceholder')}
          aria-label=${t('privacy.customer')} data-testid="erase-customer" />
        <button type="submit" class="btn btn-danger" data-testid="erase-submit" disabled=${busy}>${t('privacy.erase')}</button>
      </form>
      <div data-testid="privacy-message">
        ${message
          ? 'ok' in message
            ? html`<div class="alert alert-success" role="status">${message.ok}</div>`
            : html`<${ErrorBox} err=${message.err} />`
          : null}
      </div>
    </div>
  </section>`;
}

const ACTIONS = [
  'login', 'login_failed', 'logout', 'conversation_read', 'export', 'import', 'user_created', 'user_deactivated',
  'user_reactivated', 'password_changed', 'token_created', 'token_revoked', 'settings_changed', 'model_trained',
  'model_activated', 'models_pruned', 'knowledge_edited', 'index_rebuilt', 'customer_erased', 'retention_applied',
  'scorecard_saved', 'scorecard_published', 'scorecard_retired', 'inspection_reviewed', 'dispute_answered', 'cases_mined',
  'case_curated', 'training_assigned',
];

export function AuditLog() {
  const [action, setAction] = useState('');
  const [before, setBefore] = useState(/** @type {number | null} */ (null));
  const query = new URLSearchParams({ limit: '50' });
  if (action) query.set('action', action);
  if (before !== null) query.set('before', String(before));
  const [state, reload] = useApi(`/api/v1/audit?${query}`);

  let body;
  if (state.err) body = html`<div class="card-pad"><${ErrorBox} err=${state.err} onRetry=${reload} /></div>`;
  else if (!state.data) body = html`<div class="card-pad"><${Loading} /></div>`;
  else if (!state.data.items.length) body = html`<div class="card-pad" data-testid="audit-empty"><${Empty} /></div>`;
  else {
    body = html`<${Table} head=${[t('audit.at'), t('audit.actor'), t('audit.action'), t('audit.target'), t('audit.detail'), t('audit.client')]} testid="audit-table">
      ${state.data.items.map(
        (/** @type {any} */ e) => html`<tr data-testid="audit-row" data-action=${e.action}>
          <td class="nowrap">${formatTime(e.at)}</td>
          <td><code>${e.actor}</code></td>
          <td>${tEnum('audit', e.action)}</td>
          <td data-content>${dash(e.target)}</td>
          <td class="muted small" data-content>${dash(e.detail)}</td>
          <td class="muted small" data-content>${e.client}</td>
        </tr>`,
      )}
    <//>
    ${state.data.next_before
      ? html`<div class="card-pad"><button type="button" class="btn btn-small" data-testid="audit-older" onClick=${() => setBefore(state.data.next_before)}>${t('audit.older')}</button></div>`
      : null}`;
  }
  return html`<section class="card card-flush" data-testid="audit">
    <div class="card-pad card-head">
      <h2>${t('audit.title')}</h2>
      <select class="input" aria-label=${t('audit.action')} data-testid="audit-action"
        onChange=${(/** @type {any} */ e) => { setAction(e.currentTarget.value); setBefore(null); }}>
        <option value="">${t('audit.allActions')}</option>
        ${ACTIONS.map((a) => html`<option value=${a} selected=${a === action}>${tEnum('audit', a)}</option>`)}
      </select>
      <a class="btn btn-small" href="/api/v1/audit/export" download="seatmate-audit.jsonl" data-testid="audit-export">${t('audit.download')}</a>
    </div>
    ${body}
  </section>`;
}
