// The conversation list: search and filters, one page of conversations, the stats line.

import { useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { enc, qs } from '../lib/api.js';
import { t, tEnum, formatTime, formatNumber } from '../lib/i18n.js';
import { go } from '../lib/router.js';
import { currentUser } from '../lib/session.js';
import { useApi } from '../lib/use-api.js';
import { Badge, Data, Empty, ErrorBox, Loading, PageHeader, Pager, Table } from '../components/common.js';
import { queueLabel } from '../components/attributes.js';

const PAGE_SIZE = 50;
const CHANNELS = ['chat', 'voice', 'email'];
const STATS = ['conversations', 'tickets', 'taxonomy_nodes', 'knowledge_items', 'users'];

/** @typedef {{ q: string, channel: string, queue: string, agent: string }} Filters */

/** @param {import('../lib/router.js').PageProps} props */
export default function ConversationsRoute({ query }) {
  const isAgent = Boolean(currentUser.value && currentUser.value.role === 'agent');
  /** @type {Filters} */
  const filters = {
    q: query.get('q') || '',
    channel: CHANNELS.includes(query.get('channel') || '') ? query.get('channel') || '' : '',
    queue: query.get('queue') || '',
    agent: isAgent ? '' : query.get('agent') || '',
  };
  const offset = Math.max(0, parseInt(query.get('offset') || '0', 10) || 0);
  return html`<${ConversationsPage} filters=${filters} offset=${offset} isAgent=${isAgent} />`;
}

/** @param {number} offset @param {Filters} filters */
function toHash(offset, filters) {
  return `#/conversations${qs({ ...filters, offset: offset || '' })}`;
}

function Stats() {
  const [{ data }] = useApi('/api/v1/stats');
  return html`<div class="stats" data-testid="stats">
    ${data ? STATS.filter((k) => typeof data[k] === 'number').map((k) => html`<span class="stat">${t(`stats.${k}`, { n: formatNumber(data[k]) })}</span>`) : null}
  </div>`;
}

/** @param {{ filters: Filters, offset: number, isAgent: boolean }} props */
function ConversationsPage({ filters, offset, isAgent }) {
  const [form, setForm] = useState(filters);
  const [{ data, err, loading }, reload] = useApi(`/api/v1/conversations${qs({ ...filters, limit: PAGE_SIZE, offset })}`);
  /** @param {keyof Filters} field @returns {(e: any) => void} */
  const edit = (field) => (e) => setForm({ ...form, [field]: e.currentTarget.value });
  /** @param {Event} [e] @param {Filters} [values] */
  const submit = (e, values = form) => {
    if (e) e.preventDefault();
    go(toHash(0, { q: values.q.trim(), channel: values.channel, queue: values.queue.trim(), agent: isAgent ? '' : values.agent.trim() }));
  };

  let body;
  if (err) body = html`<${ErrorBox} err=${err} onRetry=${reload} />`;
  else if (loading || !data) body = html`<${Loading} />`;
  else {
    const items = data.items || [];
    const total = typeof data.total === 'number' ? data.total : items.length;
    body = items.length
      ? html`<${Table} head=${[t('conv.time'), t('conv.channel'), t('conv.queue'), t('conv.agent'), t('conv.customer'), t('conv.turns'), t('conv.preview')]} testid="conv-table">
            ${items.map((/** @type {any} */ c) => {
              const href = `#/conversations/${enc(c.id)}`;
              return html`<tr class="clickable" data-testid="conv-row" data-agent=${c.agent || ''} data-id=${c.id} onClick=${() => go(href)}>
                <td class="nowrap"><a href=${href}>${formatTime(c.started_at)}</a></td>
                <td><${Badge} text=${tEnum('channel', c.channel)} kind=${`ch-${c.channel}`} /></td>
                <td>${queueLabel(c.queue)}</td>
                <td><${Data}>${c.agent}<//></td>
                <td class="nowrap"><${Data}>${c.customer_id}<//></td>
                <td class="num">${formatNumber(c.turn_count)}</td>
                <td class="preview" data-content title=${c.preview || ''}>${c.preview || ''}</td>
              </tr>`;
            })}
          <//>
          <${Pager} total=${total} offset=${offset} limit=${PAGE_SIZE} toHash=${(/** @type {number} */ off) => toHash(off, filters)} />`
      : html`<${Empty} />`;
  }

  return html`<${PageHeader} title=${t('conv.title')}><${Stats} /><//>
    <form class="filters card" novalidate onSubmit=${submit}>
      <input type="search" class="input grow" placeholder=${t('conv.searchPlaceholder')} value=${form.q} onInput=${edit('q')} data-testid="conv-search" aria-label=${t('common.search')} />
      <select class="input" data-testid="conv-channel" aria-label=${t('conv.channel')} value=${form.channel}
        onChange=${(/** @type {any} */ e) => submit(undefined, { ...form, channel: e.currentTarget.value })}>
        ${['', ...CHANNELS].map((c) => html`<option value=${c}>${c ? tEnum('channel', c) : t('channel.all')}</option>`)}
      </select>
      <input type="text" class="input" placeholder=${t('conv.queuePlaceholder')} value=${form.queue} onInput=${edit('queue')} data-testid="conv-queue" aria-label=${t('conv.queue')} />
      ${isAgent ? null : html`<input type="text" class="input" placeholder=${t('conv.agentPlaceholder')} value=${form.agent} onInput=${edit('agent')} data-testid="conv-agent" aria-label=${t('conv.agent')} />`}
      <button type="submit" class="btn btn-primary" data-testid="conv-search-submit">${t('common.search')}</button>
      <button type="button" class="btn" onClick=${() => go('#/conversations')}>${t('common.reset')}</button>
    </form>
    <div class="card card-flush">${body}</div>`;
}
