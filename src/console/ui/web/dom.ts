/** Small DOM helpers for the console UI: elements from plain data, text only (never HTML from data). */
export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined | ((ev: Event) => void)>;

/** `h('button', { class: 'x', onclick: fn }, 'Label')`: attributes, `on*` listeners, text and element children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Element | DocumentFragment, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

export function clear(el: Element): void {
  el.replaceChildren();
}

/** "12:03:04" today, "2026-11-30 12:03" otherwise (local time). */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number): string => String(n).padStart(2, '0');
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const today = new Date();
  if (d.toDateString() === today.toDateString()) return time;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${time.slice(0, 5)}`;
}

export function badge(level: string | null | undefined): HTMLElement {
  return h('span', { class: `badge level-${level ?? 'none'}` }, level ?? 'ring');
}

/** A transient message in the corner: what an action did, or why it failed. */
export function toast(message: string, kind: 'ok' | 'error' = 'ok'): void {
  const box = document.getElementById('toasts');
  if (!box) return;
  const el = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  box.append(el);
  setTimeout(() => el.remove(), kind === 'error' ? 8000 : 3500);
}

/** A modal asking to confirm; resolves true on confirm, false on cancel or Escape. */
export function confirmDialog(title: string, body: string, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      overlay.remove();
      resolve(ok);
    };
    const ok = h('button', { class: 'danger', 'data-action': 'confirm', onclick: () => done(true) }, confirmLabel);
    const overlay = h(
      'div',
      { class: 'modal-overlay', onkeydown: (e) => (e as KeyboardEvent).key === 'Escape' && done(false) },
      h(
        'div',
        { class: 'modal', role: 'dialog', 'aria-modal': 'true' },
        h('h3', {}, title),
        h('p', {}, body),
        h('div', { class: 'row' }, ok, h('button', { onclick: () => done(false) }, 'Cancel')),
      ),
    );
    document.body.append(overlay);
    ok.focus();
  });
}

/** A definition list of key → value, values shown as text. */
export function kv(entries: readonly [string, unknown][]): HTMLElement {
  const dl = h('dl', { class: 'kv' });
  for (const [k, v] of entries) dl.append(h('dt', {}, k), h('dd', {}, show(v)));
  return dl;
}

export function show(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v) ?? '—';
}
