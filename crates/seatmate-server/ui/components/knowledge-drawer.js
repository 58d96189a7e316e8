// The side drawer a conversation opens a knowledge card in: the whole item beside the transcript,
// so the agent never leaves the conversation (nor loses what they were writing) to read it.

import { useEffect, useRef } from '../vendor/hooks.js';
import { signal } from '../vendor/signals.js';
import { html } from '../lib/html.js';
import { enc } from '../lib/api.js';
import { t, tEnum } from '../lib/i18n.js';
import { useApi } from '../lib/use-api.js';
import { Badge, Loaded } from './common.js';
import { KnowledgeContent } from '../pages/knowledge-item.js';
import { CopyButton } from './knowledge-card.js';

/** @typedef {{ id: string, title?: string, answer?: string, ctx: import('./knowledge-card.js').FeedbackContext }} DrawerItem */

/** The item the drawer shows, or null when closed. */
const shown = signal(/** @type {DrawerItem | null} */ (null));
/** How many drawers are mounted: cards open in place only where one is. */
let hosts = 0;

/**
 * Opens a card's item in the page's drawer; false when the page has none (the card's link then
 * opens the item's page).
 * @param {{ id: string, title?: string, answer?: string }} item @param {import('./knowledge-card.js').FeedbackContext} ctx
 */
export function openInDrawer(item, ctx) {
  if (!hosts) return false;
  shown.value = { id: item.id, title: item.title, answer: item.answer, ctx };
  return true;
}

/** The drawer: mount it once on a page whose cards should open in place. */
export function KnowledgeDrawer() {
  useEffect(() => {
    hosts += 1;
    return () => {
      hosts -= 1;
      shown.value = null;
    };
  }, []);
  const item = shown.value;
  if (!item) return null;
  return html`<${DrawerPanel} key=${item.id} item=${item} />`;
}

/** @param {{ item: DrawerItem }} props */
function DrawerPanel({ item }) {
  const [state, reload] = useApi(`/api/v1/knowledge/${enc(item.id)}`);
  const close = useRef(/** @type {HTMLButtonElement | null} */ (null));
  const opener = useRef(/** @type {Element | null} */ (document.activeElement));
  useEffect(() => {
    if (close.current) close.current.focus();
    /** @param {KeyboardEvent} e */
    const onKey = (e) => {
      if (e.key === 'Escape') shown.value = null;
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      // focus goes back to the card that opened the drawer
      const back = /** @type {HTMLElement | null} */ (opener.current);
      if (back && document.contains(back)) back.focus();
    };
  }, []);
  const data = /** @type {any} */ (state.data);
  const kind = data && data.body ? data.body.kind : '';
  return html`<aside class="drawer" role="dialog" aria-modal="false" aria-label=${item.title || t('drawer.title')} data-testid="knowledge-drawer" data-id=${item.id}>
    <div class="drawer-head">
      <h2 data-content>${(data && data.title) || item.title || item.id}</h2>
      ${kind ? html`<${Badge} text=${tEnum('kind', kind)} kind=${`kind-${kind}`} />` : null}
      <button type="button" class="btn btn-small push-right" ref=${close} data-testid="drawer-close" onClick=${() => (shown.value = null)}>${t('drawer.close')}</button>
    </div>
    ${item.answer ? html`<div class="drawer-copy"><${CopyButton} item=${item} text=${item.answer} ctx=${item.ctx} /></div>` : null}
    <div class="drawer-body">
      <${Loaded} state=${state} retry=${reload} render=${(/** @type {any} */ it) => html`<${KnowledgeContent} body=${it.body || {}} />`} />
      <p class="small"><a href=${`#/knowledge/${enc(item.id)}`} data-testid="drawer-page">${t('drawer.openPage')}</a></p>
    </div>
  </aside>`;
}
