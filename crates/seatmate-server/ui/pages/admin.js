// Administration: users, the classifier's model versions and auto-accept policy, API tokens, teams,
// personal data (admin-privacy.js) and the audit log.

import { useRef, useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, enc, errorMessage, unhandled } from '../lib/api.js';
import { t, tEnum, formatTime, formatNumber } from '../lib/i18n.js';
import { dash, pct } from '../lib/format.js';
import { currentUser, isAdmin } from '../lib/session.js';
import { actorLabel } from '../components/attributes.js';
import { useApi } from '../lib/use-api.js';
import { Badge, Empty, ErrorBox, Forbidden, Loading, PageHeader, Table } from '../components/common.js';
import { AuditLog, Privacy } from './admin-privacy.js';

export default function AdminRoute() {
  return isAdmin() ? html`<${AdminPage} />` : html`<${Forbidden} />`;
}

function AdminPage() {
  return html`<${PageHeader} title=${t('admin.title')} />
    <${Users} />
    <${Models} />
    <${Tokens} />
    <${Teams} />
    <${Privacy} />
    <${AuditLog} />`;
}

/**
 * A card with a padded title and a body read from the API.
 * @param {{ title: string, state: import('../lib/use-api.js').ApiState, retry?: () => void, children: (data: any) => any }} props
 */
function ListCard({ title, state, retry, children }) {
  let body;
  if (state.err) body = html`<div class="card-pad"><${ErrorBox} err=${state.err} onRetry=${retry} /></div>`;
  else if (!state.data) body = html`<div class="card-pad"><${Loading} /></div>`;
  else body = children(state.data);
  return html`<section class="card card-flush"><h2 class="card-pad">${title}</h2>${body}</section>`;
}

function Users() {
  const [state, reload] = useApi('/api/v1/users');
  const [failure, setFailure] = useState('');
  /** Deactivates or reactivates a user. @param {any} u */
  const toggle = async (u) => {
    if (u.active && !window.confirm(t('user.deactivateConfirm', { name: u.username }))) return;
    setFailure('');
    try {
      await api(`/api/v1/users/${enc(u.username)}/active`, { method: 'PUT', body: { active: !u.active } });
      reload();
    } catch (err) {
      if (unhandled(err)) setFailure(errorMessage(err));
    }
  };
  return html`<${ListCard} title=${t('admin.users')} state=${state} retry=${reload}>
    ${(/** @type {any} */ data) => html`${failure ? html`<div class="card-pad"><div class="alert alert-error" role="alert">${failure}</div></div>` : null}
    <${Table} head=${[t('user.username'), t('user.displayName'), t('user.role'), t('user.team'), t('user.status'), '']} testid="users-table">
      ${(data.items || []).map(
        (/** @type {any} */ u) => html`<tr data-username=${u.username}>
          <td><code>${u.username}</code></td>
          <td data-content>${dash(u.display_name)}</td>
          <td><${Badge} text=${tEnum('role', u.role)} kind="role" /></td>
          <td data-content>${dash(u.team)}</td>
          <td>${u.active ? html`<${Badge} text=${t('user.active')} kind="ok" />` : html`<${Badge} text=${t('user.inactive')} kind="off" />`}</td>
          <td class="right">
            ${currentUser.value && currentUser.value.username === u.username
              ? null
              : html`<button type="button" class=${`btn btn-small${u.active ? ' btn-danger' : ''}`} data-testid="user-toggle" onClick=${() => toggle(u)}>
                  ${u.active ? t('user.deactivate') : t('user.reactivate')}
                </button>`}
          </td>
        </tr>`,
      )}
    <//>`}
  <//>`;
}

function Teams() {
  const [state, reload] = useApi('/api/v1/teams');
  return html`<${ListCard} title=${t('admin.teams')} state=${state} retry=${reload}>
    ${(/** @type {any} */ data) =>
      (data.items || []).length
        ? html`<${Table} head=${[t('team.code'), t('team.nameZh'), t('team.nameEn'), t('team.dispatch')]} testid="teams-table">
            ${data.items.map(
              (/** @type {any} */ tm) => html`<tr data-code=${tm.code}>
                <td><code>${tm.code}</code></td>
                <td data-content>${dash(tm.name_zh)}</td>
                <td data-content>${dash(tm.name_en)}</td>
                <td>${tm.dispatch ? t('common.yes') : t('common.no')}</td>
              </tr>`,
            )}
          <//>`
        : html`<div class="card-pad"><${Empty} /></div>`}
  <//>`;
}

