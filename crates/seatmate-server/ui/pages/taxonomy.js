// The taxonomy: the tree of business categories, search, and one node's details.

import { useEffect, useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, qs, unhandled } from '../lib/api.js';
import { t, localName } from '../lib/i18n.js';
import { go } from '../lib/router.js';
import { loadTaxNode, loadTeams, pathLabel, teamLabel } from '../lib/session.js';
import { useApi } from '../lib/use-api.js';
import { Empty, ErrorBox, Loading, MetaList, PageHeader } from '../components/common.js';

/**
 * @typedef {import('../lib/session.js').Team} Team
 * @typedef {{ code: string, name_zh?: string, name_en?: string, parent?: string | null, depth?: number,
 *   team?: string | null, child_count?: number }} TaxNode
 */

/** @param {import('../lib/router.js').PageProps} props */
export default function TaxonomyRoute({ query }) {
  const [teams, setTeams] = useState(/** @type {Map<string, Team> | null} */ (null));
  useEffect(() => {
    loadTeams().then(setTeams);
  }, []);
  return teams ? html`<${TaxonomyPage} q=${query.get('q') || ''} teams=${teams} />` : html`<${Loading} />`;
}

/** @param {{ q: string, teams: Map<string, Team> }} props */
function TaxonomyPage({ q, teams }) {
  const [text, setText] = useState(q);
  const [shown, setShown] = useState(/** @type {string | null} */ (null));
  /** @param {Event} e */
  const submit = (e) => {
    e.preventDefault();
    go(`#/taxonomy${qs({ q: text.trim() })}`);
  };
  return html`<${PageHeader} title=${t('tax.title')} />
    <div class="split">
      <section class="card tax-left">
        <form class="filters" novalidate onSubmit=${submit}>
          <input type="search" class="input grow" placeholder=${t('tax.searchPlaceholder')} value=${text} onInput=${(/** @type {any} */ e) => setText(e.currentTarget.value)}
            data-testid="tax-search" aria-label=${t('common.search')} />
          <button type="submit" class="btn btn-primary" data-testid="tax-search-submit">${t('common.search')}</button>
          ${q ? html`<button type="button" class="btn" onClick=${() => go('#/taxonomy')}>${t('common.clear')}</button>` : null}
        </form>
        ${q ? html`<${SearchResults} q=${q} teams=${teams} onShow=${setShown} />` : html`<${Roots} teams=${teams} onShow=${setShown} />`}
      </section>
      <${NodeDetail} code=${shown} teams=${teams} onShow=${setShown} />
    </div>`;
}

/** @param {{ teams: Map<string, Team>, onShow: (code: string) => void }} props */
function Roots({ teams, onShow }) {
  const [{ data, err, loading }, reload] = useApi('/api/v1/taxonomy');
  const items = (data && data.items) || [];
  let body;
  if (err) body = html`<${ErrorBox} err=${err} onRetry=${reload} />`;
  else if (loading) body = html`<${Loading} />`;
  else if (!items.length) body = html`<${Empty} text=${t('tax.noRoots')} />`;
  else body = html`<ul class="tree tree-root" data-testid="tax-tree">${items.map((/** @type {TaxNode} */ n) => html`<${NodeRow} key=${n.code} node=${n} teams=${teams} onShow=${onShow} />`)}</ul>`;
  return html`<div><h3>${t('tax.tree')}</h3>${body}</div>`;
}

/** @param {{ q: string, teams: Map<string, Team>, onShow: (code: string) => void }} props */
function SearchResults({ q, teams, onShow }) {
  const [{ data, err, loading }, reload] = useApi(`/api/v1/taxonomy/search${qs({ q, limit: 50 })}`);
  if (err) return html`<div><${ErrorBox} err=${err} onRetry=${reload} /></div>`;
  if (loading) return html`<div><${Loading} /></div>`;
  const items = (data && data.items) || [];
  return html`<div>
    <h3>${t('tax.results', { n: items.length })}</h3>
    ${items.length
      ? html`<ul class="tree tree-results" data-testid="tax-results">
          ${items.map((/** @type {any} */ it) => {
            const node = it.node || {};
            const path = it.path && it.path.length ? it.path : [node];
            return html`<${NodeRow} key=${node.code} node=${node} label=${pathLabel(path)} teams=${teams} onShow=${onShow} />`;
          })}
        </ul>`
      : html`<${Empty} text=${t('tax.noResults')} />`}
  </div>`;
}

/**
 * One node of the tree; its children are read when it is first expanded.
 * @param {{ node: TaxNode, label?: string, teams: Map<string, Team>, onShow: (code: string) => void }} props
 */
