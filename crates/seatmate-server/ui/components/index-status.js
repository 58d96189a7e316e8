// What the search index holds and, for admins, a rebuild from the store with its progress.

import { useEffect, useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api } from '../lib/api.js';
import { t, tEnum } from '../lib/i18n.js';
import { readableError } from './common.js';
import { encoderName, encoderProblem } from '../lib/index-info.js';

const POLL_MS = 700;

/** @param {{ canRebuild: boolean }} props */
export function IndexStatus({ canRebuild }) {
  const [info, setInfo] = useState(/** @type {any} */ (null));
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const [polls, setPolls] = useState(0); // bumped to read the status again

  const running = Boolean(info && info.rebuild && info.rebuild.state === 'running');
  useEffect(() => {
    let current = true;
    api('/api/v1/knowledge/index')
      .then((data) => {
        if (!current) return;
        setInfo(data);
        setFailure('');
        if (!(data && data.rebuild && data.rebuild.state === 'running')) setBusy(false);
      })
      .catch((err) => {
        if (current) setFailure(readableError(err));
      });
    return () => {
      current = false;
    };
  }, [polls]);
  useEffect(() => {
    if (!running) return undefined;
    const timer = setTimeout(() => setPolls((n) => n + 1), POLL_MS);
    return () => clearTimeout(timer);
  }, [running, info]);

  const rebuild = async () => {
    setBusy(true);
    try {
      await api('/api/v1/knowledge/index/rebuild', { method: 'POST' });
    } catch (err) {
      setFailure(readableError(err));
      setBusy(false);
      return;
    }
    setPolls((n) => n + 1);
  };

  let text = failure;
  const r = (info && info.rebuild) || {};
  if (!failure && info) {
    const mode = encoderName(info) ? t('idx.semantic') : t('idx.lexical');
    text = t('idx.summary', { items: info.items, cases: info.cases, mode });
    if (r.state === 'running') text += ` · ${t('idx.running', { phase: tEnum('idx.phase', r.phase || 'reading'), done: r.done || 0, total: r.total || 0 })}`;
    else if (r.state === 'failed') text += ` · ${t('idx.failed')}`;
  }
  // the server's words on a failed rebuild or a missing encoder (English, naming the cause and the
  // paths) behind an info mark
  const why = r.state === 'failed' && r.error ? String(r.error) : encoderProblem(info);
  return html`<div class="index-status">
    <span class="muted small" data-testid="index-status" data-state=${info ? r.state || '' : undefined}>${text}</span>
    ${why ? html`<span class="rule-note" data-testid="index-why" data-content translate="no" tabindex="0" title=${why} aria-label=${why}>ⓘ</span>` : null}
    ${canRebuild
      ? html`<button type="button" class="btn btn-small" data-testid="index-rebuild" disabled=${busy || running} onClick=${rebuild}>${t('idx.rebuild')}</button>`
      : null}
  </div>`;
}