/** @param {number | null | undefined} v */
function pctOrDash(v) {
  return v === null || v === undefined ? t('common.none') : pct(v);
}

/** The classifier's versions (train, activate) and the auto-accept policy. */
function Models() {
  const [models, reloadModels] = useApi('/api/v1/models');
  const [policy, reloadPolicy] = useApi('/api/v1/settings/auto-accept');
  /** replaces the list after an activation, which answers with the new list */
  const [activated, setActivated] = useState(/** @type {any[] | null} */ (null));
  const [message, setMessage] = useState(/** @type {{ ok: string } | { err: unknown } | null} */ (null));
  const [training, setTraining] = useState(false);
  const [activating, setActivating] = useState(/** @type {string | null} */ (null));

  const train = async () => {
    setTraining(true);
    setMessage(null);
    try {
      const rec = (await api('/api/v1/models/train', { method: 'POST' })) || {};
      const vars = { v: rec.version, n: formatNumber(rec.examples), active: rec.comparison ? rec.comparison.against_version : '' };
      setMessage({ ok: t(rec.state === 'candidate' ? 'model.trainedCandidate' : 'model.trained', vars) });
      setActivated(null);
      reloadModels();
      reloadPolicy();
    } catch (err) {
      if (unhandled(err)) setMessage({ err });
    }
    setTraining(false);
  };
  /**
   * Activates a version; going back to an earlier one (a rollback) asks first.
   * @param {any} m @param {any} current the active version
   */
  const activate = async (m, current) => {
    if (m.state === 'earlier' && !window.confirm(t('model.rollbackConfirm', { v: m.version, active: current ? current.version : '' }))) return;
    setActivating(m.id);
    setMessage(null);
    try {
      const res = await api(`/api/v1/models/${enc(m.id)}/activate`, { method: 'POST' });
      setActivated((res && res.items) || []);
      setMessage({ ok: t('model.activated', { v: m.version }) });
      reloadPolicy();
    } catch (err) {
      if (unhandled(err)) setMessage({ err });
    }
    setActivating(null);
  };

  const items = activated || (models.data && models.data.items) || null;
  const storage = models.data
    ? t('model.storage', {
        n: formatNumber(models.data.items.length),
        mb: (models.data.storage_bytes / 1e6).toFixed(1),
        kept: formatNumber(models.data.versions_kept),
      })
    : '';
  let list;
  if (models.err && !activated) list = html`<div class="card-pad"><${ErrorBox} err=${models.err} onRetry=${reloadModels} /></div>`;
  else if (!items) list = html`<div class="card-pad"><${Loading} /></div>`;
  else if (!items.length) list = html`<div class="card-pad" data-testid="models-empty"><${Empty} text=${t('model.none')} /></div>`;
  else {
    const current = items.find((/** @type {any} */ m) => m.active) || null;
    const candidate = items.find((/** @type {any} */ m) => m.state === 'candidate') || null;
    list = html`${candidate && current
        ? html`<${CandidateBeside} candidate=${candidate} current=${current} busy=${activating === candidate.id} onActivate=${() => activate(candidate, current)} />`
        : null}
      <${Table} head=${[t('model.version'), t('model.created'), t('model.createdBy'), t('model.examples'), t('model.accuracy'), t('model.top5'), t('model.macroF1'), t('model.threshold'), t('model.status'), '']} testid="models-table">
      ${items.map((/** @type {any} */ m) => {
        const metrics = m.metrics || {};
        const cv = m.cross_validation;
        return html`<tr data-testid="model-row" class=${m.active ? 'row-active' : undefined} data-id=${m.id} data-version=${m.version} data-active=${String(Boolean(m.active))} data-state=${m.state}>
          <td><strong>v${m.version}</strong></td>
          <td class="nowrap">${formatTime(m.created_at)}</td>
          <td>${m.created_by ? actorLabel(m.created_by) : dash(m.created_by)}</td>
          <td class="num">${formatNumber(m.examples)}</td>
          <td class="num" data-testid="model-cv">${cv ? html`${pct(cv.accuracy)}<div class="muted small">${cvSupport(cv)}</div>` : t('common.none')}</td>
          <td class="num">${cv ? pct(cv.top5) : t('common.none')}</td>
          <td class="num">${cv ? pct(cv.macro_f1) : t('common.none')}</td>
          <td class="num">${pctOrDash(metrics.auto_accept_threshold)}</td>
          <td><${Badge} text=${t(`model.state.${m.state || (m.active ? 'active' : 'earlier')}`)} kind=${m.active ? 'ok' : m.state === 'candidate' ? 'candidate' : 'off'} /></td>
          <td class="right">
            ${m.active
              ? null
              : html`<button type="button" class="btn btn-small" data-testid="model-activate" disabled=${activating === m.id} onClick=${() => activate(m, current)}>${m.state === 'candidate' ? t('model.activate') : t('model.rollBack')}</button>`}
          </td>
        </tr>`;
      })}
    <//>`;
  }

  return html`<section class="card card-flush" data-testid="models">
    <div class="card-pad card-head">
      <h2>${t('model.title')}</h2>
      <button type="button" class="btn btn-primary" data-testid="model-train" disabled=${training} onClick=${train}>${training ? t('model.training') : t('model.train')}</button>
    </div>
    <div class="model-message" data-testid="model-message">
      ${message
        ? html`<div class="card-pad">${'ok' in message ? html`<div class="alert alert-success" role="status">${message.ok}</div>` : html`<${ErrorBox} err=${message.err} />`}</div>`
        : null}
    </div>
    <div>${list}</div>
    ${storage ? html`<p class="card-pad muted small" data-testid="model-storage">${storage}</p>` : null}
    <${AutoAcceptPolicy} state=${policy} onSaved=${reloadPolicy} />
  </section>`;
}

