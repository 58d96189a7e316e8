// Hash routes: each page is a module under ../pages whose default export is the page's component,
// imported the first time the page is shown.

/**
 * @typedef {{ params: string[], query: URLSearchParams }} PageProps the route's captured parts, the query
 * @typedef {import('../vendor/preact.js').FunctionComponent<PageProps>} Page
 * @typedef {{ re: RegExp, nav: string, load: () => Promise<{ default: Page }> }} Route
 */

export function parseHash() {
  const raw = location.hash.replace(/^#/, '');
  const qi = raw.indexOf('?');
  const path = (qi >= 0 ? raw.slice(0, qi) : raw) || '/';
  const query = new URLSearchParams(qi >= 0 ? raw.slice(qi + 1) : '');
  return { path, query };
}

/** @type {() => void} */
let rerender = () => {};

/** Called by `go` when the hash does not change (the same route is shown again). @param {() => void} fn */
export function setRerender(fn) {
  rerender = fn;
}

/** @param {string} hash */
export function go(hash) {
  if (location.hash === hash) rerender();
  else location.hash = hash;
}

/**
 * The route matching `path` and its decoded captures, or null.
 * @param {Route[]} routes
 * @param {string} path
 * @returns {{ route: Route, params: string[] } | null}
 */
export function matchRoute(routes, path) {
  for (const route of routes) {
    const m = path.match(route.re);
    if (!m) continue;
    const params = m.slice(1).map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
    return { route, params };
  }
  return null;
}
