// Learning: the training room's lobby (my assignments, cases to practise, my sessions), the case
// library mined from history (trainers curate it), and the trainers' dashboard (assignments that
// follow each agent's weak spots, and each agent's progress).

import { useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, enc, errorMessage, qs } from '../lib/api.js';
import { t, formatTime } from '../lib/i18n.js';
import { go } from '../lib/router.js';
import { currentUser } from '../lib/session.js';
import { useApi } from '../lib/use-api.js';
import { Badge, Empty, ErrorBox, Loading, PageHeader, Table } from '../components/common.js';

const TABS = ['training', 'cases', 'dashboard'];
const READERS = ['trainer', 'team_lead', 'qa_inspector', 'admin'];
const TRAINERS = ['trainer', 'admin'];

/** @param {import('../lib/router.js').PageProps} props */
export default function LearningRoute({ query }) {
  const user = currentUser.value || { role: '', username: '' };
  const shown = TABS.filter((name) => name === 'training' || (name === 'cases' && READERS.includes(user.role)) || (name === 'dashboard' && [...TRAINERS, 'team_lead'].includes(user.role)));
  const asked = query.get('tab') || 'training';
  const tab = shown.includes(asked) ? asked : 'training';
  let body;
  if (tab === 'cases') body = html`<${Library} status=${query.get('status') || 'suggested'} trainer=${TRAINERS.includes(user.role)} />`;
  else if (tab === 'dashboard') body = html`<${Dashboard} trainer=${TRAINERS.includes(user.role)} />`;
  else body = html`<${Lobby} />`;
  return html`<${PageHeader} title=${t('learn.title')} />
    <div class="tabs" role="tablist">
      ${shown.map(
        (name) => html`<a href=${`#/learning${qs({ tab: name })}`} role="tab" class=${`tab${name === tab ? ' active' : ''}`} aria-selected=${name === tab ? 'true' : 'false'}
          data-testid=${`learn-tab-${name}`}>${t(`learn.tab.${name}`)}</a>`,
      )}
    </div>
    ${body}`;
}

/** @param {string} caseId @param {string | null} assignmentId @param {(e: any) => void} onError */
async function practise(caseId, assignmentId, onError) {
  try {
    const session = await api('/api/v1/learning/sessions', { method: 'POST', body: { case_id: caseId, assignment_id: assignmentId } });
    go(`#/learning/sessions/${enc(session.id)}`);
  } catch (e) {
    onError(e);
  }
}

