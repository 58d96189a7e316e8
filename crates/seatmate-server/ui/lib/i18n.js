// Every visible string goes through t(). The strings are in ../i18n/<lang>.js, one file per
// language with the same keys.

import zh from '../i18n/zh.js';
import en from '../i18n/en.js';

const STORAGE_KEY = 'seatmate.lang';

/** @typedef {'zh' | 'en'} Lang */

/** @type {{ code: Lang, label: string }[]} */
export const LANGS = [
  { code: 'zh', label: '中文' },
  { code: 'en', label: 'English' },
];

/** @type {Record<Lang, Record<string, string>>} */
const DICTS = { zh, en };

/** @param {string | null | undefined} lang @returns {lang is Lang} */
function isLang(lang) {
  return lang === 'zh' || lang === 'en';
}

/** @returns {Lang} */
function detect() {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (isLang(saved)) return saved;
  } catch {
    // storage may be unavailable (privacy mode); fall through
  }
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || '';
  return nav.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let current = detect();

export function getLang() {
  return current;
}

/** @param {string} lang */
export function setLang(lang) {
  if (!isLang(lang)) return;
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // ignore
  }
  document.documentElement.lang = htmlLang();
}

/** The BCP 47 tag of the UI language, for <html lang> and date formatting. */
export function htmlLang() {
  return current === 'zh' ? 'zh-CN' : 'en';
}

/** @typedef {Record<string, string | number | null | undefined>} Params */

/**
 * Translate `key`, filling `{name}` placeholders from `params`.
 * @param {string} key
 * @param {Params} [params]
 */
export function t(key, params) {
  let s = DICTS[current][key] ?? DICTS.en[key] ?? key;
  if (params) {
    s = s.replace(/\{(\w+)\}/g, (m, name) => (params[name] !== undefined && params[name] !== null ? String(params[name]) : m));
  }
  return s;
}

/**
 * Translate `prefix.value` when such a key exists, else show the raw value.
 * @param {string} prefix
 * @param {unknown} value
 */
export function tEnum(prefix, value) {
  if (value === null || value === undefined || value === '') return '';
  const key = `${prefix}.${value}`;
  return DICTS[current][key] ?? DICTS.en[key] ?? String(value);
}

/**
 * name_zh in Chinese, name_en in English, each falling back to the other when empty.
 * @param {{ name_zh?: string | null, name_en?: string | null, code?: string } | null | undefined} obj
 */
export function localName(obj) {
  if (!obj) return '';
  const zhName = obj.name_zh || '';
  const enName = obj.name_en || '';
  if (current === 'zh') return zhName || enName || obj.code || '';
  return enName || zhName || obj.code || '';
}

/**
 * Format epoch milliseconds as date and time, in the browser's locale when it matches the UI language.
 * @param {number | string | null | undefined} ms
 */
export function formatTime(ms) {
  if (ms === null || ms === undefined || ms === '') return '';
  const d = new Date(Number(ms));
  if (Number.isNaN(d.getTime())) return String(ms);
  const browser = navigator.language || '';
  const sameFamily = browser.toLowerCase().startsWith(current);
  const locale = sameFamily ? browser : htmlLang();
  try {
    return d.toLocaleString(locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  } catch {
    return d.toLocaleString();
  }
}

/** @param {number | null | undefined} n */
export function formatNumber(n) {
  if (n === null || n === undefined) return '';
  try {
    return Number(n).toLocaleString(htmlLang());
  } catch {
    return String(n);
  }
}

document.documentElement.lang = htmlLang();
