// Choosing a category from the taxonomy: a search over its names and codes, and a category shown
// as its path of names. The ticket form and the knowledge edit form share them.

import { useEffect, useRef, useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, qs, unhandled } from '../lib/api.js';
import { t, localName } from '../lib/i18n.js';
import { ErrorBox } from './common.js';

/** @typedef {import('../lib/session.js').Named} Named */

const SEARCH_DELAY_MS = 250;

/** A category as its path of localised names, or its code when the path is unknown. @param {{ path?: Named[] | null, code: string }} props */
export function CategoryPath({ path, code }) {
  if (!path || !path.length) return html`<span class="cat-path"><strong data-content>${code || ''}</strong></span>`;
  // the names are the taxonomy's own (as the centre wrote them, e.g. "WiFi 问题"): data
  return html`<span class="cat-path" data-content>
    ${path.map((node, i) =>
      i === path.length - 1
        ? html`<strong>${localName(node)}</strong>`
        : html`<span class="cat-anc">${localName(node)}</span><span class="sep" aria-hidden="true"> / </span>`,
    )}
  </span>`;
}

/**
 * A search over the whole taxonomy (names and codes); a category can only be picked from its results.
 * @param {{ onPick: (code: string, found: { category: string, path: Named[] }) => void, testid: string, placeholder: string,
 *   id?: string }} props
 */
export function CategorySearch({ onPick, testid, placeholder, id }) {
  const [text, setText] = useState('');
  const [results, setResults] = useState(/** @type {{ items: any[] } | { err: unknown } | null} */ (null));
  const seq = useRef(0);
  const timer = useRef(/** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined));
  useEffect(() => () => clearTimeout(timer.current), []);

  /** @param {string} value */
  const run = async (value) => {
    const q = value.trim();
    const mine = ++seq.current;
    if (!q) {
      setResults(null);
      return;
    }
    try {
      const data = await api(`/api/v1/taxonomy/search${qs({ q, limit: 10 })}`);
      if (mine === seq.current) setResults({ items: (data && data.items) || [] });
    } catch (err) {
      if (mine === seq.current && unhandled(err)) setResults({ err });
    }
  };
  /** @param {any} e */
  const onInput = (e) => {
    const value = e.currentTarget.value;
    setText(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => run(value), SEARCH_DELAY_MS);
  };
  /** @param {KeyboardEvent} e */
  const onKeyDown = (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    clearTimeout(timer.current);
    run(text);
  };

  let list = null;
  if (results && 'err' in results) list = html`<li><${ErrorBox} err=${results.err} /></li>`;
  else if (results && 'items' in results && !results.items.length) list = html`<li class="muted small cat-none">${t('tax.noResults')}</li>`;
  else if (results && 'items' in results) {
    list = results.items.map((/** @type {any} */ it) => {
      const node = it.node || {};
      const path = it.path && it.path.length ? it.path : [node];
      const pick = () => {
        onPick(node.code, { category: node.code, path });
        seq.current += 1;
        setText('');
        setResults(null);
      };
      return html`<li><button type="button" class="cat-result" data-testid="category-result" data-code=${node.code} onClick=${pick}>
        <${CategoryPath} path=${path} code=${node.code} /><code class="muted small" data-content>${node.code}</code>
      </button></li>`;
    });
  }
  return html`<div class="cat-search">
    <input type="search" class="input grow" id=${id} data-testid=${testid} placeholder=${placeholder} aria-label=${placeholder}
      autocomplete="off" value=${text} onInput=${onInput} onKeyDown=${onKeyDown} />
    <ul class="cat-results" data-testid="category-results" hidden=${results === null}>${list}</ul>
  </div>`;
}
