// The UI language choice, each language named in itself (marked with its `lang`); `onChange`
// renders the page again in the new language.

import { html } from '../lib/html.js';
import { t, getLang, setLang, LANGS } from '../lib/i18n.js';

/** @param {{ onChange: () => void }} props */
export function LangSwitch({ onChange }) {
  return html`<select class="lang-switch" data-testid="lang-switch" aria-label=${t('top.language')} title=${t('top.language')} value=${getLang()}
    onChange=${(/** @type {any} */ e) => {
      setLang(e.currentTarget.value);
      onChange();
    }}>
    ${LANGS.map((l) => html`<option value=${l.code} lang=${l.code}>${l.label}</option>`)}
  </select>`;
}