/** "5 folds · 281 tickets": what a cross-validated figure stands on. @param {any} cv */
function cvSupport(cv) {
  return t('model.cvSupport', { folds: formatNumber(cv.folds), n: formatNumber(cv.examples) });
}

/**
 * A candidate beside the active version: their cross-validated figures, how each did on the same
 * held-out tickets, why the candidate was not activated by itself, and the button that activates it.
 * @param {{ candidate: any, current: any, busy: boolean, onActivate: () => void }} props
 */
function CandidateBeside({ candidate, current, busy, onActivate }) {
  /** @param {any} m @param {string} key */
  const figure = (m, key) => (m.cross_validation ? pct(m.cross_validation[key]) : t('common.none'));
  const rows = [
    [t('model.examples'), formatNumber(candidate.examples), formatNumber(current.examples)],
    [t('model.accuracy'), figure(candidate, 'accuracy'), figure(current, 'accuracy')],
    [t('model.top5'), figure(candidate, 'top5'), figure(current, 'top5')],
    [t('model.macroF1'), figure(candidate, 'macro_f1'), figure(current, 'macro_f1')],
    [t('model.cvBasis'), candidate.cross_validation ? cvSupport(candidate.cross_validation) : t('common.none'), current.cross_validation ? cvSupport(current.cross_validation) : t('common.none')],
    [t('model.threshold'), pctOrDash(candidate.metrics && candidate.metrics.auto_accept_threshold), pctOrDash(current.metrics && current.metrics.auto_accept_threshold)],
  ];
  const c = candidate.comparison;
  let verdict = t('model.compareNone');
  if (c && c.against_version === current.version) {
    verdict = c.tickets
      ? t('model.compareSame', { n: formatNumber(c.tickets), v: candidate.version, a: current.version, right: formatNumber(c.candidate_right), activeRight: formatNumber(c.active_right) })
      : t('model.compareNoTickets', { a: current.version });
  } else if (c) {
    verdict = t('model.compareOther', { a: c.against_version });
  }
  return html`<div class="card-pad model-compare" data-testid="model-compare" data-candidate=${candidate.version} data-active=${current.version}>
    <h3>${t('model.compareTitle', { v: candidate.version, a: current.version })}</h3>
    <table class="table compare-table">
      <thead><tr><th></th><th data-testid="compare-candidate">${t('model.candidateCol', { v: candidate.version })}</th><th>${t('model.activeCol', { v: current.version })}</th></tr></thead>
      <tbody>${rows.map(([label, a, b]) => html`<tr><th scope="row">${label}</th><td class="num">${a}</td><td class="num">${b}</td></tr>`)}</tbody>
    </table>
    <p class="small" data-testid="compare-verdict">${verdict}</p>
    <p class="muted small">${t('model.candidateRule')}</p>
    <button type="button" class="btn btn-primary" data-testid="candidate-activate" disabled=${busy} onClick=${onActivate}>${t('model.activateCandidate', { v: candidate.version })}</button>
  </div>`;
}

