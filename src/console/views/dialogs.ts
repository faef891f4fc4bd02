/** A modal that asks for a skip reason: keyboard-operable (<dialog>: Esc cancels), and a reason is required. */
import { h } from '../dom.js';

export function askReason(title: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const reason = h('textarea', { id: 'skip-reason', name: 'reason', required: true, minlength: 3, rows: 3 });
    const dialog = h(
      'dialog',
      { 'aria-labelledby': 'skip-title', class: 'dialog' },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: 'skip-title' }, title),
        h(
          'p',
          {},
          'A skipped record will not be sent to Business Central. ' +
            'Your name and reason are kept in its audit trail, and it can still be replayed later.',
        ),
        h('label', { for: 'skip-reason' }, 'Reason (required)'),
        reason,
        h(
          'div',
          { class: 'dialog-actions' },
          h('button', { type: 'submit', value: 'skip', class: 'danger' }, 'Skip'),
          h('button', { type: 'submit', value: 'cancel', formnovalidate: true }, 'Cancel'),
        ),
      ),
    );
    dialog.addEventListener('close', () => {
      const text = reason.value.trim();
      dialog.remove();
      resolve(dialog.returnValue === 'skip' && text.length >= 3 ? text : undefined);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    reason.focus();
  });
}
