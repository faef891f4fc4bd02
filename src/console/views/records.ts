/** Records: search by state, type, vendor, date and text, a page at a time, with bulk replay and skip. */
import type { FoundRecords } from '../../sync/admin/find-records.js';
import type { LedgerEntry } from '../../core/ports/stores.js';
import { api, query } from '../api.js';
import { bcDocumentUrl, cin7PurchaseUrl, operatorOnly, recordHash, type ViewContext } from '../context.js';
import { formatTime, h, newTabLink, replace, stateBadge, tableHead } from '../dom.js';
import { askReason } from './dialogs.js';

const filterNames = ['state', 'type', 'supplier', 'from', 'to', 'text'] as const;

function select(name: string, label: string, options: readonly string[], value: string): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: `f-${name}` }, label),
    h(
      'select',
      { id: `f-${name}`, name },
      h('option', { value: '' }, 'any'),
      options.map((o) => h('option', { value: o, selected: o === value }, o)),
    ),
  );
}

function input(
  name: string,
  label: string,
  type: string,
  value: string,
  extra: Record<string, string> = {},
): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { for: `f-${name}` }, label),
    h('input', { id: `f-${name}`, name, type, value, ...extra }),
  );
}

function row(ctx: ViewContext, entry: LedgerEntry, vendorNames: Record<string, string>): HTMLElement {
  const cin7 = cin7PurchaseUrl(ctx.session.links, entry.recordType, entry.recordId);
  const bc = bcDocumentUrl(ctx.session.links, entry.recordType, entry.state, entry.targetNumber);
  const label = entry.label ?? entry.recordId;
  return h(
    'tr',
    {},
    h(
      'td',
      {},
      h('input', {
        type: 'checkbox',
        class: 'pick',
        'aria-label': `Select ${label}`,
        'data-type': entry.recordType,
        'data-id': entry.recordId,
      }),
    ),
    h('td', {}, h('a', { href: recordHash(entry.recordType, entry.recordId) }, label)),
    h('td', {}, entry.recordType),
    h('td', {}, stateBadge(entry.state)),
    h(
      'td',
      {},
      cin7 ? newTabLink(cin7, entry.sourceNumber ?? 'open', ' in Cin7 (new tab)') : (entry.sourceNumber ?? '—'),
    ),
    h(
      'td',
      { class: 'bc-number' },
      bc ? newTabLink(bc, entry.targetNumber ?? '', ' in Business Central (new tab)') : (entry.targetNumber ?? '—'),
    ),
    h(
      'td',
      {},
      entry.vendorNumber
        ? `${entry.vendorNumber}${vendorNames[entry.vendorNumber] ? ` · ${vendorNames[entry.vendorNumber]}` : ''}`
        : '—',
    ),
    h('td', {}, formatTime(entry.updatedAt)),
    h('td', { class: 'num' }, entry.attempts),
  );
}