/**
 * The precision auto-accepted tickets must reach, and what it means for the active model.
 * @param {{ state: import('../lib/use-api.js').ApiState, onSaved: () => void }} props
 */
function AutoAcceptPolicy({ state, onSaved }) {
  const p = state.data;
  /** what the admin typed; null shows the stored value */
  const [typed, setTyped] = useState(/** @type {string | null} */ (null));
  const [failure, setFailure] = useState('');
  const [saving, setSaving] = useState(false);
  const input = useRef(/** @type {HTMLInputElement | null} */ (null));
  const stored = p ? String(Math.round(Number(p.precision) * 1000) / 10) : '';

  /** @param {Event} e */
  const submit = async (e) => {
    e.preventDefault();
    setFailure('');
    const text = typed === null ? stored : typed;
    const v = Number(text);
    if (!text.trim() || !(v >= 50 && v <= 100)) {
      setFailure(t('model.precisionRange'));
      return;
    }
    setSaving(true);
    try {
      await api('/api/v1/settings/auto-accept', { method: 'PUT', body: { precision: v / 100 } });
      setTyped(null);
      if (input.current) input.current.blur();
      onSaved();
    } catch (err) {
      if (unhandled(err)) setFailure(errorMessage(err));
    }
    setSaving(false);
  };

  let info = '';
  if (state.err) info = /** @type {any} */ (state.err).message || '';
  else if (p) {
    const off = /** @type {any} */ (p).off;
    if (off && off.reason === 'too_few_held_out') {
      info = t('model.policyTooFew', { have: off.have, need: off.need, v: dash(p.model_version) });
    } else if (off && off.reason === 'no_model') {
      info = t('model.policyNoModel');
    } else {
      info =
        p.threshold === null || p.threshold === undefined
          ? t('model.policyUnreachable', { v: dash(p.model_version) })
          : t('model.policy', { threshold: pct(p.threshold), share: pct(p.share), v: dash(p.model_version) });
    }
  }
  return html`<form class="card-pad policy" data-testid="auto-accept" novalidate onSubmit=${submit}>
    <h3>${t('model.autoAccept')}</h3>
    <p class="muted small">${t('model.autoAcceptHelp')}</p>
    <div class="filters">
      <label for="auto-accept-precision">${t('model.precision')}</label>
      <input type="number" class="input input-narrow" id="auto-accept-precision" data-testid="auto-accept-precision" min="50" max="100" step="0.5" required
        ref=${input} value=${typed === null ? stored : typed} onInput=${(/** @type {any} */ e) => setTyped(e.currentTarget.value)} />
      <span class="muted">%</span>
      <button type="submit" class="btn" data-testid="auto-accept-save" disabled=${saving}>${t('common.save')}</button>
      <div class="muted small" data-testid="auto-accept-info">${info}</div>
    </div>
    ${failure ? html`<div class="alert alert-error" role="alert">${failure}</div>` : null}
  </form>`;
}

