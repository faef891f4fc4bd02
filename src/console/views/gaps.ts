/**
 * Gaps, grouped: every missing reference across parked records, with a form to map it to one of BC's real
 * targets (searchable) and replay the records it held up in one action, then watch them move.
 */
import type { GapGroup, GapReport } from '../../sync/admin/gaps.js';
import type { TargetList } from '../../sync/admin/targets.js';
import type { RecordWithAudit } from '../../sync/admin/records.js';
import { api, query } from '../api.js';
import { operatorOnly, recordHash, type ViewContext } from '../context.js';
import { formatAmount, h, replace, stateBadge } from '../dom.js';

const kindNames: Record<string, string> = {
  account: 'Cin7 account',
  tax: 'Cin7 tax rule',
  vendor: 'Cin7 supplier',
  item: 'Cin7 SKU',
  currency: 'Cin7 currency',
  dimension: 'Dimension value',
  unit: 'BC unit',
  setting: 'Setting',
};
const targetNames: Record<string, string> = {
  account: 'BC G/L account (direct posting allowed)',
  vendor: 'BC vendor',
  tax: 'BC tax code',
  item: 'BC item',
  currency: 'BC currency',
};

export function gapTitle(group: GapGroup): string {
  const noun = group.records.every((r) => r.type === 'purchase-invoice') ? 'invoice' : 'record';
  const amount = group.amount > 0 ? `, ${formatAmount(group.amount)}` : '';
  const plural = group.count === 1 ? '' : 's';
  return `${kindNames[group.kind] ?? group.kind} ${group.value}: ${group.count} ${noun}${plural}${amount}`;
}

/** Polls each record until none is still on its way (or 30 s pass), showing its state as it changes. */
async function watch(ctx: ViewContext, list: HTMLElement, records: GapGroup['records']): Promise<void> {
  const watched = records.slice(0, 20);
  const inFlight = (state: string) => state === 'pending' || state === 'creating' || state === 'created';
  for (let round = 0; round < 30 && ctx.current(); round += 1) {
    const states = await Promise.all(
      watched.map((r) =>
        api<RecordWithAudit>(`records/${encodeURIComponent(r.type)}/${encodeURIComponent(r.id)}`).then((x) => x.entry),
      ),
    );
    if (!ctx.current()) return;
    replace(
      list,
      states.map((e) =>
        h(
          'li',
          {},
          h('a', { href: recordHash(e.recordType, e.recordId) }, e.label ?? e.recordId),
          ' ',
          stateBadge(e.state),
          e.targetNumber ? h('span', { class: 'bc-number' }, ` BC ${e.targetNumber}`) : null,
        ),
      ),
    );
    // A record still parked in the first seconds may not have been picked up yet; later it is parked for good.
    const parked = states.some((e) => e.state === 'needs-mapping');
    if (states.every((e) => !inFlight(e.state)) && (!parked || round >= 5)) return;
    await new Promise((resolve) => window.setTimeout(resolve, 1000));
  }
}

function fixForm(ctx: ViewContext, group: GapGroup, index: number): HTMLElement | null {
  const fix = group.fix;
  if (!fix) return group.hint ? h('p', { class: 'hint' }, group.hint) : null;
  const searchId = `gap-${index}-search`;
  const targetId = `gap-${index}-target`;
  const search = h('input', { id: searchId, type: 'search', autocomplete: 'off', 'aria-controls': targetId });
  const picker = h('select', { id: targetId, size: 6, required: true, class: 'target-list' });
  const count = h('p', { class: 'muted', 'aria-live': 'polite' });
  const progress = h('ul', { class: 'plain progress', 'aria-live': 'polite' });
  let asked = 0;
  const load = async () => {
    const mine = (asked += 1);
    const list = await api<TargetList>(
      `targets${query({ kind: fix.target, search: search.value.trim(), limit: 100 })}`,
    );
    if (mine !== asked) return;
    replace(
      picker,
      list.items.map((t) => h('option', { value: t.value }, t.value === '' ? t.label : `${t.value} · ${t.label}`)),
    );
    const shown = list.total > list.items.length ? `, first ${list.items.length} shown` : '';
    count.textContent = `${list.total} match${list.total === 1 ? '' : 'es'}${shown}`;
  };
  let timer: number | undefined;
  search.addEventListener('input', () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void load().catch((error: unknown) => ctx.fail(error)), 200);
  });
  void load().catch((error: unknown) => ctx.fail(error));
  const submit = async (event: Event) => {
    event.preventDefault();
    if (picker.selectedIndex < 0) return ctx.say(`Choose a ${targetNames[fix.target] ?? 'target'} first.`, 'error');
    const target = picker.value;
    await api('mappings', {
      method: 'PUT',
      json: { kind: fix.mappingKind, source: fix.source, target, note: `from the console: ${group.key}` },
    });
    const result = await api<{ queued: unknown[] }>('replay', {
      method: 'POST',
      json: { records: group.records.map((r) => ({ type: r.type, id: r.id })) },
    });
    ctx.say(`Mapped ${fix.source} → ${target}; ${result.queued.length} record(s) replayed.`);
    await watch(ctx, progress, group.records);
  };
  return h(
    'form',
    { class: 'fix', onsubmit: (event: Event) => void submit(event).catch((error: unknown) => ctx.fail(error)) },
    h(
      'div',
      { class: 'field' },
      h('label', { for: searchId }, `Search ${targetNames[fix.target] ?? fix.target}`),
      search,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: targetId }, `Map ${kindNames[group.kind] ?? group.kind} ${group.value} to`),
      picker,
      count,
    ),
    h(
      'button',
      { type: 'submit', ...operatorOnly(ctx.session) },
      `Save mapping and replay ${group.count} record${group.count === 1 ? '' : 's'}`,
    ),
    progress,
  );
}

export async function gapsView(ctx: ViewContext): Promise<void> {
  const report = await api<GapReport>('gaps');
  if (!ctx.current()) return;
  replace(
    ctx.main,
    h('h1', { tabindex: '-1' }, 'Gaps'),
    h(
      'p',
      { class: 'lead' },
      report.groups.length === 0
        ? 'No parked record is missing a reference.'
        : `${report.groups.length} missing reference(s) across ${report.records} parked record(s)` +
            `${report.truncated ? ' (the newest only)' : ''}. One mapping fixes every record in its group.`,
    ),
    report.groups.map((group, index) =>
      h(
        'section',
        { class: 'gap', 'aria-labelledby': `gap-${index}`, 'data-gap': group.key },
        h('h2', { id: `gap-${index}` }, gapTitle(group)),
        group.explanation ? h('p', { class: 'muted' }, group.explanation) : null,
        h(
          'details',
          {},
          h('summary', {}, `The ${group.count} record(s)`),
          h(
            'ul',
            {},
            group.records.map((r) =>
              h(
                'li',
                {},
                h('a', { href: recordHash(r.type, r.id) }, r.label),
                r.amount !== undefined ? ` · ${formatAmount(r.amount)}` : '',
              ),
            ),
          ),
        ),
        fixForm(ctx, group, index),
      ),
    ),
  );
}