function NodeRow({ node, label, teams, onShow }) {
  const count = Number(node.child_count || 0);
  const [open, setOpen] = useState(false);
  const [children, setChildren] = useState(/** @type {{ items: TaxNode[] } | { err: unknown } | null} */ (null));
  useEffect(() => {
    if (!open || (children && 'items' in children)) return undefined;
    let live = true;
    setChildren(null);
    api(`/api/v1/taxonomy${qs({ parent: node.code })}`)
      .then((data) => {
        if (live) setChildren({ items: (data && data.items) || [] });
      })
      .catch((err) => {
        if (live && unhandled(err)) setChildren({ err });
      });
    return () => {
      live = false;
    };
  }, [open]);

  let list = null;
  if (open && children === null) list = html`<li class="tree-loading"><${Loading} /></li>`;
  else if (children && 'err' in children) list = html`<li><${ErrorBox} err=${children.err} /></li>`;
  else if (children && 'items' in children) list = children.items.map((ch) => html`<${NodeRow} key=${ch.code} node=${ch} teams=${teams} onShow=${onShow} />`);

  return html`<li class="tax-item" data-testid="tax-node" data-code=${node.code} data-parent=${node.parent || ''} data-children=${count} data-depth=${node.depth}>
    <div class="tree-row" onClick=${() => onShow(node.code)}>
      <button type="button" class=${`tree-toggle${count ? '' : ' invisible'}`} data-testid="tax-toggle" aria-expanded=${String(open)}
        aria-label=${open ? t('tax.collapse') : t('tax.expand')} disabled=${!count}
        onClick=${(/** @type {Event} */ e) => {
          e.stopPropagation();
          setOpen(!open);
        }}>
        <span class="chev" aria-hidden="true"></span>
      </button>
      <span class="tree-name">${label || localName(node)}</span>
      <code class="tree-code">${node.code}</code>
      ${node.team ? html`<span class="badge badge-team" title=${t('tax.team')}>${teamLabel(teams, node.team)}</span>` : null}
      ${count ? html`<span class="tree-count muted small">${t('tax.childCount', { n: count })}</span>` : null}
    </div>
    <ul class="tree" hidden=${!open}>${list}</ul>
  </li>`;
}

/** @param {{ code: string | null, teams: Map<string, Team>, onShow: (code: string) => void }} props */
function NodeDetail({ code, teams, onShow }) {
  const [state, setState] = useState(/** @type {{ code: string, res?: any, err?: unknown } | null} */ (null));
  useEffect(() => {
    if (!code) return undefined;
    let live = true;
    setState({ code });
    loadTaxNode(code)
      .then((res) => {
        if (live) setState({ code, res });
      })
      .catch((err) => {
        if (live && unhandled(err)) setState({ code, err });
      });
    return () => {
      live = false;
    };
  }, [code]);

  let body;
  if (!code || !state) body = html`<h2>${t('tax.detail')}</h2><p class="muted">${t('tax.selectHint')}</p>`;
  else if (state.err) body = html`<h2>${t('tax.detail')}</h2><${ErrorBox} err=${state.err} />`;
  else if (!state.res) body = html`<h2>${t('tax.detail')}</h2><${Loading} />`;
  else {
    const node = state.res.node || {};
    const children = state.res.children || [];
    const path = state.res.path || [];
    body = html`<h2>${localName(node)}</h2>
      <div class="crumb-path">
        ${path.map((/** @type {TaxNode} */ p, /** @type {number} */ i) => html`${i ? html`<span class="sep">/</span>` : null}<button type="button" class="link" onClick=${() => onShow(p.code)}>${localName(p)}</button>`)}
      </div>
      <${MetaList} pairs=${[
        [t('tax.code'), html`<code>${node.code || ''}</code>`],
        [t('tax.nameZh'), node.name_zh],
        [t('tax.nameEn'), node.name_en],
        [t('tax.depth'), node.depth],
        [t('tax.team'), node.team ? teamLabel(teams, node.team) : ''],
        [t('tax.children'), String(children.length)],
      ]} />
      ${children.length
        ? html`<ul class="child-list">
            ${children.map((/** @type {TaxNode} */ ch) => html`<li><button type="button" class="link" onClick=${() => onShow(ch.code)}>${localName(ch)}</button> <code class="muted small">${ch.code}</code></li>`)}
          </ul>`
        : html`<p class="muted small">${t('tax.leaf')}</p>`}`;
  }
  return html`<section class="card tax-detail" data-testid="tax-detail">${body}</section>`;
}
