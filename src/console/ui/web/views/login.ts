/** The sign-in form: a console token (from `lendguard console user add`) exchanged for a session cookie. */
import * as api from '../api.js';
import { h } from '../dom.js';

export function renderLogin(el: HTMLElement, onSignedIn: (me: api.Me) => void, problem?: string): void {
  const token = h('input', {
    type: 'password',
    name: 'token',
    id: 'token',
    placeholder: 'lgc_…',
    autocomplete: 'current-password',
    'aria-label': 'token',
    required: true,
  });
  const error = h('p', { class: 'error', id: 'login-error' }, problem ?? '');
  const form = h(
    'form',
    { class: 'login', id: 'login' },
    h('h2', {}, 'Sign in to the lendguard console'),
    h('p', { class: 'muted' }, 'Paste your console token. It is exchanged for a session cookie and not kept by the page.'),
    token,
    h('button', { type: 'submit' }, 'Sign in'),
    error,
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void signIn(token.value.trim(), onSignedIn, (m) => (error.textContent = m));
  });
  el.replaceChildren(form);
  token.focus();
}

export async function signIn(token: string, onSignedIn: (me: api.Me) => void, onError: (message: string) => void): Promise<void> {
  try {
    onSignedIn(await api.login(token));
  } catch (err) {
    onError(err instanceof api.ApiError && err.status === 401 ? 'that token is not valid' : (err as Error).message);
  }
}
