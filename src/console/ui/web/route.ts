/**
 * The page's address (pure): the view and its parameters live in the URL's fragment, so that a URL can be shared.
 * It holds codes, levels and ids only, never personal data. `#/alerts?level=high`, `#/alerts/42?level=high`
 * (the feed with alert 42 open), `#/rings/<ring id>`, `#/cases`, `#/cases/7`, `#/login`.
 */
export type View = 'alerts' | 'rings' | 'cases' | 'login';

export interface PageRoute {
  view: View;
  /** the alert, ring or case id after the view, if any */
  id: string | null;
  query: URLSearchParams;
}

const VIEWS: readonly View[] = ['alerts', 'rings', 'cases', 'login'];

export function parseRoute(hash: string): PageRoute {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const query = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  const slash = path.indexOf('/');
  const head = slash >= 0 ? path.slice(0, slash) : path;
  const rest = slash >= 0 ? path.slice(slash + 1) : '';
  const view = (VIEWS as readonly string[]).includes(head) ? (head as View) : 'alerts';
  let id: string | null = null;
  if (rest) {
    try {
      id = decodeURIComponent(rest);
    } catch {
      id = null;
    }
  }
  return { view, id, query };
}

export function formatRoute(r: { view: View; id?: string | null; query?: URLSearchParams | string }): string {
  const q = r.query === undefined ? '' : String(r.query);
  return `#/${r.view}${r.id ? '/' + encodeURIComponent(r.id) : ''}${q ? '?' + q : ''}`;
}
