// Seatmate web UI: the shell and the hash routes. Each page is a module under pages/, imported the
// first time it is shown; see README.md for the layout.

import { render } from './vendor/preact.js';
import { html } from './lib/html.js';
import { api, setUnauthorizedHandler, unhandled } from './lib/api.js';
import { t, tEnum } from './lib/i18n.js';
import { go, matchRoute, parseHash, setRerender } from './lib/router.js';
import { currentUser, resetCaches } from './lib/session.js';
import { ErrorBox, Loading } from './components/common.js';
import { LangSwitch } from './components/lang-switch.js';

const RETURN_KEY = 'seatmate.returnTo';

/** @type {import('./lib/router.js').Route[]} */
const ROUTES = [
  { re: /^\/live$/, nav: 'live', load: () => import('./pages/live.js') },
  { re: /^\/conversations$/, nav: 'conversations', load: () => import('./pages/conversations.js') },
  { re: /^\/conversations\/(.+)$/, nav: 'conversations', load: () => import('./pages/conversation.js') },
  { re: /^\/taxonomy$/, nav: 'taxonomy', load: () => import('./pages/taxonomy.js') },
  { re: /^\/knowledge$/, nav: 'knowledge', load: () => import('./pages/knowledge.js') },
  { re: /^\/knowledge\/(.+)$/, nav: 'knowledge', load: () => import('./pages/knowledge-item.js') },
  { re: /^\/quality$/, nav: 'quality', load: () => import('./pages/quality.js') },
  { re: /^\/quality\/profile$/, nav: 'profile', load: () => import('./pages/profile.js') },
  { re: /^\/learning$/, nav: 'learning', load: () => import('./pages/learning.js') },
  { re: /^\/learning\/cases\/(.+)$/, nav: 'learning', load: () => import('./pages/case.js') },
  { re: /^\/learning\/sessions\/(.+)$/, nav: 'learning', load: () => import('./pages/training.js') },
  { re: /^\/learning\/progress$/, nav: 'learning', load: () => import('./pages/progress.js') },
  { re: /^\/admin$/, nav: 'admin', load: () => import('./pages/admin.js') },
];

const NAV = [
  { key: 'live', hash: '#/live', icon: 'i-live' },
  { key: 'conversations', hash: '#/conversations', icon: 'i-conv' },
  { key: 'taxonomy', hash: '#/taxonomy', icon: 'i-tax' },
  { key: 'knowledge', hash: '#/knowledge', icon: 'i-kn' },
  { key: 'quality', hash: '#/quality', icon: 'i-qa', roles: ['qa_inspector', 'team_lead', 'admin'] },
  { key: 'profile', hash: '#/quality/profile', icon: 'i-profile' },
  { key: 'learning', hash: '#/learning', icon: 'i-learn' },
  { key: 'admin', hash: '#/admin', icon: 'i-admin', roles: ['admin'] },
];

let renders = 0; // bumped on every route render: a page is mounted afresh, and older async work is dropped

function appRoot() {
  const root = document.getElementById('app');
  if (!root) throw new Error('index.html has no #app');
  return root;
}

/** @param {any} vnode */
function show(vnode) {
  const root = appRoot();
  root.classList.remove('app-boot');
  render(vnode, root);
}

