// Who is logged in, and what every page looks up often (teams, taxonomy nodes), cached per session.

import { signal } from '../vendor/signals.js';
import { api, enc } from './api.js';
import { localName, t } from './i18n.js';

/**
 * @typedef {{ username: string, display_name?: string | null, role: string, team?: string | null }} User
 * @typedef {{ code: string, name_zh?: string | null, name_en?: string | null, dispatch?: boolean }} Team
 * @typedef {{ code: string, name_zh?: string | null, name_en?: string | null }} Named
 */

/** The logged-in user; components that read it render again when it changes. */
export const currentUser = signal(/** @type {User | null} */ (null));

const cache = {
  /** @type {Promise<Map<string, Team>> | null} */
  teams: null,
  /** @type {Map<string, Promise<any>>} code -> {node, path, children} */
  taxNodes: new Map(),
};

export function isAdmin() {
  return Boolean(currentUser.value && currentUser.value.role === 'admin');
}

export function resetCaches() {
  cache.teams = null;
  cache.taxNodes = new Map();
}

/** @returns {Promise<Map<string, Team>>} */
export function loadTeams() {
  if (!cache.teams) {
    cache.teams = api('/api/v1/teams')
      .then((data) => new Map(((data && data.items) || []).map((/** @type {Team} */ team) => [team.code, team])))
      .catch((err) => {
        if (!err.handled) cache.teams = null;
        return new Map();
      });
  }
  return cache.teams;
}

/** @param {Map<string, Team> | null | undefined} teams @param {string | null | undefined} code */
export function teamLabel(teams, code) {
  if (!code) return t('common.none');
  const team = teams && teams.get(code);
  // the name alone: the code (an id) would put Latin letters into the Chinese UI, and the option's value keeps it
  const name = team ? localName(team) : '';
  return name || code;
}

/** @param {string} code @returns {Promise<any>} */
export function loadTaxNode(code) {
  let p = cache.taxNodes.get(code);
  if (!p) {
    p = api(`/api/v1/taxonomy/${enc(code)}`).catch((err) => {
      cache.taxNodes.delete(code);
      throw err;
    });
    cache.taxNodes.set(code, p);
  }
  return p;
}

/** @param {Named[] | null | undefined} path */
export function pathLabel(path) {
  return (path || []).map((node) => localName(node)).join(' / ');
}
