// The login page.

import { useEffect, useRef, useState } from '../vendor/hooks.js';
import { html } from '../lib/html.js';
import { api, ApiError, errorMessage } from '../lib/api.js';
import { t } from '../lib/i18n.js';
import { LangSwitch } from '../components/lang-switch.js';

/** @param {{ onLoggedIn: (user: import('../lib/session.js').User) => void, onLanguage: () => void }} props */
export default function LoginPage({ onLoggedIn, onLanguage }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [failure, setFailure] = useState('');
  const [sending, setSending] = useState(false);
  const usernameInput = useRef(/** @type {HTMLInputElement | null} */ (null));
  const passwordInput = useRef(/** @type {HTMLInputElement | null} */ (null));
  useEffect(() => {
    if (usernameInput.current) usernameInput.current.focus();
  }, []);

  /** @param {Event} e */
  const submit = async (e) => {
    e.preventDefault();
    setFailure('');
    const u = username.trim();
    if (!u || !password) {
      setFailure(t('login.required'));
      return;
    }
    setSending(true);
    try {
      const res = await api('/api/v1/auth/login', { method: 'POST', body: { username: u, password }, auth: false });
      onLoggedIn((res && res.user) || res);
    } catch (err) {
      setSending(false);
      const refused = err instanceof ApiError && (err.status === 401 || err.status === 403);
      const locked = err instanceof ApiError && err.body && err.body.code === 'too_many_attempts';
      setFailure(locked ? t('login.locked') : refused ? t('login.badCredentials') : t('login.failed', { msg: errorMessage(err) }));
      if (passwordInput.current) passwordInput.current.select();
    }
  };

  return html`<div class="login-page">
    <div class="login-lang"><${LangSwitch} onChange=${onLanguage} /></div>
    <div class="login-card card">
      <div class="login-brand">
        <span class="brand-mark" aria-hidden="true">S</span>
        <div><div class="login-app">${t('app.name')}</div><div class="muted small">${t('app.tagline')}</div></div>
      </div>
      <h1>${t('login.title')}</h1>
      <p class="muted">${t('login.subtitle')}</p>
      <form class="login-form" novalidate onSubmit=${submit}>
        <label for="login-username">${t('login.username')}</label>
        <input id="login-username" name="username" type="text" autocomplete="username" required data-testid="login-username" ref=${usernameInput}
          value=${username} onInput=${(/** @type {any} */ e) => setUsername(e.currentTarget.value)} />
        <label for="login-password">${t('login.password')}</label>
        <input id="login-password" name="password" type="password" autocomplete="current-password" required data-testid="login-password" ref=${passwordInput}
          value=${password} onInput=${(/** @type {any} */ e) => setPassword(e.currentTarget.value)} />
        <div class="alert alert-error" data-testid="login-error" role="alert" hidden=${!failure}>${failure}</div>
        <button type="submit" class="btn btn-primary btn-block" data-testid="login-submit" disabled=${sending}>${sending ? t('login.submitting') : t('login.submit')}</button>
      </form>
    </div>
  </div>`;
}
