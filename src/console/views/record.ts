/** One record: its state and reason, the coded invoice against Cin7's totals, the audit timeline, and actions. */
import type { RecordWithAudit } from '../../sync/admin/records.js';
import type { CodedInvoice } from '../../sync/admin/coded-invoice.js';
import type { LedgerEntry } from '../../core/ports/stores.js';
import { api } from '../api.js';
import { bcDocumentUrl, cin7PurchaseUrl, operatorOnly, type ViewContext } from '../context.js';
import { formatAmount, formatTime, h, newTabLink, replace, stateBadge, tableHead } from '../dom.js';
import { askReason } from './dialogs.js';

/** What `skip-record.ts` allows: records that wrote nothing to BC. */
const skippable = new Set(['needs-mapping', 'failed', 'pending']);

function codedInvoice(coded: CodedInvoice): HTMLElement {
  const lines = coded.invoice?.purchaseInvoiceLines ?? [];
  const net = lines.reduce((sum, l) => sum + l.quantity * l.unitCost * (1 - (l.discountPercent ?? 0) / 100), 0);
  const currency = coded.invoice?.currencyCode || coded.cin7.currency || '';
  const invoice = coded.invoice;
  const builtFor = invoice ? ` (vendor ${invoice.vendorNumber}, invoice ${invoice.vendorInvoiceNumber})` : '';
  return h(
    'div',
    {},
    coded.missing
      ? h(
          'div',
          { class: 'callout' },
          h('p', {}, 'It cannot be coded yet. Missing:'),
          h(
            'ul',
            {},
            coded.missing.map((m) => h('li', {}, m)),
          ),
        )
      : null,
    lines.length === 0
      ? null
      : h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'lines' },
            h('caption', {}, `Lines as built for BC${builtFor}`),
            tableHead(
              'Type',
              'Account or item',
              'Description',
              'Quantity',
              'Unit cost',
              'Discount %',
              'Tax code',
              'Dimensions',
            ),
            h(
              'tbody',
              {},
              lines.map((l) =>
                h(
                  'tr',
                  {},
                  h('td', {}, l.lineType),
                  h('td', {}, l.lineObjectNumber),
                  h('td', {}, l.description),
                  h('td', { class: 'num' }, l.quantity),
                  h('td', { class: 'num' }, formatAmount(l.unitCost)),
                  h('td', { class: 'num' }, l.discountPercent ?? 0),
                  h('td', {}, l.taxCode ?? '—'),
                  h('td', {}, (l.dimensionSetLines ?? []).map((d) => `${d.code}=${d.valueCode}`).join(', ') || '—'),
                ),
              ),
            ),
          ),
        ),
    h(
      'table',
      { class: 'totals' },
      h('caption', {}, `Totals${currency ? ` (${currency})` : ''}`),
      tableHead('', 'Before tax', 'Tax', 'Total'),
      h(
        'tbody',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, 'Cin7'),
          h(
            'td',
            { class: 'num' },
            coded.cin7.totalBeforeTax === undefined ? '—' : formatAmount(coded.cin7.totalBeforeTax),
          ),
          h('td', { class: 'num' }, coded.cin7.tax === undefined ? '—' : formatAmount(coded.cin7.tax)),
          h('td', { class: 'num' }, formatAmount(coded.cin7.total)),
        ),
        lines.length > 0
          ? h(
              'tr',
              {},
              h('th', { scope: 'row' }, 'Lines as built'),
              h('td', { class: 'num' }, formatAmount(net)),
              h('td', {}, '—'),
              h('td', {}, '—'),
            )
          : null,
        coded.bc
          ? h(
              'tr',
              {},
              h('th', { scope: 'row' }, `BC ${coded.bc.number} (${coded.bc.status})`),
              h(
                'td',
                { class: 'num' },
                coded.bc.totalExcludingTax === undefined ? '—' : formatAmount(coded.bc.totalExcludingTax),
              ),
              h('td', { class: 'num' }, coded.bc.totalTax === undefined ? '—' : formatAmount(coded.bc.totalTax)),
              h('td', { class: 'num' }, coded.bc.total === undefined ? '—' : formatAmount(coded.bc.total)),
            )
          : null,
      ),
    ),
  );
}

function timeline(record: RecordWithAudit): HTMLElement {
  return h(
    'ol',
    { class: 'timeline', reversed: true },
    record.audit.map((a) =>
      h(
        'li',
        { class: `outcome-${a.outcome}` },
        h('time', { datetime: a.at }, formatTime(a.at)),
        ' ',
        h('strong', {}, a.step),
        ` · ${a.outcome}`,
        a.trigger ? ` · ${a.trigger}${a.attempt !== undefined ? ` #${a.attempt}` : ''}` : '',
        a.state ? [' → ', stateBadge(a.state)] : null,
        h('div', { class: 'message' }, a.message),
      ),
    ),
  );
}

