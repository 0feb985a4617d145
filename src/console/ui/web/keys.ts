/** Keyboard triage: the keys, and the help that lists them. Ignored while typing in a field (except Escape). */
import { h } from './dom.js';

export interface KeyActions {
  next: () => void;
  previous: () => void;
  open: () => void;
  label: (value: 'fraud' | 'legit') => void;
  ring: () => void;
  back: () => void;
  search: () => void;
  cases: () => void;
  alerts: () => void;
}

export const KEYS: [string, string][] = [
  ['j / ↓', 'next alert'],
  ['k / ↑', 'previous alert'],
  ['Enter / o', 'open the selected alert'],
  ['f', 'label fraud, then the next unlabelled alert'],
  ['l', 'label legitimate, then the next unlabelled alert'],
  ['r', "open the alert's ring"],
  ['Esc', 'back to the feed'],
  ['/', 'search application ids'],
  ['a / c', 'alerts / cases'],
  ['?', 'this help'],
];

export function bindKeys(actions: KeyActions): void {
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target as HTMLElement | null;
    const typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');
    if (typing && e.key !== 'Escape') return;
    if (document.querySelector('.modal-overlay')) return;
    const map: Record<string, () => void> = {
      j: actions.next,
      ArrowDown: actions.next,
      k: actions.previous,
      ArrowUp: actions.previous,
      Enter: actions.open,
      o: actions.open,
      f: () => actions.label('fraud'),
      l: () => actions.label('legit'),
      r: actions.ring,
      Escape: () => (typing ? t.blur() : actions.back()),
      '/': actions.search,
      a: actions.alerts,
      c: actions.cases,
      '?': toggleHelp,
    };
    const fn = map[e.key];
    if (!fn) return;
    e.preventDefault();
    fn();
  });
}

function toggleHelp(): void {
  const open = document.getElementById('help');
  if (open) return open.remove();
  const rows = KEYS.map(([k, what]) => h('tr', {}, h('td', {}, h('kbd', {}, k)), h('td', {}, what)));
  document.body.append(
    h(
      'div',
      { id: 'help', class: 'help', role: 'dialog', onclick: () => document.getElementById('help')?.remove() },
      h('h3', {}, 'Keys'),
      h('table', {}, h('tbody', {}, ...rows)),
    ),
  );
}
