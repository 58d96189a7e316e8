// Small formatting helpers shared by pages and components.

import { t } from './i18n.js';

/** @param {unknown} value */
export function dash(value) {
  return value === null || value === undefined || value === '' ? t('common.none') : String(value);
}

/** @param {number | null | undefined} ms */
export function mmss(ms) {
  if (ms === null || ms === undefined || Number.isNaN(Number(ms))) return '';
  const total = Math.max(0, Math.floor(Number(ms) / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** @param {number | null | undefined} startMs @param {number | null | undefined} endMs */
export function duration(startMs, endMs) {
  if (startMs === null || startMs === undefined || endMs === null || endMs === undefined) return '';
  const diff = Number(endMs) - Number(startMs);
  if (!(diff >= 0)) return '';
  const total = Math.floor(diff / 1000);
  const hrs = Math.floor(total / 3600);
  const rest = mmss((total % 3600) * 1000);
  return hrs > 0 ? `${hrs}:${rest}` : rest;
}

/** @param {unknown} value */
export function attrValue(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** A value for a CSS attribute selector in double quotes. @param {unknown} s */
export function cssString(s) {
  return String(s).replace(/["\\]/g, '\\$&');
}

/**
 * A probability as a whole percentage, never rounding a small chance to 0% or a doubt to 100%.
 * @param {number | null | undefined} p
 */
export function pct(p) {
  if (p === null || p === undefined || Number.isNaN(Number(p))) return t('common.none');
  const v = Number(p) * 100;
  if (v > 0 && v < 1) return '<1%';
  if (v > 99 && v < 100) return '>99%';
  return `${Math.round(v)}%`;
}
