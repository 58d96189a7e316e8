// A conversation's attributes in the UI's language: the keys the demo and the importers write have
// names in i18n (`attr.<key>`), their known values too (yes/no, a category's name, STC-3's quality
// scores); an unknown key or value is user data and shown as it is.

import { useEffect, useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { t, tEnum, formatNumber } from '../lib/i18n.js';
import { loadTaxNode, pathLabel } from '../lib/session.js';
import { Data } from './common.js';

/** The keys with a name in i18n/*.js (`attr.<key>`). */
const KNOWN_KEYS = ['category', 'resolved', 'satisfaction', 'customer_tier', 'stc3_id', 'annotators', 'quality', 'nuggets'];

/** An attribute's name: translated when known, else the key as stored. @param {string} key */
export function attributeLabel(key) {
  return KNOWN_KEYS.includes(key) ? t(`attr.${key}`) : html`<${Data}>${key}<//>`;
}

/** @param {{ name: string, value: unknown }} props */
export function AttributeValue({ name, value }) {
  if (value === null || value === undefined || value === '') return t('common.none');
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (typeof value === 'number') return formatNumber(value);
  if (name === 'category' && typeof value === 'string') return html`<${CategoryLabel} code=${value} />`;
  if (name === 'customer_tier' && typeof value === 'string') return tEnum('tier', value) === value ? html`<${Data}>${value}<//>` : tEnum('tier', value);
  if (name === 'quality' && typeof value === 'object' && !Array.isArray(value)) {
    const scores = /** @type {Record<string, unknown>} */ (value);
    return Object.entries(scores)
      .map(([k, v]) => `${['A', 'S', 'E'].includes(k) ? t(`attr.quality.${k}`) : k} ${typeof v === 'number' ? formatNumber(v) : String(v)}`)
      .join(' · ');
  }
  return html`<${Data}>${typeof value === 'string' ? value : JSON.stringify(value)}<//>`;
}

/** A category code as its path of names once looked up, the code beside it. @param {{ code: string }} props */
function CategoryLabel({ code }) {
  const [label, setLabel] = useState('');
  useEffect(() => {
    let live = true;
    loadTaxNode(code)
      .then((res) => {
        if (live && res && res.path && res.path.length) setLabel(pathLabel(res.path));
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, [code]);
  return label ? html`<${Data}>${label}<//> <span class="muted"><${Data}>${code}<//></span>` : html`<${Data}>${code}<//>`;
}

/** Where records came from (`demo`, `live`, `import`, `stc3`, or a name given at import). @param {string | null | undefined} source */
export function sourceLabel(source) {
  if (!source) return t('common.none');
  const known = tEnum('source', source);
  return known !== source ? known : html`<${Data}>${source}<//>`;
}

/**
 * Who made a change: a username (data), the automatic retraining (or the one that adds the
 * classifier's meaning block), the live pipeline, or an import
 * (`import:<source>`, e.g. `import:demo`: the demo data's import).
 * @param {string | null | undefined} actor
 */
export function actorLabel(actor) {
  if (!actor) return '';
  if (actor === 'auto') return t('model.auto');
  if (actor === 'meaning') return t('model.meaning');
  if (actor === 'live') return t('actor.live');
  if (actor === 'demo') return t('source.demo');
  if (actor.startsWith('import:')) {
    const source = actor.slice('import:'.length);
    if (source === 'import' || !source) return t('source.import');
    const known = tEnum('source', source);
    return known !== source ? t('actor.import', { source: known }) : html`${t('source.import')} <${Data}>${source}<//>`;
  }
  return html`<${Data}>${actor}<//>`;
}

/** A queue's name: the demo's queues have names in i18n (`queue.<code>`); another is shown as stored. @param {string | null | undefined} queue */
export function queueLabel(queue) {
  if (!queue) return t('common.none');
  const known = tEnum('queue', queue);
  return known !== queue ? known : html`<${Data}>${queue}<//>`;
}