/** API tokens: create (the secret is shown once), list, revoke. */
function Tokens() {
  const [state, reload] = useApi('/api/v1/tokens');
  const [name, setName] = useState('');
  const [scope, setScope] = useState('read');
  const [failure, setFailure] = useState('');
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState(/** @type {{ name: string, token: string } | null} */ (null));
  const [revoking, setRevoking] = useState(/** @type {string | null} */ (null));

  /** @param {Event} e */
  const create = async (e) => {
    e.preventDefault();
    setFailure('');
    const wanted = name.trim();
    if (!wanted) {
      setFailure(t('token.nameRequired'));
      return;
    }
    setCreating(true);
    try {
      const res = await api('/api/v1/tokens', { method: 'POST', body: { name: wanted, scope } });
      setName('');
      setCreated({ name: (res && res.name) || wanted, token: (res && res.token) || '' });
      reload();
    } catch (err) {
      if (unhandled(err)) setFailure(errorMessage(err));
    }
    setCreating(false);
  };
  /** @param {any} tk */
  const revoke = async (tk) => {
    if (!window.confirm(t('token.revokeConfirm', { name: tk.name || tk.id }))) return;
    setRevoking(tk.id);
    try {
      await api(`/api/v1/tokens/${enc(tk.id)}`, { method: 'DELETE' });
      reload();
    } catch (err) {
      if (unhandled(err)) setFailure(errorMessage(err));
    }
    setRevoking(null);
  };

  const items = state.data ? state.data.items || [] : null;
  let list;
  if (state.err) list = html`<div class="card-pad"><${ErrorBox} err=${state.err} onRetry=${reload} /></div>`;
  else if (!items) list = html`<${Loading} />`;
  else if (!items.length) list = html`<div class="card-pad" data-testid="tokens-empty"><${Empty} text=${t('token.none')} /></div>`;
  else {
    list = html`<${Table} head=${[t('token.name'), t('token.owner'), t('token.scope'), t('token.created'), t('token.expires'), t('token.lastUsed'), '']} testid="tokens-table">
      ${items.map(
        (/** @type {any} */ tk) => html`<tr data-testid="token-row" data-id=${tk.id}>
          <td data-content><strong>${tk.name || ''}</strong></td>
          <td data-content>${dash(tk.username)}</td>
          <td>${tEnum('token.scope', tk.scope)}</td>
          <td class="nowrap">${formatTime(tk.created_at)}</td>
          <td class="nowrap">${tk.expires_at ? formatTime(tk.expires_at) : t('token.never')}</td>
          <td class="nowrap">${tk.last_used_at ? formatTime(tk.last_used_at) : html`<span class="muted">${t('token.never')}</span>`}</td>
          <td class="right">
            <button type="button" class="btn btn-small btn-danger" data-testid="token-revoke" disabled=${revoking === tk.id} onClick=${() => revoke(tk)}>${t('token.revoke')}</button>
          </td>
        </tr>`,
      )}
    <//>`;
  }

  return html`<section class="card card-flush" data-testid="tokens">
    <h2 class="card-pad">${t('admin.tokens')}</h2>
    <form class="filters card-pad" novalidate onSubmit=${create}>
      <input type="text" class="input grow" placeholder=${t('token.namePlaceholder')} data-testid="token-name" maxlength="100" aria-label=${t('token.name')}
        value=${name} onInput=${(/** @type {any} */ e) => setName(e.currentTarget.value)} />
      <select class="input" aria-label=${t('token.scope')} data-testid="token-scope" onChange=${(/** @type {any} */ e) => setScope(e.currentTarget.value)}>
        <option value="read" selected=${scope === 'read'}>${t('token.scope.read')}</option>
        <option value="write" selected=${scope === 'write'}>${t('token.scope.write')}</option>
      </select>
      <button type="submit" class="btn btn-primary" data-testid="token-create" disabled=${creating}>${t('token.create')}</button>
    </form>
    <div class="card-pad">
      ${failure ? html`<div class="alert alert-error" role="alert">${failure}</div>` : null}
      ${created ? html`<${NewToken} created=${created} onDismiss=${() => setCreated(null)} />` : null}
    </div>
    ${list}
  </section>`;
}

/** A new token's secret, shown once, with a copy button. @param {{ created: { name: string, token: string }, onDismiss: () => void }} props */
function NewToken({ created, onDismiss }) {
  const [copied, setCopied] = useState(false);
  const secret = useRef(/** @type {HTMLElement | null} */ (null));
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.token);
    } catch {
      // no clipboard access: select the token for a manual copy
      const selection = window.getSelection();
      if (secret.current && selection) {
        const range = document.createRange();
        range.selectNodeContents(secret.current);
        selection.removeAllRanges();
        selection.addRange(range);
      }
    }
    setCopied(true);
  };
  return html`<div class="alert alert-success token-new" data-testid="token-new" role="status">
    <strong>${t('token.newTitle', { name: created.name })}</strong>
    <div class="small">${t('token.newNotice')}</div>
    <div class="token-line">
      <code class="token-secret" data-testid="token-secret" ref=${secret}>${created.token}</code>
      <button type="button" class="btn btn-small" onClick=${copy}>${copied ? t('token.copied') : t('token.copy')}</button>
      <button type="button" class="btn btn-small btn-ghost" onClick=${onDismiss}>${t('token.dismiss')}</button>
    </div>
  </div>`;
}