function Lobby() {
  const [assignments, reloadAssignments] = useApi('/api/v1/learning/assignments?status=assigned');
  const [cases, reloadCases] = useApi('/api/v1/learning/cases?status=accepted&limit=20');
  const [sessions, reloadSessions] = useApi('/api/v1/learning/sessions');
  const retry = () => {
    setErr(null);
    if (assignments.err) reloadAssignments();
    if (cases.err) reloadCases();
    if (sessions.err) reloadSessions();
  };
  const [err, setErr] = useState(/** @type {any} */ (null));
  const failed = err || assignments.err || cases.err || sessions.err;
  return html`${failed ? html`<${ErrorBox} err=${failed} onRetry=${retry} />` : null}
    <section class="card card-flush">
      <h2 class="card-pad">${t('learn.myAssignments')}</h2>
      ${!assignments.data ? html`<${Loading} />` : !assignments.data.items.length
        ? html`<div class="card-pad"><${Empty} text=${t('learn.noAssignments')} testid="learn-no-assignments" /></div>`
        : html`<${Table} head=${[t('learn.case'), t('learn.reason'), '']} testid="learn-assignments">
            ${assignments.data.items.map(
              (/** @type {any} */ a) => html`<tr data-testid="learn-assignment">
                <td><code>${a.case_id}</code></td><td class="small" data-content>${a.reason || '—'}</td>
                <td><button type="button" class="btn btn-primary" data-testid="learn-start-assignment" onClick=${() => practise(a.case_id, a.id, setErr)}>${t('learn.start')}</button></td>
              </tr>`,
            )}
          <//>`}
    </section>
    <section class="card card-flush">
      <h2 class="card-pad">${t('learn.practise')}</h2>
      ${!cases.data ? html`<${Loading} />` : !cases.data.items.length
        ? html`<div class="card-pad"><${Empty} text=${t('learn.noCases')} /></div>`
        : html`<${Table} head=${[t('learn.kind'), t('learn.teachingPoint'), t('learn.items'), '']} testid="learn-practise">
            ${cases.data.items.map(
              (/** @type {any} */ c) => html`<tr data-testid="learn-practise-row">
                <td><${KindBadge} kind=${c.kind} /></td><td class="small" data-content>${c.teaching_point || '—'}</td><td class="small" data-content>${c.items.join(' · ') || '—'}</td>
                <td><button type="button" class="btn" data-testid="learn-start-case" onClick=${() => practise(c.id, null, setErr)}>${t('learn.start')}</button></td>
              </tr>`,
            )}
          <//>`}
    </section>
    <section class="card card-flush">
      <h2 class="card-pad">${t('learn.mySessions')}</h2>
      ${!sessions.data ? html`<${Loading} />` : !sessions.data.items.length
        ? html`<div class="card-pad"><${Empty} text=${t('learn.noSessions')} /></div>`
        : html`<${Table} head=${[t('learn.started'), t('learn.trainee'), t('qa.score'), '']} testid="learn-sessions">
            ${sessions.data.items.map(
              (/** @type {any} */ s) => html`<tr data-testid="learn-session-row">
                <td>${formatTime(s.started_at)}</td><td data-content>${s.trainee}</td>
                <td>${s.score === null || s.score === undefined ? html`<${Badge} text=${t('learn.open')} kind="muted" />` : Math.round(s.score)}</td>
                <td><a href=${`#/learning/sessions/${enc(s.id)}`}>${t('learn.openSession')}</a></td>
              </tr>`,
            )}
          <//>`}
    </section>`;
}

/** @param {{ kind: string }} props */
export function KindBadge({ kind }) {
  return html`<${Badge} text=${t(`learn.kind.${kind}`)} kind=${kind === 'exemplary' ? 'ok' : 'warning'} />`;
}

/** @param {{ status: string, trainer: boolean }} props */
function Library({ status, trainer }) {
  const [{ data, err }, reload] = useApi(`/api/v1/learning/cases${qs({ status, limit: 100 })}`);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const mine = async () => {
    setBusy(true);
    try {
      const report = await api('/api/v1/learning/cases/mine', { method: 'POST' });
      setMessage(t('learn.mined', { conversations: report.conversations, cases: report.cases }));
      reload();
    } catch (e) {
      setMessage(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return html`<div class="row gap wrap">
      ${['suggested', 'accepted', 'rejected'].map(
        (s) => html`<a class=${`btn${s === status ? ' btn-primary' : ''}`} href=${`#/learning${qs({ tab: 'cases', status: s })}`} data-testid=${`learn-status-${s}`}>${t(`learn.status.${s}`)}</a>`,
      )}
      ${trainer ? html`<button type="button" class="btn" disabled=${busy} onClick=${mine} data-testid="learn-mine">${busy ? t('learn.mining') : t('learn.mine')}</button>` : null}
      ${message ? html`<span class="muted small" data-testid="learn-mine-message">${message}</span>` : null}
    </div>
    ${err ? html`<${ErrorBox} err=${err} onRetry=${reload} />` : !data ? html`<${Loading} />` : !data.items.length
      ? html`<div class="card"><${Empty} text=${t('learn.noCases')} testid="learn-cases-empty" /></div>`
      : html`<div class="card card-flush"><${Table} head=${[t('learn.kind'), t('learn.why'), t('learn.category'), t('qa.score'), t('learn.similar'), t('learn.keywords')]} testid="learn-cases">
          ${data.items.map((/** @type {any} */ c) => {
            const f = (c.mined && c.mined.features) || {};
            return html`<tr data-testid="learn-case-row">
              <td><a href=${`#/learning/cases/${enc(c.id)}`} data-testid="learn-case-open"><${KindBadge} kind=${c.kind} /></a></td>
              <td>${((c.mined && c.mined.reasons) || []).map((/** @type {string} */ r) => html`<${Badge} text=${t(`learn.reason.${r}`)} kind="muted" /> `)}</td>
              <td data-content>${c.category || '—'}</td>
              <td>${f.score === null || f.score === undefined ? '—' : Math.round(f.score)}</td>
              <td>${c.cluster_size}</td>
              <td class="small">${(f.keywords || []).slice(0, 5).join(' · ')}</td>
            </tr>`;
          })}
        <//></div>`}`;
}

/** @param {{ trainer: boolean }} props */
function Dashboard({ trainer }) {
  const [{ data, err }, reload] = useApi('/api/v1/learning/assignments');
  const [message, setMessage] = useState('');
  const act = async (/** @type {() => Promise<any>} */ fn) => {
    try {
      await fn();
      reload();
    } catch (e) {
      setMessage(errorMessage(e));
    }
  };
  const suggest = () =>
    act(async () => {
      const made = await api('/api/v1/learning/assignments/suggest', { method: 'POST' });
      setMessage(t('learn.suggested', { n: made.items.length }));
    });
  const update = (/** @type {string} */ id, /** @type {string} */ status) => act(() => api(`/api/v1/learning/assignments/${enc(id)}`, { method: 'POST', body: { status } }));
  const agents = data ? [...new Set(data.items.map((/** @type {any} */ a) => a.agent))] : [];
  return html`${trainer
      ? html`<div class="row gap"><button type="button" class="btn btn-primary" onClick=${suggest} data-testid="learn-suggest">${t('learn.suggest')}</button>
          <span class="muted small" data-testid="learn-dashboard-message">${message}</span></div>`
      : null}
    ${err ? html`<${ErrorBox} err=${err} onRetry=${reload} />` : !data ? html`<${Loading} />` : !data.items.length
      ? html`<div class="card"><${Empty} text=${t('learn.noAssignments')} /></div>`
      : html`<div class="card card-flush"><${Table} head=${[t('conv.agent'), t('learn.case'), t('learn.reason'), t('learn.statusLabel'), '']} testid="learn-dashboard">
          ${data.items.map(
            (/** @type {any} */ a) => html`<tr data-testid="learn-dashboard-row">
              <td data-content><a href=${`#/learning/progress${qs({ agent: a.agent })}`}>${a.agent}</a></td>
              <td data-content><a href=${`#/learning/cases/${enc(a.case_id)}`}>${a.case_id}</a></td>
              <td class="small" data-content>${a.reason || '—'}</td>
              <td><${Badge} text=${t(`learn.assignment.${a.status}`)} kind=${a.status === 'done' ? 'ok' : 'muted'} /></td>
              <td>${trainer && a.status === 'suggested'
                ? html`<button type="button" class="btn btn-small" onClick=${() => update(a.id, 'assigned')} data-testid="learn-accept-assignment">${t('learn.acceptAssignment')}</button>
                   <button type="button" class="btn btn-small btn-ghost" onClick=${() => update(a.id, 'dismissed')}>${t('learn.dismiss')}</button>`
                : null}</td>
            </tr>`,
          )}
        <//></div>`}
    ${agents.length ? html`<p class="muted small">${t('learn.progressOf')} ${agents.map((a) => html`<a href=${`#/learning/progress${qs({ agent: a })}`}>${a}</a> `)}</p>` : null}`;
}
