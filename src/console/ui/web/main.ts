/**
 * The console's browser UI: signs in (a token, or a development login link `#/login?token=…`, which is removed from
 * the address at once), then runs the App. `window.__lendguard` exposes what tests and the bench read: the live
 * feed's counters and the ring graph the page holds.
 */
import * as api from './api.js';
import { App } from './app.js';
import { parseRoute } from './route.js';
import { renderLogin, signIn } from './views/login.js';

declare global {
  interface Window {
    __lendguard?: {
      app: App | null;
      feedStats(): App['live']['stats'] | null;
      /** the ring view's graph, serialised (graphology's export: nodes with attributes, edges) */
      ringGraph(): unknown;
    };
  }
}

const root = document.getElementById('app') as HTMLElement;
let app: App | null = null;

window.__lendguard = {
  get app() {
    return app;
  },
  feedStats: () => app?.live.stats ?? null,
  ringGraph: () => app?.ringHandle()?.graph.export() ?? null,
};

function signedIn(me: api.Me): void {
  app = new App(root, me, signedOut);
  app.start();
}

function signedOut(): void {
  app?.live.stop();
  location.hash = '#/alerts';
  location.reload();
}

function showLogin(problem?: string): void {
  app?.live.stop();
  app = null;
  renderLogin(
    root,
    (me) => {
      if (parseRoute(location.hash).view === 'login') history.replaceState(null, '', '#/alerts');
      signedIn(me);
    },
    problem,
  );
}

async function boot(): Promise<void> {
  api.setUnauthenticatedHandler(() => showLogin('your session has ended: sign in again'));
  const route = parseRoute(location.hash);
  const token = route.view === 'login' ? route.query.get('token') : null;
  if (token) {
    history.replaceState(null, '', '#/alerts'); // the token leaves the address bar and the history
    // A link someone sent could sign a working analyst in as its sender (whose labels would then be theirs): with
    // a session open as someone else, the switch is asked for.
    const current = await api.me().catch(() => null);
    const linked = /^lgc_([a-z][a-z0-9.-]{0,63})_/.exec(token)?.[1] ?? 'another user';
    if (current && current.name !== linked && !confirm(`This link signs you in as ${linked}, instead of ${current.name}. Switch?`)) return signedIn(current);
    return signIn(token, signedIn, (m) => showLogin(m));
  }
  try {
    signedIn(await api.me());
  } catch (err) {
    if (err instanceof api.ApiError && err.status === 401) showLogin();
    else showLogin((err as Error).message);
  }
}

void boot();
