// Quality inspection for inspectors and team leads: the review queue, the scorecards (write, try,
// publish, history batches), agents' disputes, and how well each rule agrees with reviewers.

import { useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, enc, errorMessage, qs } from '../lib/api.js';
import { t, tEnum, formatTime, formatNumber } from '../lib/i18n.js';
import { currentUser } from '../lib/session.js';
import { useApi } from '../lib/use-api.js';
import { Badge, Empty, ErrorBox, Loading, PageHeader, Table, Trans } from '../components/common.js';
import { ScoreBadge, outcomeKind } from '../components/inspection.js';

const TABS = ['queue', 'scorecards', 'disputes', 'agreement'];

/** @param {import('../lib/router.js').PageProps} props */
export default function QualityRoute({ query }) {
  const asked = query.get('tab') || 'queue';
  const tab = TABS.includes(asked) ? asked : 'queue';
  const user = currentUser.value || { role: '' };
  const inspector = user.role === 'qa_inspector' || user.role === 'admin';
  const shown = TABS.filter((name) => inspector || name !== 'scorecards');
  let body;
  if (tab === 'queue') body = html`<${Queue} />`;
  else if (tab === 'scorecards') body = html`<${Scorecards} editable=${inspector} />`;
  else if (tab === 'disputes') body = html`<${Disputes} canAnswer=${inspector} />`;
  else body = html`<${AgreementTable} />`;
  return html`<${PageHeader} title=${t('qa.title')}>
      <a class="btn" href="#/quality/profile" data-testid="qa-profile-link">${t('nav.profile')}</a>
    <//>
    <div class="tabs" role="tablist">
      ${shown.map(
        (name) => html`<a href=${`#/quality${qs({ tab: name })}`} role="tab" class=${`tab${name === tab ? ' active' : ''}`} aria-selected=${name === tab ? 'true' : 'false'}
          data-testid=${`qa-tab-${name}`}>${t(`qa.tab.${name}`)}</a>`,
      )}
    </div>
    ${body}`;
}

function Queue() {
  const [{ data, err }, reload] = useApi('/api/v1/quality/queue?limit=30');
  if (err) return html`<${ErrorBox} err=${err} onRetry=${reload} />`;
  if (!data) return html`<${Loading} />`;
  if (!data.items.length) return html`<div class="card"><${Empty} text=${t('qa.queueEmpty')} testid="qa-queue-empty" /></div>`;
  return html`<div class="card card-flush">
    <p class="muted small card-pad">${t('qa.queueHelp')}</p>
    <${Table} head=${[t('qa.conversation'), t('conv.agent'), t('qa.score'), t('qa.why'), t('qa.failedItems')]} testid="qa-queue">
      ${data.items.map(
        (/** @type {any} */ e) => html`<tr data-testid="qa-queue-row">
          <td><a href=${`#/conversations/${enc(e.conversation_id)}`} data-testid="qa-queue-open">${formatTime(e.started_at)}</a><div class="muted small"><span data-content>${e.scorecard_id}</span> v${e.version}</div></td>
          <td data-content>${e.agent || '—'}</td>
          <td><${ScoreBadge} score=${e.score} critical=${e.critical_failed} /></td>
          <td>${e.reasons.map((/** @type {string} */ r) => html`<${Badge} text=${t(`qa.reason.${r}`)} kind=${r === 'critical' ? 'danger' : r === 'calibration' ? 'muted' : 'warning'} /> `)}</td>
          <td class="small" data-content>${e.failed.join(' · ') || '—'}</td>
        </tr>`,
      )}
    <//>
  </div>`;
}

const NEW_CARD = `id: my-scorecard
name: My scorecard
sections:
  - name: Opening
    items:
      - id: greeting
        name: Greeting
        points: 5
        must:
          phrases: [您好, hello]
          speaker: agent
          first_turns: 2
`;