function header(ctx: ViewContext, entry: LedgerEntry): HTMLElement {
  const cin7 = cin7PurchaseUrl(ctx.session.links, entry.recordType, entry.recordId);
  const bc = bcDocumentUrl(ctx.session.links, entry.recordType, entry.state, entry.targetNumber);
  return h(
    'dl',
    { class: 'facts' },
    h('dt', {}, 'State'),
    h('dd', { id: 'record-state' }, stateBadge(entry.state)),
    entry.reason ? [h('dt', {}, 'Reason'), h('dd', { id: 'record-reason' }, entry.reason)] : null,
    entry.missing?.length
      ? [
          h('dt', {}, 'Missing'),
          h(
            'dd',
            {},
            h(
              'ul',
              {},
              entry.missing.map((m) => h('li', {}, m)),
            ),
          ),
        ]
      : null,
    h('dt', {}, 'Cin7'),
    h('dd', {}, cin7 ? newTabLink(cin7, `${entry.sourceNumber ?? 'purchase'} in Cin7`) : (entry.sourceNumber ?? '—')),
    h('dt', {}, 'BC'),
    h(
      'dd',
      { id: 'record-bc' },
      bc ? newTabLink(bc, `${entry.targetNumber ?? ''} in Business Central`) : (entry.targetNumber ?? '—'),
    ),
    h('dt', {}, 'Vendor'),
    h('dd', {}, entry.vendorNumber ?? '—'),
    h('dt', {}, 'Attempts'),
    h('dd', {}, entry.attempts),
    h('dt', {}, 'Updated'),
    h('dd', {}, formatTime(entry.updatedAt)),
    h('dt', {}, 'Record id'),
    h('dd', {}, h('code', {}, entry.recordId)),
  );
}

export async function recordView(ctx: ViewContext): Promise<void> {
  const [type = '', id = ''] = ctx.path.slice(1);
  const key = `${encodeURIComponent(type)}/${encodeURIComponent(id)}`;
  const record = await api<RecordWithAudit>(`records/${key}`);
  if (!ctx.current()) return;
  const entry = record.entry;
  const codedSlot = h('div', { id: 'coded' }, h('p', {}, 'Reading the invoice from Cin7…'));
  const redraw = () => void recordView(ctx).catch((error: unknown) => ctx.fail(error));
  const replay = async () => {
    await api('replay', { method: 'POST', json: { records: [{ type, id }] } });
    ctx.say(`Replay queued for ${entry.label ?? id}; this page refreshes as it moves.`);
    // Watch it move: re-read a few times while the queue works on it.
    for (const delay of [800, 1500, 3000]) window.setTimeout(() => ctx.current() && redraw(), delay);
  };
  const skip = async () => {
    const reason = await askReason(`Skip ${entry.label ?? id}`);
    if (reason === undefined) return;
    await api('skip', { method: 'POST', json: { type, id, reason } });
    ctx.say(`${entry.label ?? id} skipped.`);
    redraw();
  };
  const run = (action: () => Promise<void>) => () => void action().catch((error: unknown) => ctx.fail(error));
  replace(
    ctx.main,
    h('p', { class: 'crumbs' }, h('a', { href: '#/records' }, '← Records')),
    h(
      'h1',
      { tabindex: '-1' },
      entry.label ?? entry.recordId,
      ' ',
      h('span', { class: 'muted' }, `(${entry.recordType})`),
    ),
    h(
      'div',
      { class: 'bulk', role: 'group', 'aria-label': 'Actions' },
      h('button', { type: 'button', id: 'replay', onclick: run(replay), ...operatorOnly(ctx.session) }, 'Replay'),
      skippable.has(entry.state)
        ? h('button', { type: 'button', id: 'skip', onclick: run(skip), ...operatorOnly(ctx.session) }, 'Skip…')
        : null,
      h('button', { type: 'button', onclick: redraw }, 'Refresh'),
    ),
    header(ctx, entry),
    entry.recordType === 'purchase-invoice'
      ? h('section', { 'aria-labelledby': 'h-coded' }, h('h2', { id: 'h-coded' }, 'Coded invoice'), codedSlot)
      : null,
    h(
      'section',
      { 'aria-labelledby': 'h-audit' },
      h('h2', { id: 'h-audit' }, 'Audit trail, newest first'),
      timeline(record),
    ),
  );
  if (entry.recordType === 'purchase-invoice')
    void api<CodedInvoice | { unavailable: string }>(`coded/${key}`).then(
      (answer) =>
        ctx.current() &&
        replace(codedSlot, 'unavailable' in answer ? h('p', {}, answer.unavailable) : codedInvoice(answer)),
      (error: unknown) => ctx.current() && replace(codedSlot, h('p', { class: 'bad' }, String(error))),
    );
}
