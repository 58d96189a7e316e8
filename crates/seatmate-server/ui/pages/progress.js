// An agent's training progress: finished sessions and their scores over time, assignments, and
// the items still weak in their quality profile.

import { html } from '../lib/html.js';
import { enc, qs } from '../lib/api.js';
import { t, formatTime } from '../lib/i18n.js';
import { useApi } from '../lib/use-api.js';
import { Badge, Data, Empty, ErrorBox, Loading, PageHeader, Table, Trans } from '../components/common.js';

/** @param {import('../lib/router.js').PageProps} props */
export default function ProgressRoute({ query }) {
  const agent = query.get('agent') || '';
  const [{ data, err }, reload] = useApi(`/api/v1/learning/progress${qs({ agent })}`);
  if (err) return html`<${ErrorBox} err=${err} onRetry=${reload} />`;
  if (!data) return html`<${Loading} />`;
  const scores = data.sessions.map((/** @type {any} */ s) => s.score);
  return html`<div class="crumbs"><a href="#/learning?tab=dashboard">← ${t('learn.title')}</a></div>
    <${PageHeader} title=${html`<${Trans} k="learn.progressTitle" params=${{ agent: html`<${Data}>${data.agent}<//>` }} />`} />
    <section class="card" data-testid="progress-sessions">
      <h2>${t('learn.scoresOverTime')}</h2>
      ${scores.length ? html`<${Spark} values=${scores} />` : html`<${Empty} text=${t('learn.noSessions')} />`}
    </section>
    <section class="card"><h2>${t('learn.stillWeak')}</h2>
      ${data.weak_items.length ? html`<ul>${data.weak_items.map((/** @type {string} */ i) => html`<li data-content>${i}</li>`)}</ul>` : html`<p class="muted">${t('learn.noneWeak')}</p>`}
    </section>
    <section class="card card-flush"><h2 class="card-pad">${t('learn.assignments')}</h2>
      <${Table} head=${[t('learn.case'), t('learn.reason'), t('learn.statusLabel'), t('learn.started')]}>
        ${data.assignments.map((/** @type {any} */ a) => html`<tr><td data-content><a href=${`#/learning/cases/${enc(a.case_id)}`}>${a.case_id}</a></td><td class="small" data-content>${a.reason}</td>
          <td><${Badge} text=${t(`learn.assignment.${a.status}`)} kind="muted" /></td><td>${formatTime(a.created_at)}</td></tr>`)}
      <//>
    </section>`;
}

/** @param {{ values: number[] }} props */
function Spark({ values }) {
  const w = 360;
  const h = 100;
  const xs = values.map((_, i) => 10 + (values.length === 1 ? 0 : (i * (w - 20)) / (values.length - 1)));
  const ys = values.map((v) => h - 10 - (v / 100) * (h - 20));
  return html`<svg class="chart" viewBox=${`0 0 ${w} ${h}`} role="img" aria-label=${t('learn.scoresOverTime')}>
    <path d=${xs.map((x, i) => `${i ? 'L' : 'M'}${x},${ys[i]}`).join(' ')} class="chart-line" fill="none" />
    ${xs.map((x, i) => html`<circle cx=${x} cy=${ys[i]} r="3" class="chart-dot"><title>${Math.round(values[i])}</title></circle>`)}
  </svg>`;
}
