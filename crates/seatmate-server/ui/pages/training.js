// The training room: Seatmate plays a real case's customer, chat style (usable on a phone). Each
// trainee turn gets feedback — empathy, the knowledge points covered, closeness to what the real
// agent said, scorecard items already failed — and the end a summary, kept in the history.

import { useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, enc, errorMessage } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { useApi } from '../lib/use-api.js';
import { Badge, ErrorBox, Loading, PageHeader } from '../components/common.js';

/** @param {import('../lib/router.js').PageProps} props */
export default function TrainingRoute({ params }) {
  const id = params[0];
  const [{ data, err }, reload] = useApi(`/api/v1/learning/sessions/${enc(id)}`);
  const [session, setSession] = useState(/** @type {any} */ (null));
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const current = session || data;
  if (err) return html`<${ErrorBox} err=${err} onRetry=${reload} />`;
  if (!current) return html`<${Loading} />`;
  const ended = current.ended_at !== null && current.ended_at !== undefined;
  const send = async (/** @type {Event} */ e) => {
    e.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    setError('');
    try {
      setSession(await api(`/api/v1/learning/sessions/${enc(id)}/turns`, { method: 'POST', body: { text } }));
      setText('');
    } catch (x) {
      setError(errorMessage(x));
    } finally {
      setBusy(false);
    }
  };
  const finish = async () => {
    try {
      setSession(await api(`/api/v1/learning/sessions/${enc(id)}/finish`, { method: 'POST' }));
    } catch (x) {
      setError(errorMessage(x));
    }
  };
  const state = current.state;
  const mood = [...state.turns].reverse().find((/** @type {any} */ turn) => turn.mood);
  return html`<div class="crumbs"><a href="#/learning">← ${t('learn.title')}</a></div>
    <${PageHeader} title=${t('learn.room')}>
      ${mood ? html`<span data-testid="training-mood"><${Badge} text=${t(`learn.mood.${mood.mood.level}`)} kind=${mood.mood.level === 'angry' || mood.mood.level === 'upset' ? 'danger' : 'ok'} /></span>` : null}
      ${!ended ? html`<button type="button" class="btn" onClick=${finish} data-testid="training-finish">${t('learn.finish')}</button>` : null}
    <//>
    <div class="training">
      ${state.knowledge ? html`<p class="muted small">${t('learn.knowledge')}: <a href=${`#/knowledge/${enc(state.knowledge[0])}`} data-content>${state.knowledge[1]}</a> · ${t('learn.points', { n: state.points.length })}</p>` : null}
      <div class="transcript training-chat" data-testid="training-chat">
        ${state.turns.map(
          (/** @type {any} */ turn) => html`<div class=${`turn ${turn.speaker === 'trainee' ? 'turn-agent' : 'turn-customer'}`} data-testid="training-turn" data-speaker=${turn.speaker}>
            <div class="turn-meta"><span class="turn-speaker">${turn.speaker === 'trainee' ? t('learn.you') : t('learn.customer')}</span>${turn.generated ? html` <span class="badge badge-muted" title=${t('learn.generatedHelp')}>${t('learn.generated')}</span>` : null}</div>
            <div class="bubble" data-content>${turn.text}</div>
            ${turn.feedback ? html`<${Feedback} feedback=${turn.feedback} points=${state.points.length} />` : null}
          </div>`,
        )}
      </div>
      ${error ? html`<p class="badge badge-danger" role="alert" data-testid="training-error">${error}</p>` : null}
      ${ended
        ? html`<${SummaryCard} summary=${state.summary} />`
        : html`<form class="training-input" novalidate onSubmit=${send}>
            <textarea class="input" rows="2" value=${text} placeholder=${t('learn.sayPlaceholder')} aria-label=${t('learn.say')} data-testid="training-input"
              onInput=${(/** @type {any} */ e) => setText(e.currentTarget.value)}
              onKeyDown=${(/** @type {KeyboardEvent} */ e) => { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) send(e); }}></textarea>
            <button type="submit" class="btn btn-primary" disabled=${busy} data-testid="training-send">${busy ? '…' : t('learn.send')}</button>
          </form>`}
    </div>`;
}

/** @param {{ feedback: any, points: number }} props */
function Feedback({ feedback, points }) {
  const chips = [
    html`<${Badge} text=${feedback.empathy ? t('learn.fb.empathy') : t('learn.fb.noEmpathy')} kind=${feedback.empathy ? 'ok' : 'muted'} />`,
    html`<${Badge} text=${feedback.answered ? t('learn.fb.answered') : t('learn.fb.notAnswered')} kind=${feedback.answered ? 'ok' : 'warning'} />`,
    html`<${Badge} text=${t('learn.fb.closeness', { n: Math.round(feedback.closeness * 100) })} kind="muted" />`,
  ];
  if (points) chips.push(html`<${Badge} text=${t('learn.fb.coverage', { n: Math.round(feedback.coverage * 100) })} kind="muted" />`);
  for (const item of feedback.failed_items) chips.push(html`<${Badge} text=${item} kind="danger" />`);
  return html`<div class="training-feedback" data-testid="training-feedback">${chips.map((c) => html`${c} `)}</div>`;
}

/** @param {{ summary: any }} props */
function SummaryCard({ summary }) {
  if (!summary) return null;
  return html`<section class="card" data-testid="training-summary">
    <h2>${t('learn.summary')}</h2>
    <div class="stat-row">
      <div class="stat"><div class="stat-value" data-testid="training-score">${Math.round(summary.score)}</div><div class="muted small">${t('qa.score')}</div></div>
      <div class="stat"><div class="stat-value">${summary.trainee_turns}</div><div class="muted small">${t('learn.turns')}</div></div>
      <div class="stat"><div class="stat-value">${summary.empathy_turns}</div><div class="muted small">${t('learn.fb.empathy')}</div></div>
      <div class="stat"><div class="stat-value">${Math.round(summary.mean_closeness * 100)}%</div><div class="muted small">${t('learn.closeness')}</div></div>
    </div>
    ${summary.failed_items.length ? html`<h3>${t('learn.toWorkOn')}</h3><ul>${summary.failed_items.map((/** @type {string} */ i) => html`<li>${i}</li>`)}</ul>` : null}
    ${summary.passed_items.length ? html`<h3>${t('learn.done')}</h3><ul class="muted">${summary.passed_items.map((/** @type {string} */ i) => html`<li>${i}</li>`)}</ul>` : null}
  </section>`;
}