/** @param {{ editable: boolean }} props */
function Scorecards({ editable }) {
  const [{ data, err }, reload] = useApi('/api/v1/quality/scorecards');
  const [batches, reloadBatches] = useApi('/api/v1/quality/batches');
  const [source, setSource] = useState('');
  const [trial, setTrial] = useState(/** @type {any} */ (null));
  const [message, setMessage] = useState(/** @type {{ kind: string, text: string } | null} */ (null));
  const [busy, setBusy] = useState(false);

  /** @param {() => Promise<void>} work */
  async function run(work) {
    setBusy(true);
    setMessage(null);
    try {
      await work();
    } catch (e) {
      setMessage({ kind: 'error', text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  }
  const tryIt = () => run(async () => setTrial(await api('/api/v1/quality/scorecards/trial', { method: 'POST', body: { source, sample: 50 } })));
  const save = () =>
    run(async () => {
      const saved = await api('/api/v1/quality/scorecards', { method: 'POST', body: { source } });
      setMessage({ kind: 'ok', text: t('qa.saved', { id: saved.id, version: saved.version }) });
      reload();
    });
  /** @param {any} card */
  const publish = (card) =>
    run(async () => {
      await api(`/api/v1/quality/scorecards/${enc(card.id)}/versions/${card.version}/publish`, { method: 'POST' });
      setMessage({ kind: 'ok', text: t('qa.published', { id: card.id, version: card.version }) });
      reload();
      reloadBatches();
    });

  if (err) return html`<${ErrorBox} err=${err} onRetry=${reload} />`;
  if (!data) return html`<${Loading} />`;
  const progress = (batches.data && batches.data.items) || [];
  return html`<div class="card card-flush">
      <${Table} head=${[t('qa.scorecard'), t('qa.version'), t('qa.status'), t('qa.items'), t('qa.progress'), '']} testid="qa-scorecards">
        ${data.items.map((/** @type {any} */ card) => {
          const batch = progress.find((/** @type {any} */ b) => b.scorecard_id === card.id && b.version === card.version);
          return html`<tr data-testid="qa-scorecard-row" data-id=${card.id} data-status=${card.status}>
            <td><strong data-content>${card.name}</strong><div class="muted small"><span data-content>${card.id} · ${card.created_by}</span> · ${formatTime(card.created_at)}</div></td>
            <td>v${card.version}</td>
            <td><${Badge} text=${tEnum('scorecardStatus', card.status)} kind=${card.status === 'published' ? 'ok' : 'muted'} /></td>
            <td>${card.items.length}</td>
            <td class="small" data-testid="qa-batch">${batch ? t('qa.batch', { done: formatNumber(batch.done), total: formatNumber(batch.total), status: tEnum('batchStatus', batch.status) }) : '—'}</td>
            <td>
              ${editable ? html`<button type="button" class="btn btn-small" onClick=${() => (setSource(card.source), setTrial(null))} data-testid="qa-edit">${t('qa.edit')}</button>` : null}
              ${editable && card.status === 'draft' ? html` <button type="button" class="btn btn-small btn-primary" disabled=${busy} onClick=${() => publish(card)} data-testid="qa-publish">${t('qa.publish')}</button>` : null}
            </td>
          </tr>`;
        })}
      <//>
    </div>
    ${editable
      ? html`<section class="card" data-testid="qa-editor">
          <h2>${t('qa.editor')}</h2>
          <p class="muted small"><${Trans} k="qa.editorHelp" params=${{ doc: html`<code data-content>docs/scorecards.md</code>` }} /></p>
          <textarea class="input code" rows="16" value=${source} spellcheck="false" data-testid="qa-source" aria-label=${t('qa.editor')}
            onInput=${(/** @type {any} */ e) => setSource(e.currentTarget.value)}></textarea>
          <div class="row gap">
            <button type="button" class="btn" onClick=${() => (setSource(NEW_CARD), setTrial(null))} data-testid="qa-new">${t('qa.new')}</button>
            <button type="button" class="btn" disabled=${busy || !source.trim()} onClick=${tryIt} data-testid="qa-try">${t('qa.try')}</button>
            <button type="button" class="btn btn-primary" disabled=${busy || !source.trim()} onClick=${save} data-testid="qa-save">${t('qa.saveDraft')}</button>
          </div>
          ${message ? html`<div class=${`alert ${message.kind === 'error' ? 'alert-error' : 'alert-success'}`} role="alert" data-testid="qa-message">${message.text}</div>` : null}
          ${trial ? html`<${TrialResult} trial=${trial} />` : null}
        </section>`
      : null}`;
}

/** @param {{ trial: any }} props */
function TrialResult({ trial }) {
  return html`<div data-testid="qa-trial">
    <p>${t('qa.trialSummary', { n: trial.conversations, mean: Math.round(trial.mean_score), critical: trial.critical_failed })}</p>
    <${Table} head=${[t('qa.item'), tEnum('outcome', 'pass'), tEnum('outcome', 'fail'), tEnum('outcome', 'not_applicable')]}>
      ${trial.items.map(
        (/** @type {any} */ i) => html`<tr><td data-content>${i.name}</td><td>${i.pass}</td><td class=${i.fail ? 'text-danger' : ''}>${i.fail}</td><td class="muted">${i.not_applicable}</td></tr>`,
      )}
    <//>
  </div>`;
}

/** @param {{ canAnswer: boolean }} props */
function Disputes({ canAnswer }) {
  const [{ data, err }, reload] = useApi('/api/v1/quality/disputes');
  if (err) return html`<${ErrorBox} err=${err} onRetry=${reload} />`;
  if (!data) return html`<${Loading} />`;
  if (!data.items.length) return html`<div class="card"><${Empty} text=${t('qa.noDisputes')} testid="qa-disputes-empty" /></div>`;
  return html`<div class="card card-flush">
    <${Table} head=${[t('qa.conversation'), t('conv.agent'), t('qa.item'), t('qa.reason'), t('qa.status'), '']} testid="qa-disputes">
      ${data.items.map((/** @type {any} */ d) => html`<${DisputeRow} key=${d.id} dispute=${d} canAnswer=${canAnswer} onAnswered=${reload} />`)}
    <//>
  </div>`;
}

/** @param {{ dispute: any, canAnswer: boolean, onAnswered: () => void }} props */
function DisputeRow({ dispute, canAnswer, onAnswered }) {
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState('');
  /** @param {boolean} upheld */
  async function send(upheld) {
    setError('');
    try {
      await api(`/api/v1/quality/disputes/${enc(dispute.id)}/answer`, { method: 'POST', body: { upheld, answer } });
      onAnswered();
    } catch (e) {
      setError(errorMessage(e));
    }
  }
  return html`<tr data-testid="qa-dispute-row" data-status=${dispute.status}>
    <td><a href=${`#/conversations/${enc(dispute.conversation_id)}`}>${formatTime(dispute.created_at)}</a></td>
    <td data-content>${dispute.agent}</td>
    <td><span data-content>${dispute.item_id}</span><div class="muted small"><span data-content>${dispute.scorecard_id}</span> v${dispute.version}</div></td>
    <td data-content>${dispute.reason}${dispute.answer ? html`<div class="muted small">${dispute.answered_by}: ${dispute.answer}</div>` : null}</td>
    <td><${Badge} text=${tEnum('dispute', dispute.status)} kind=${dispute.status === 'open' ? 'warning' : 'muted'} /></td>
    <td>
      ${canAnswer && dispute.status === 'open'
        ? html`<div class="qa-form">
            <input class="input" value=${answer} placeholder=${t('qa.answerPlaceholder')} onInput=${(/** @type {any} */ e) => setAnswer(e.currentTarget.value)} data-testid="qa-answer" aria-label=${t('qa.answer')} />
            <button type="button" class="btn btn-small" disabled=${!answer.trim()} onClick=${() => send(true)} data-testid="qa-uphold">${t('qa.uphold')}</button>
            <button type="button" class="btn btn-small" disabled=${!answer.trim()} onClick=${() => send(false)} data-testid="qa-reject">${t('qa.reject')}</button>
            ${error ? html`<div class="alert alert-error small">${error}</div>` : null}
          </div>`
        : null}
    </td>
  </tr>`;
}

function AgreementTable() {
  const [{ data, err }, reload] = useApi('/api/v1/quality/agreement');
  if (err) return html`<${ErrorBox} err=${err} onRetry=${reload} />`;
  if (!data) return html`<${Loading} />`;
  if (!data.items.length) return html`<div class="card"><${Empty} text=${t('qa.noAgreement')} testid="qa-agreement-empty" /></div>`;
  /** @param {number | null | undefined} x */
  const fixed = (x) => (x === null || x === undefined ? '—' : x.toFixed(2));
  return html`<div class="card card-flush">
    <p class="muted small card-pad">${t('qa.agreementHelp')}</p>
    <${Table} head=${[t('qa.item'), t('qa.reviewed'), t('qa.precision'), t('qa.recall'), 'κ']} testid="qa-agreement">
      ${data.items.map(
        (/** @type {any} */ a) => html`<tr data-testid="qa-agreement-row">
          <td data-content>${a.name}<div class="muted small">${a.scorecard_id}</div></td>
          <td>${a.reviewed}</td>
          <td>${fixed(a.precision)}</td>
          <td>${fixed(a.recall)}</td>
          <td><${Badge} text=${fixed(a.kappa)} kind=${a.kappa === null || a.kappa === undefined ? 'muted' : outcomeKind(a.kappa >= 0.6 ? 'pass' : 'fail')} /></td>
        </tr>`,
      )}
    <//>
  </div>`;
}
