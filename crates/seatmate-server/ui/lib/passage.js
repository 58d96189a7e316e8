// A search passage as text segments, some highlighted. Never parsed or inserted as HTML.

/** @typedef {{ text: string, marked: boolean }} Segment */

const NAMED = /** @type {Record<string, string>} */ ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" });

/** Undoes the server's HTML escaping: the named entities it uses and numeric ones (`&#x27;`). @param {string} s */
function unescapeHtml(s) {
  return s.replace(/&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));/g, (m, name, dec, hex) => {
    if (name) return NAMED[name];
    const code = dec ? Number(dec) : parseInt(hex, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

/**
 * The segments of a passage. The API sends plain text and `highlights`, `[start, end)` pairs in
 * Unicode code points; older servers sent HTML-escaped text with <mark>…</mark>, still read here.
 * @param {unknown} passage
 * @param {unknown} highlights
 * @returns {Segment[]}
 */
export function passageSegments(passage, highlights) {
  const text = typeof passage === 'string' ? passage : '';
  if (Array.isArray(highlights)) return fromRanges(text, highlights);
  return fromLegacyMarkup(text);
}

/** @param {unknown} r @returns {r is [number, number]} */
function isRange(r) {
  return Array.isArray(r) && r.length === 2 && Number.isInteger(r[0]) && Number.isInteger(r[1]);
}

/** @param {string} text @param {unknown[]} ranges @returns {Segment[]} */
function fromRanges(text, ranges) {
  const chars = Array.from(text);
  const spans = ranges
    .filter(isRange)
    .map(([start, end]) => [Math.max(0, start), Math.min(chars.length, end)])
    .filter(([start, end]) => start < end)
    .sort((a, b) => a[0] - b[0]);
  /** @type {Segment[]} */
  const out = [];
  let at = 0;
  for (const [start, end] of spans) {
    const from = Math.max(start, at); // overlapping ranges are merged
    if (from >= end) continue;
    if (from > at) out.push({ text: chars.slice(at, from).join(''), marked: false });
    const last = out[out.length - 1];
    const piece = chars.slice(from, end).join('');
    if (last && last.marked && from === at) last.text += piece; // touching ranges are one mark
    else out.push({ text: piece, marked: true });
    at = end;
  }
  if (at < chars.length) out.push({ text: chars.slice(at).join(''), marked: false });
  return out;
}

/** @param {string} markup @returns {Segment[]} */
function fromLegacyMarkup(markup) {
  /** @type {Segment[]} */
  const out = [];
  let marked = false;
  for (const part of markup.split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') marked = true;
    else if (part === '</mark>') marked = false;
    else if (part) out.push({ text: unescapeHtml(part), marked });
  }
  return out;
}
