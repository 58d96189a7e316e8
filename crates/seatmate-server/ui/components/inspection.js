// A conversation's quality inspections: each scorecard's score and items, every verdict with its
// evidence (a click shows the turn), inspectors' overrides and agents' disputes.

import { useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, enc, errorMessage } from '../lib/api.js';
import { t, tEnum, formatTime } from '../lib/i18n.js';
import { mmss } from '../lib/format.js';
import { currentUser } from '../lib/session.js';
import { useApi } from '../lib/use-api.js';
import { Badge, Data, ErrorBox, Loading, Trans } from './common.js';
import { showTurn } from './transcript.js';

/** @param {string} outcome */
export function outcomeKind(outcome) {
  return outcome === 'pass' ? 'ok' : outcome === 'fail' ? 'danger' : 'muted';
}

/** @param {{ score: number, critical: boolean }} props */
export function ScoreBadge({ score, critical }) {
  const kind = critical || score < 60 ? 'danger' : score < 80 ? 'warning' : 'ok';
  return html`<span class=${`score-badge score-${kind}`} data-testid="qa-score">${critical ? t('qa.criticalFailed') : `${Math.round(score)}`}</span>`;
}

/** @param {{ conversationId: string, agent: string | null }} props */
export function Inspections({ conversationId, agent }) {
  const [{ data, err }, reload] = useApi(`/api/v1/conversations/${enc(conversationId)}/inspections`);
  const [fresh, setFresh] = useState(/** @type {any[] | null} */ (null));
  const user = currentUser.value || { role: '', username: '' };
  const canReview = user.role === 'qa_inspector' || user.role === 'admin';
  const canDispute = Boolean(agent) && user.username === agent;
  let body;
  if (err) body = html`<${ErrorBox} err=${err} onRetry=${reload} />`;
  else if (!data) body = html`<${Loading} />`;
  else {
    const views = fresh || data.items;
    body = views.length
      ? views.map(
          (/** @type {any} */ view) => html`<${ScorecardResult} key=${`${view.scorecard_id}@${view.version}`} view=${view} canReview=${canReview} canDispute=${canDispute}
            onChanged=${(/** @type {any[] | null} */ items) => (items ? setFresh(items) : (setFresh(null), reload()))} />`,
        )
      : html`<div class="empty small" data-testid="qa-none">${t('qa.notInspected')}</div>`;
  }
  return html`<section class="card" data-testid="qa-inspections"><h2>${t('qa.inspectionTitle')}</h2>${body}</section>`;
}

/** @param {{ view: any, canReview: boolean, canDispute: boolean, onChanged: (items: any[] | null) => void }} props */
function ScorecardResult({ view, canReview, canDispute, onChanged }) {
  return html`<div class="qa-card" data-testid="qa-card" data-scorecard=${view.scorecard_id}>
    <div class="qa-card-head">
      <strong data-content>${view.scorecard_name || view.scorecard_id}</strong>
      <span class="muted small">v${view.version}</span>
      <${ScoreBadge} score=${view.score} critical=${view.critical_failed} />
      ${view.score !== view.automatic_score ? html`<span class="muted small" data-testid="qa-automatic">${t('qa.automaticScore', { score: Math.round(view.automatic_score) })}</span>` : null}
    </div>
    <ul class="qa-items">
      ${view.items.map((/** @type {any} */ item) => html`<${ItemRow} key=${item.item} view=${view} item=${item} canReview=${canReview} canDispute=${canDispute} onChanged=${onChanged} />`)}
    </ul>
  </div>`;
}

