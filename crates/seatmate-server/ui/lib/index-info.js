// What GET /api/v1/knowledge/index says about the search index, read in both of its shapes.

/**
 * The sentence encoder's name, or null when search is by keywords only. Reads both the current
 * shape (`encoder`: name or null, `encoder_unavailable`: why) and the older `{"Ok": name}` /
 * `{"Err": why}`.
 * @param {any} info
 * @returns {string | null}
 */
export function encoderName(info) {
  const encoder = info && info.encoder;
  if (typeof encoder === 'string' && encoder) return encoder;
  if (encoder && typeof encoder === 'object' && typeof encoder.Ok === 'string') return encoder.Ok;
  return null;
}

/**
 * Why the sentence encoder is not loaded, or null when it is (either shape, as `encoderName`).
 * @param {any} info
 * @returns {string | null}
 */
export function encoderProblem(info) {
  if (!info || encoderName(info)) return null;
  if (typeof info.encoder_unavailable === 'string') return info.encoder_unavailable;
  if (info.encoder && typeof info.encoder === 'object' && typeof info.encoder.Err === 'string') return info.encoder.Err;
  return null;
}
