// A weakness profile: an agent's (their own, or for a lead or inspector any agent's) or a team's
// quality against their peers — the items failed significantly more often, with what to learn,
// the weekly trend and the spread of scores.

import { useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { enc, qs } from '../lib/api.js';
import { t, formatTime } from '../lib/i18n.js';
import { go } from '../lib/router.js';
import { currentUser } from '../lib/session.js';
import { useApi } from '../lib/use-api.js';
import { Badge, Data, Empty, ErrorBox, Loading, PageHeader, Table, Trans } from '../components/common.js';

/** @param {import('../lib/router.js').PageProps} props */
export default function ProfileRoute({ query }) {
  const user = currentUser.value || { role: '', username: '' };
  const agent = query.get('agent') || '';
  const team = query.get('team') || '';
  const [{ data, err }, reload] = useApi(`/api/v1/quality/profile${qs({ agent, team })}`);
  const [who, setWho] = useState(agent);
  const canChoose = user.role !== 'agent';
  let body;
  if (err) body = html`<${ErrorBox} err=${err} onRetry=${reload} />`;
  else if (!data) body = html`<${Loading} />`;
  else if (!data.conversations) body = html`<div class="card"><${Empty} text=${t('profile.none')} testid="profile-empty" /></div>`;
  else body = html`<${ProfileView} profile=${data} />`;
  return html`<div class="crumbs">${canChoose ? html`<a href="#/quality">← ${t('qa.title')}</a>` : null}</div>
    <${PageHeader} title=${data && data.agent
      ? html`<${Trans} k="profile.ofAgent" params=${{ agent: html`<${Data}>${data.agent}<//>` }} />`
      : data && data.team
        ? html`<${Trans} k="profile.ofTeam" params=${{ team: html`<${Data}>${data.team}<//>` }} />`
        : t('nav.profile')}>
      ${canChoose
        ? html`<form class="row gap" novalidate onSubmit=${(/** @type {Event} */ e) => (e.preventDefault(), go(`#/quality/profile${qs({ agent: who.trim() })}`))}>
            <input class="input" value=${who} placeholder=${t('profile.agentPlaceholder')} aria-label=${t('conv.agent')} data-testid="profile-agent"
              onInput=${(/** @type {any} */ e) => setWho(e.currentTarget.value)} />
            <button type="submit" class="btn">${t('profile.show')}</button>
          </form>`
        : null}
    <//>
    ${body}`;
}

/** @param {{ profile: any }} props */
function ProfileView({ profile }) {
  const weak = profile.items.filter((/** @type {any} */ i) => i.weak);
  return html`<section class="card" data-testid="profile-summary">
      <div class="stat-row">
        <div class="stat"><div class="stat-value" data-testid="profile-mean">${Math.round(profile.mean_score)}</div><div class="muted small">${t('profile.mean')}</div></div>
        <div class="stat"><div class="stat-value">${Math.round(profile.peer_mean_score)}</div><div class="muted small">${t(`profile.peers.${profile.compared_with}`)}</div></div>
        <div class="stat"><div class="stat-value">${profile.conversations}</div><div class="muted small">${t('profile.conversations')}</div></div>
        <div class="stat"><div class="stat-value" data-testid="profile-weak-count">${weak.length}</div><div class="muted small">${t('profile.weakSpots')}</div></div>
      </div>
    </section>
    <div class="grid-2">
      <section class="card"><h2>${t('profile.trend')}</h2><${TrendChart} weeks=${profile.weeks} /></section>
      <section class="card"><h2>${t('profile.distribution')}</h2><${Histogram} counts=${profile.histogram} /></section>
    </div>
    <section class="card card-flush">
      <h2 class="card-pad">${t('profile.items')}</h2>
      <p class="muted small card-pad">${t('profile.itemsHelp')}</p>
      <${Table} head=${[t('qa.item'), t('profile.failRate'), t(`profile.peerRate.${profile.compared_with}`), 'p', t('profile.learn')]} testid="profile-items">
        ${profile.items.map(
          (/** @type {any} */ i) => html`<tr data-testid="profile-item" data-weak=${i.weak ? 'true' : 'false'}>
            <td>${i.weak ? html`<${Badge} text=${t('profile.weak')} kind="danger" /> ` : null}<span data-content>${i.name}</span><div class="muted small" data-content>${i.section} · ${i.scorecard_id}</div>
              ${i.weak && i.guidance ? html`<div class="small" data-content>${i.guidance}</div>` : null}</td>
            <td><${RateBar} rate=${i.fail_rate} peer=${i.peer_fail_rate} /> <span class="small">${Math.round(i.fail_rate * 100)}% (${i.failed}/${i.applicable})</span></td>
            <td class="small">${Math.round(i.peer_fail_rate * 100)}%</td>
            <td class="small">${i.p_value === null || i.p_value === undefined ? '—' : i.p_value < 0.001 ? '<0.001' : i.p_value.toFixed(3)}</td>
            <td class="small">${i.learning.map(
              (/** @type {any} */ l) => html`<div><a href=${`#/knowledge/${enc(l.id)}`} data-testid="profile-learn" data-content>${l.title}</a></div>`,
            )}</td>
          </tr>`,
        )}
      <//>
    </section>`;
}

/** A fail rate as a bar, with the peers' rate marked. @param {{ rate: number, peer: number }} props */
function RateBar({ rate, peer }) {
  return html`<svg class="rate-bar" width="80" height="10" viewBox="0 0 100 10" role="img" aria-label=${`${Math.round(rate * 100)}%`}>
    <rect x="0" y="0" width="100" height="10" class="rate-bg" />
    <rect x="0" y="0" width=${Math.round(rate * 100)} height="10" class=${rate > peer ? 'rate-worse' : 'rate-fill'} />
    <line x1=${peer * 100} x2=${peer * 100} y1="0" y2="10" class="rate-peer" />
  </svg>`;
}

/** Mean score per week. @param {{ weeks: { week_start: number, mean_score: number, conversations: number }[] }} props */
function TrendChart({ weeks }) {
  if (!weeks.length) return html`<${Empty} small />`;
  const w = 320;
  const h = 120;
  const x = (/** @type {number} */ i) => (weeks.length === 1 ? w / 2 : 20 + (i * (w - 40)) / (weeks.length - 1));
  const y = (/** @type {number} */ s) => h - 15 - (s / 100) * (h - 30);
  const points = weeks.map((wk, i) => `${x(i)},${y(wk.mean_score)}`).join(' ');
  return html`<svg class="chart" viewBox=${`0 0 ${w} ${h}`} role="img" aria-label=${t('profile.trend')} data-testid="profile-trend">
    <line x1="20" x2=${w - 20} y1=${y(80)} y2=${y(80)} class="chart-guide" />
    <polyline points=${points} class="chart-line" />
    ${weeks.map(
      (wk, i) => html`<circle cx=${x(i)} cy=${y(wk.mean_score)} r="3" class="chart-dot"><title>${`${formatTime(wk.week_start)}: ${Math.round(wk.mean_score)} (${wk.conversations})`}</title></circle>`,
    )}
  </svg>`;
}

/** How many conversations scored in each tenth. @param {{ counts: number[] }} props */
function Histogram({ counts }) {
  const max = Math.max(1, ...counts);
  const w = 320;
  const h = 120;
  const bw = w / counts.length;
  return html`<svg class="chart" viewBox=${`0 0 ${w} ${h}`} role="img" aria-label=${t('profile.distribution')} data-testid="profile-histogram">
    ${counts.map((n, i) => {
      const bh = ((h - 20) * n) / max;
      return html`<g>
        <rect x=${i * bw + 2} y=${h - 15 - bh} width=${bw - 4} height=${bh} class=${i < 6 ? 'chart-bar-low' : 'chart-bar'}><title>${`${i * 10}–${i * 10 + 9}: ${n}`}</title></rect>
        <text x=${i * bw + bw / 2} y=${h - 3} class="chart-label">${i * 10}</text>
      </g>`;
    })}
  </svg>`;
}