/** @param {{ view: any, item: any, canReview: boolean, canDispute: boolean, onChanged: (items: any[] | null) => void }} props */
function ItemRow({ view, item, canReview, canDispute, onChanged }) {
  const [form, setForm] = useState(/** @type {'' | 'review' | 'dispute'} */ (''));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const overridden = item.review && item.review.outcome !== item.outcome;
  const openDispute = (item.disputes || []).some((/** @type {any} */ d) => d.status === 'open');
  const key = { conversation_id: view.conversation_id, scorecard_id: view.scorecard_id, version: view.version, item_id: item.item };

  /** @param {string} outcome */
  async function review(outcome) {
    setBusy(true);
    setError('');
    try {
      const answer = await api('/api/v1/quality/reviews', { method: 'POST', body: { ...key, outcome, reason } });
      setForm('');
      setReason('');
      onChanged(answer.items);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function dispute() {
    setBusy(true);
    setError('');
    try {
      await api('/api/v1/quality/disputes', { method: 'POST', body: { ...key, reason } });
      setForm('');
      setReason('');
      onChanged(null);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return html`<li class=${`qa-item qa-${item.effective}`} data-testid="qa-item" data-item=${item.item} data-outcome=${item.effective}>
    <div class="qa-item-head">
      <${Badge} text=${tEnum('outcome', item.effective)} kind=${outcomeKind(item.effective)} />
      ${item.critical ? html`<${Badge} text=${t('qa.critical')} kind="danger" />` : null}
      <span class="qa-item-name" data-content>${item.name}</span>
      <span class="muted small"><span data-content>${item.section}</span>${item.points ? ` · ${t('qa.points', { n: item.points })}` : ''}</span>
      ${overridden ? html`<span class="muted small" data-testid="qa-overridden"><${Trans} k="qa.overridden" params=${{ who: html`<${Data}>${item.review.reviewer}<//>`, was: tEnum('outcome', item.outcome) }} /></span>` : null}
      <span class="qa-item-actions">
        ${canReview ? html`<button type="button" class="btn btn-small" data-testid="qa-review-open" onClick=${() => setForm(form === 'review' ? '' : 'review')}>${t('qa.review')}</button>` : null}
        ${canDispute && item.effective === 'fail' && !openDispute
          ? html`<button type="button" class="btn btn-small" data-testid="qa-dispute-open" onClick=${() => setForm(form === 'dispute' ? '' : 'dispute')}>${t('qa.dispute')}</button>`
          : null}
      </span>
    </div>
    ${item.why ? html`<div class="muted small qa-note" data-testid="qa-why" data-why=${item.why}><${Trans} k=${`qa.why.${item.why}`} params=${{ cmd: html`<code data-content>seatmate train emotion</code>` }} />${item.note ? html` <${RuleNote} note=${item.note} />` : null}</div>` : null}
    ${item.evidence && item.evidence.length
      ? html`<div class="qa-evidence">
          ${item.evidence.map(
            (/** @type {any} */ e) => html`<button type="button" class="evidence-chip" data-testid="qa-evidence" data-turn=${e.turn} onClick=${() => showTurn(e.turn)}>
              <span class="muted">#${e.turn + 1}${e.start_ms !== null && e.start_ms !== undefined ? ` ${mmss(e.start_ms)}` : ''}</span>
              ${e.text ? html`<q data-content>${e.text}</q>` : html`<span>${t('qa.timing')}</span>`}
            </button>`,
          )}
        </div>`
      : null}
    ${(item.disputes || []).map(
      (/** @type {any} */ d) => html`<div class="qa-dispute small" data-testid="qa-dispute" data-status=${d.status}>
        <${Badge} text=${tEnum('dispute', d.status)} kind=${d.status === 'open' ? 'warning' : d.status === 'upheld' ? 'ok' : 'muted'} />
        <span><${Trans} k="qa.disputedBy" params=${{ who: html`<${Data}>${d.agent}<//>` }} />: <span data-content>${d.reason}</span></span>
        ${d.answer ? html`<div class="muted"><${Trans} k="qa.answeredBy" params=${{ who: html`<${Data}>${d.answered_by || ''}<//>` }} />: <span data-content>${d.answer}</span></div>` : null}
      </div>`,
    )}
    ${item.review && item.review.reason ? html`<div class="muted small">${t('qa.reviewReason')}: ${item.review.reason} · ${formatTime(item.review.at)}</div>` : null}
    ${form
      ? html`<div class="qa-form" data-testid=${`qa-${form}-form`}>
          <input class="input grow" value=${reason} placeholder=${form === 'review' ? t('qa.reasonPlaceholder') : t('qa.disputePlaceholder')}
            onInput=${(/** @type {any} */ e) => setReason(e.currentTarget.value)} data-testid="qa-reason" aria-label=${t('qa.reason')} />
          ${form === 'review'
            ? html`<button type="button" class="btn btn-small" disabled=${busy} data-testid="qa-set-pass" onClick=${() => review('pass')}>${tEnum('outcome', 'pass')}</button>
                <button type="button" class="btn btn-small" disabled=${busy} data-testid="qa-set-fail" onClick=${() => review('fail')}>${tEnum('outcome', 'fail')}</button>
                <button type="button" class="btn btn-small" disabled=${busy} data-testid="qa-set-na" onClick=${() => review('not_applicable')}>${tEnum('outcome', 'not_applicable')}</button>`
            : html`<button type="button" class="btn btn-small btn-primary" disabled=${busy || !reason.trim()} data-testid="qa-dispute-send" onClick=${dispute}>${t('qa.sendDispute')}</button>`}
          ${error ? html`<div class="alert alert-error small" role="alert">${error}</div>` : null}
        </div>`
      : null}
  </li>`;
}

/**
 * What a rule checked, as the scorecard states it (its phrases, speaker and turns): the rule's own
 * words, not translated, behind an info mark.
 * @param {{ note: string }} props
 */
function RuleNote({ note }) {
  return html`<span class="rule-note" data-content translate="no" tabindex="0" title=${note} aria-label=${note}>ⓘ</span>`;
}
