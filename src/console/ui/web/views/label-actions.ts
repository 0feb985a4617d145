/** Labelling, from the detail, the ring view and the keyboard: the API call, a message, and the views updated. */
import * as api from '../api.js';
import type { Ctx } from '../context.js';
import { confirmDialog, h, toast } from '../dom.js';

export async function labelApplication(ctx: Ctx, applicationId: string, value: 'fraud' | 'legit', note?: string): Promise<boolean> {
  if (!ctx.canWrite) return false;
  try {
    const { label } = await api.label(applicationId, value, note);
    ctx.labelled(applicationId, label);
    toast(`${applicationId} labelled ${value}`);
    return true;
  } catch (err) {
    toast(`label not saved: ${(err as Error).message}`, 'error');
    return false;
  }
}

export async function labelRing(ringId: string, members: number, value: 'fraud' | 'legit', note?: string): Promise<boolean> {
  const ok = await confirmDialog(
    `Label the whole ring ${value}?`,
    `Each of the ring's ${members} members is labelled ${value}, and each label goes to detection.`,
    `Label ${members} members ${value}`,
  );
  if (!ok) return false;
  try {
    const res = await api.labelRing(ringId, value, note);
    toast(`${res.labelled} members of ${ringId} labelled ${value}`);
    return true;
  } catch (err) {
    toast(`ring not labelled: ${(err as Error).message}`, 'error');
    return false;
  }
}

/** Fraud / legitimate buttons with an optional note; nothing for a viewer. */
export function labelButtons(ctx: Ctx, onLabel: (value: 'fraud' | 'legit', note: string) => Promise<unknown>, scope = ''): HTMLElement | null {
  if (!ctx.canWrite) return null;
  const note = h('input', { class: 'note', placeholder: 'note (optional)', maxlength: 2000, 'aria-label': 'label note' });
  const button = (value: 'fraud' | 'legit', text: string, key: string): HTMLButtonElement =>
    h(
      'button',
      {
        class: `label-btn label-${value}`,
        'data-label': value + scope,
        title: key,
        onclick: () => void onLabel(value, note.value.trim()).then(() => (note.value = '')),
      },
      text,
    );
  return h('div', { class: 'label-actions' }, button('fraud', 'Fraud', 'f'), button('legit', 'Legitimate', 'l'), note);
}
