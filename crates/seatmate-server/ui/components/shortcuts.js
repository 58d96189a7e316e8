// The agent's desk shortcuts: Alt+1…4 takes the nth live card (copies its answer to the reply when
// the card offers that, else moves the focus to it), "?" shows the list of shortcuts. Ctrl+Enter in
// the after-call card is the card's own (after-call.js); Enter / Space on a turn the transcript's.

import { useEffect, useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { t } from '../lib/i18n.js';

const CARD_KEYS = ['Digit1', 'Digit2', 'Digit3', 'Digit4'];

/** Whether the key went to a field the user types in (where "?" is a character, not a command). @param {EventTarget | null} target */
function typing(target) {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Takes the nth card (1-based) of the live assist panel: clicks its "copy answer" button when it
 * has one, and moves the focus to the card. Returns whether there was such a card.
 * @param {number} n
 */
export function takeCard(n) {
  const cards = document.querySelectorAll('[data-testid=assist-cards] > [data-testid=ask-result]');
  const card = /** @type {HTMLElement | undefined} */ (cards[n - 1]);
  if (!card) return false;
  const copy = /** @type {HTMLElement | null} */ (card.querySelector('[data-testid=card-copy]'));
  if (!card.hasAttribute('tabindex')) card.tabIndex = -1;
  card.scrollIntoView({ block: 'nearest' });
  if (copy && !(copy instanceof HTMLButtonElement && copy.disabled)) {
    copy.click();
    copy.focus();
  } else {
    card.focus();
  }
  return true;
}

/**
 * The desk's shortcuts while a conversation is open, and a "Shortcuts" button with the list (also
 * opened and closed with "?").
 */
export function DeskShortcuts() {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    /** @param {KeyboardEvent} e */
    const onKeyDown = (e) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && !e.shiftKey && CARD_KEYS.includes(e.code)) {
        if (takeCard(CARD_KEYS.indexOf(e.code) + 1)) e.preventDefault();
        return;
      }
      if (e.key === 'Escape') setOpen(false);
      if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !typing(e.target)) {
        e.preventDefault();
        setOpen((now) => !now);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
  return html`<span class="shortcuts">
    <button type="button" class="btn btn-ghost btn-small" data-testid="shortcuts-toggle" aria-expanded=${open ? 'true' : 'false'}
      aria-keyshortcuts="?" title=${t('shortcut.listHelp')} onClick=${() => setOpen((now) => !now)}>${t('shortcut.help')} <kbd>?</kbd></button>
    ${open
      ? html`<div class="shortcuts-panel" role="dialog" aria-label=${t('common.shortcuts')} data-testid="shortcuts-help">
          <ul>
            <li>${t('shortcut.listTurn')}</li>
            <li>${t('shortcut.listCard')}</li>
            <li>${t('shortcut.listConfirm')}</li>
            <li>${t('shortcut.listHelp')}</li>
          </ul>
        </div>`
      : null}
  </span>`;
}