async function route() {
  const seq = ++renders;
  const alive = () => seq === renders;
  const { path, query } = parseHash();

  if (path === '/login') {
    const { default: LoginPage } = await import('./pages/login.js');
    if (alive()) show(html`<${LoginPage} key=${seq} onLoggedIn=${onLoggedIn} onLanguage=${route} />`);
    return;
  }
  if (path === '/' || path === '') {
    location.replace('#/conversations');
    return;
  }

  if (!currentUser.value) {
    show(html`<div class="boot-loading"><${Loading} /></div>`);
    try {
      const me = await api('/api/v1/me');
      if (!alive()) return;
      currentUser.value = (me && me.user) || me;
    } catch (err) {
      if (alive() && unhandled(err)) show(html`<div class="boot-loading"><${ErrorBox} err=${err} /></div>`);
      return;
    }
  }

  const match = matchRoute(ROUTES, path);
  if (!match) {
    show(html`<${Shell} active=${null}><div class="card"><h2>${t('err.pageNotFound')}</h2></div><//>`);
    return;
  }
  let Page;
  try {
    Page = (await match.route.load()).default;
  } catch (err) {
    if (alive()) show(html`<${Shell} active=${match.route.nav}><${ErrorBox} err=${err} /><//>`);
    return;
  }
  if (alive()) show(html`<${Shell} active=${match.route.nav}><${Page} key=${seq} params=${match.params} query=${query} /><//>`);
}

/** The side nav, the top bar and the page. @param {{ active: string | null, children?: any }} props */
function Shell({ active, children }) {
  const user = currentUser.value || { username: '', role: '' };
  const name = user.display_name || user.username || '?';
  return html`<div class="layout">
    <nav class="sidenav">
      <div class="brand"><span class="brand-mark" aria-hidden="true">S</span><span class="brand-name">${t('app.name')}</span></div>
      <ul>
        ${NAV.filter((item) => !item.roles || item.roles.includes(user.role)).map(
          (item) => html`<li>
            <a href=${item.hash} class=${`nav-link ${item.icon}${active === item.key ? ' active' : ''}`} data-testid=${`nav-${item.key}`}
              aria-current=${active === item.key ? 'page' : undefined}>${t(`nav.${item.key}`)}</a>
          </li>`,
        )}
      </ul>
      <div class="sidenav-foot muted small">${t('app.tagline')}</div>
    </nav>
    <div class="main-col">
      <header class="topbar">
        <div class="topbar-title">${active ? t(`nav.${active}`) : ''}</div>
        <div class="topbar-right">
          <${LangSwitch} onChange=${route} />
          <div class="user-menu" data-testid="user-menu">
            <span class="avatar" aria-hidden="true" data-content title=${user.display_name || user.username || ''}>${name.slice(0, 1).toUpperCase()}</span>
            <span class="user-text">
              <span class="user-name" data-content>${user.username || ''}</span>
              ${user.display_name && user.display_name !== user.username ? html`<span class="user-display muted" data-content>${user.display_name}</span>` : null}
              <span class="user-role badge badge-role" data-role=${user.role}>${tEnum('role', user.role)}</span>
            </span>
          </div>
          <button type="button" class="btn btn-ghost" data-testid="logout" onClick=${logout}>${t('top.logout')}</button>
        </div>
      </header>
      <main class="content" id="content">${children}</main>
    </div>
  </div>`;
}

/** @param {import('./lib/session.js').User} user */
function onLoggedIn(user) {
  currentUser.value = user;
  resetCaches();
  let target = '#/conversations';
  try {
    target = sessionStorage.getItem(RETURN_KEY) || target;
    sessionStorage.removeItem(RETURN_KEY);
  } catch {
    // ignore
  }
  if (target.startsWith('#/login')) target = '#/conversations';
  go(target);
}

async function logout() {
  try {
    await api('/api/v1/auth/logout', { method: 'POST', auth: false });
  } catch {
    // the session is gone either way
  }
  currentUser.value = null;
  resetCaches();
  try {
    sessionStorage.removeItem(RETURN_KEY);
  } catch {
    // ignore
  }
  go('#/login');
}

setUnauthorizedHandler(() => {
  currentUser.value = null;
  resetCaches();
  if (parseHash().path !== '/login') {
    try {
      sessionStorage.setItem(RETURN_KEY, location.hash || '#/conversations');
    } catch {
      // ignore
    }
    location.hash = '#/login';
  }
});
setRerender(route);
window.addEventListener('hashchange', route);
route();