export async function recordsView(ctx: ViewContext): Promise<void> {
  const value = (name: string) => ctx.params.get(name) ?? '';
  const page = Math.max(1, Number(value('page') || '1'));
  const found = await api<FoundRecords>(
    `records${query({ ...Object.fromEntries(filterNames.map((n) => [n, value(n)])), page, pageSize: 25 })}`,
  );
  if (!ctx.current()) return;
  const pages = Math.max(1, Math.ceil(found.total / found.pageSize));
  const go = (to: number) => {
    const next = new URLSearchParams(ctx.params);
    next.set('page', String(to));
    window.location.hash = `#/records?${next.toString()}`;
  };
  const form = h(
    'form',
    {
      class: 'filters',
      role: 'search',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const data = new FormData(event.target as HTMLFormElement);
        const next = new URLSearchParams();
        for (const name of filterNames) {
          const entry = data.get(name);
          const v = typeof entry === 'string' ? entry.trim() : '';
          if (v !== '') next.set(name, v);
        }
        window.location.hash = `#/records?${next.toString()}`;
      },
    },
    input('text', 'PO, invoice or BC number', 'search', value('text')),
    select('state', 'State', ctx.session.ledgerStates, value('state')),
    select('type', 'Type', ctx.session.recordTypes, value('type')),
    input('supplier', 'Supplier (name or BC vendor number)', 'text', value('supplier')),
    input('from', 'Changed from', 'date', value('from')),
    input('to', 'Changed to', 'date', value('to')),
    h('div', { class: 'field actions' }, h('button', { type: 'submit' }, 'Search')),
  );
  const picked = (): Array<{ type: string; id: string }> =>
    [...ctx.main.querySelectorAll<HTMLInputElement>('input.pick:checked')].map((box) => ({
      type: box.dataset['type'] ?? '',
      id: box.dataset['id'] ?? '',
    }));
  const replaySelected = async () => {
    const records = picked();
    if (records.length === 0) return ctx.say('Select at least one record first.', 'error');
    const result = await api<{ queued: unknown[]; rejected: unknown[] }>('replay', {
      method: 'POST',
      json: { records },
    });
    ctx.say(
      `${result.queued.length} replay(s) queued` +
        `${result.rejected.length > 0 ? `, ${result.rejected.length} refused` : ''}.`,
    );
  };
  const skipSelected = async () => {
    const records = picked();
    if (records.length === 0) return ctx.say('Select at least one record first.', 'error');
    const reason = await askReason(`Skip ${records.length} record(s)`);
    if (reason === undefined) return;
    const result = await api<{ skipped: unknown[]; refused: Array<{ reason: string }> }>('skip-bulk', {
      method: 'POST',
      json: { records, reason },
    });
    ctx.say(
      `${result.skipped.length} skipped` +
        `${result.refused.length > 0 ? `; refused: ${result.refused.map((r) => r.reason).join('; ')}` : ''}.`,
    );
  };
  const replayState = async () => {
    const result = await api<{ queued: unknown[]; truncated: boolean }>('replay', {
      method: 'POST',
      json: { state: value('state'), ...(value('type') ? { type: value('type') } : {}) },
    });
    ctx.say(`${result.queued.length} replay(s) queued${result.truncated ? '; more remain, run it again' : ''}.`);
  };
  const run = (action: () => Promise<void>) => () => void action().catch((error: unknown) => ctx.fail(error));
  replace(
    ctx.main,
    h('h1', { tabindex: '-1' }, 'Records'),
    form,
    h(
      'div',
      { class: 'bulk', role: 'group', 'aria-label': 'Bulk actions' },
      h('button', { type: 'button', onclick: run(replaySelected), ...operatorOnly(ctx.session) }, 'Replay selected'),
      h('button', { type: 'button', onclick: run(skipSelected), ...operatorOnly(ctx.session) }, 'Skip selected…'),
      value('state')
        ? h(
            'button',
            { type: 'button', onclick: run(replayState), ...operatorOnly(ctx.session) },
            `Replay every ${value('state')} record`,
          )
        : null,
    ),
    h(
      'p',
      { class: 'lead', id: 'result-count' },
      `${found.total} record(s)${found.truncated ? ' (search limited to the newest records)' : ''}` +
        ` · page ${found.page} of ${pages}`,
    ),
    found.items.length === 0
      ? h('p', {}, 'No record matches.')
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'records' },
            h('caption', { class: 'sr-only' }, 'Matching records'),
            tableHead(
              h('span', { class: 'sr-only' }, 'Select'),
              'Record',
              'Type',
              'State',
              'Cin7',
              'BC number',
              'Supplier (BC vendor)',
              'Updated',
              'Attempts',
            ),
            h(
              'tbody',
              {},
              found.items.map((e) => row(ctx, e, found.vendorNames)),
            ),
          ),
        ),
    h(
      'nav',
      { class: 'pager', 'aria-label': 'Pages' },
      h('button', { type: 'button', disabled: found.page <= 1, onclick: () => go(found.page - 1) }, '← Previous'),
      h('button', { type: 'button', disabled: found.page >= pages, onclick: () => go(found.page + 1) }, 'Next →'),
    ),
  );
}
