/** "Add to a case": an open case, or a new one with a title; analysts only. */
import * as api from '../api.js';
import type { Ctx } from '../context.js';
import { h, toast } from '../dom.js';

export function casePicker(ctx: Ctx, alertId: string, onDone: () => void): HTMLElement | null {
  if (!ctx.canWrite) return null;
  const choice = h('select', { 'aria-label': 'case' }, h('option', { value: '' }, 'new case…'));
  const title = h('input', { placeholder: 'case title', maxlength: 200, 'aria-label': 'case title' });
  void api
    .listCases('status=open&limit=50')
    .then((page) => {
      for (const c of page.items) choice.append(h('option', { value: c.id }, `#${c.id} ${c.title}`));
    })
    .catch(() => undefined);
  const add = async (): Promise<void> => {
    try {
      if (choice.value) {
        const res = await api.addToCase(choice.value, [alertId]);
        toast(res.added ? `added to case #${choice.value}` : `already in case #${choice.value}`);
      } else {
        const t = title.value.trim();
        if (!t) return toast('give the new case a title', 'error');
        const res = await api.createCase(t, [alertId], ctx.me.name);
        toast(`case #${res.case.id} opened`);
      }
      onDone();
    } catch (err) {
      toast(`case not changed: ${(err as Error).message}`, 'error');
    }
  };
  choice.addEventListener('change', () => (title.hidden = choice.value !== ''));
  return h('div', { class: 'case-picker row' }, choice, title, h('button', { onclick: () => void add() }, 'Add to case'));
}
