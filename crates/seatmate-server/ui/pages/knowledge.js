// The knowledge base: the index status, the ask box, and the items of one kind, searchable.

import { useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { enc, qs } from '../lib/api.js';
import { t, formatTime } from '../lib/i18n.js';
import { go } from '../lib/router.js';
import { isAdmin } from '../lib/session.js';
import { useApi } from '../lib/use-api.js';
import { Badge, Data, Empty, ErrorBox, Loading, PageHeader, Pager, Table } from '../components/common.js';
import { AskBox } from '../components/ask-box.js';
import { IndexStatus } from '../components/index-status.js';
import { KINDS } from '../components/knowledge-card.js';

const PAGE_SIZE = 50;

/** @param {import('../lib/router.js').PageProps} props */
export default function KnowledgeRoute({ query }) {
  const kind = KINDS.includes(query.get('kind') || '') ? query.get('kind') || 'faq' : 'faq';
  const q = query.get('q') || '';
  const offset = Math.max(0, parseInt(query.get('offset') || '0', 10) || 0);
  return html`<${KnowledgePage} kind=${kind} q=${q} offset=${offset} />`;
}

/** @param {{ kind: string, q: string, offset: number }} props */
function KnowledgePage({ kind, q, offset }) {
  const [text, setText] = useState(q);
  const [{ data, err, loading }, reload] = useApi(`/api/v1/knowledge${qs({ kind, q, limit: PAGE_SIZE, offset })}`);
  /** @param {number} off @param {string} [query] */
  const toHash = (off, query = q) => `#/knowledge${qs({ kind, q: query, offset: off || '' })}`;
  /** @param {Event} e */
  const submit = (e) => {
    e.preventDefault();
    go(toHash(0, text.trim()));
  };

  let body;
  if (err) body = html`<${ErrorBox} err=${err} onRetry=${reload} />`;
  else if (loading || !data) body = html`<${Loading} />`;
  else {
    const items = data.items || [];
    const total = typeof data.total === 'number' ? data.total : items.length;
    body = items.length
      ? html`<${Table} head=${[t('kn.itemTitle'), t('kn.key'), t('kn.category'), t('kn.tags'), t('kn.version'), t('kn.updated')]} testid="knowledge-table">
            ${items.map((/** @type {any} */ it) => {
              const href = `#/knowledge/${enc(it.id)}`;
              return html`<tr class="clickable" data-testid="knowledge-row" data-id=${it.id} data-kind=${(it.body && it.body.kind) || kind} onClick=${() => go(href)}>
                <td data-content><a href=${href} class="strong">${it.title || it.key || it.id}</a></td>
                <td data-content><code>${it.key || ''}</code></td>
                <td><${Data}>${it.category}<//></td>
                <td data-content>${(it.tags || []).map((/** @type {string} */ tag) => html`<${Badge} text=${tag} kind="tag" />`)}</td>
                <td class="num">v${it.version ?? ''}</td>
                <td class="nowrap">${formatTime(it.updated_at)}</td>
              </tr>`;
            })}
          <//>
          <${Pager} total=${total} offset=${offset} limit=${PAGE_SIZE} toHash=${(/** @type {number} */ off) => toHash(off)} />`
      : html`<${Empty} />`;
  }

  return html`<${PageHeader} title=${t('kn.title')} />
    <${IndexStatus} canRebuild=${isAdmin()} />
    <${AskBox} />
    <div class="tabs" role="tablist">
      ${KINDS.map(
        (k) => html`<a href=${`#/knowledge${qs({ kind: k, q })}`} role="tab" class=${`tab${k === kind ? ' active' : ''}`} aria-selected=${k === kind ? 'true' : 'false'} data-testid=${`kn-tab-${k}`}>${t(`kind.${k}`)}</a>`,
      )}
    </div>
    <form class="filters card" novalidate onSubmit=${submit}>
      <input type="search" class="input grow" placeholder=${t('kn.searchPlaceholder')} value=${text} onInput=${(/** @type {any} */ e) => setText(e.currentTarget.value)}
        data-testid="kn-search" aria-label=${t('common.search')} />
      <button type="submit" class="btn btn-primary">${t('common.search')}</button>
      ${q ? html`<button type="button" class="btn" onClick=${() => go(`#/knowledge${qs({ kind })}`)}>${t('common.clear')}</button>` : null}
    </form>
    <div class="card card-flush">${body}</div>`;
}
