/** Overview: records by state and type, what needs attention first, sources, connections and activity. */
import type { Activity, Overview } from '../../sync/admin/overview.js';
import type { HealthCheck } from '../../sync/admin/health.js';
import { ledgerStates } from '../../core/ports/stores.js';
import { api } from '../api.js';
import { activityChart } from '../chart.js';
import { recordHash, type ViewContext } from '../context.js';
import { formatTime, h, replace, stateBadge, tableHead } from '../dom.js';

/** The order states read in: the way a record moves, end states last (the ledger's own order). */
const stateOrder = ledgerStates;

function countsTable(overview: Overview): HTMLElement {
  const types = Object.keys(overview.counts) as Array<keyof Overview['counts']>;
  const states = stateOrder.filter((s) => types.some((t) => (overview.counts[t][s as 'posted'] ?? 0) > 0));
  return h(
    'table',
    { class: 'counts', id: 'counts' },
    h('caption', {}, `Records by type and state (${overview.total} in all${overview.truncated ? ', at least' : ''})`),
    tableHead('Type', ...states.map((s) => stateBadge(s))),
    h(
      'tbody',
      {},
      types.map((type) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, type),
          states.map((state) => {
            const count = overview.counts[type][state as 'posted'] ?? 0;
            return h(
              'td',
              { class: 'num', 'data-type': type, 'data-state': state },
              count === 0 ? '0' : h('a', { href: `#/records?type=${type}&state=${state}` }, count),
            );
          }),
        ),
      ),
    ),
  );
}

function attentionList(overview: Overview): HTMLElement {
  if (overview.attention.length === 0) return h('p', {}, 'Nothing needs attention.');
  return h(
    'ol',
    { class: 'attention' },
    overview.attention.map((item) =>
      h(
        'li',
        {},
        stateBadge(item.state),
        ' ',
        h('a', { href: recordHash(item.type, item.id) }, item.label),
        item.reason ? h('span', { class: 'reason' }, item.reason) : null,
      ),
    ),
  );
}

function sourcesTable(overview: Overview): HTMLElement {
  return h(
    'table',
    {},
    h('caption', {}, 'Sources'),
    tableHead('Source', 'Poll read up to', 'Last webhook or notification', 'Last replay'),
    h(
      'tbody',
      {},
      overview.sources.map((s) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, s.source),
          h('td', {}, formatTime(s.lastPoll)),
          h('td', {}, formatTime(s.lastTriggers['webhook'] ?? s.lastTriggers['notification'])),
          h('td', {}, formatTime(s.lastTriggers['replay'])),
        ),
      ),
    ),
  );
}

function hooksList(overview: Overview): HTMLElement {
  const subscriptions =
    overview.subscriptions.length === 0
      ? [h('li', {}, 'No BC subscriptions recorded.')]
      : overview.subscriptions.map((s) =>
          h(
            'li',
            {},
            h('span', { class: s.expired ? 'bad' : 'good' }, s.expired ? 'expired' : 'active'),
            ` BC ${s.resource}: expires ${formatTime(s.expiresAt)}`,
          ),
        );
  const webhooks = !overview.webhooks.ok
    ? [
        h(
          'li',
          {},
          h('span', { class: 'bad' }, 'unknown'),
          ` Cin7 webhooks could not be read: ${overview.webhooks.error}`,
        ),
      ]
    : overview.webhooks.items.length === 0
      ? [h('li', {}, 'No Cin7 webhooks registered.')]
      : overview.webhooks.items.map((w) =>
          h(
            'li',
            {},
            h('span', { class: w.active ? 'good' : 'bad' }, w.active ? 'active' : 'inactive'),
            ` Cin7 ${w.type}`,
          ),
        );
  return h('ul', { class: 'plain' }, subscriptions, webhooks);
}

function healthList(checks: readonly HealthCheck[]): HTMLElement {
  return h(
    'ul',
    { class: 'plain' },
    checks.map((c) =>
      h(
        'li',
        {},
        h('span', { class: c.ok ? 'good' : 'bad' }, c.ok ? 'ok' : 'failing'),
        ` ${c.name}: ${c.ok ? (c.attention ?? c.detail ?? '') : (c.error ?? '')}`,
      ),
    ),
  );
}

export async function overviewView(ctx: ViewContext): Promise<void> {
  const overview = await api<Overview>('overview');
  if (!ctx.current()) return;
  const health = h('div', { id: 'health' }, h('p', {}, 'Checking both connections…'));
  const chart = h('div', { id: 'activity' }, h('p', {}, 'Reading the last 48 hours…'));
  replace(
    ctx.main,
    h('h1', { tabindex: '-1' }, 'Overview'),
    h(
      'p',
      { class: 'lead' },
      `${overview.attentionTotal} record(s) need attention · updated ${formatTime(overview.generatedAt)}`,
    ),
    h(
      'div',
      { class: 'grid' },
      h(
        'section',
        { 'aria-labelledby': 'h-attention' },
        h('h2', { id: 'h-attention' }, 'Needs attention first'),
        attentionList(overview),
      ),
      h('section', { 'aria-labelledby': 'h-counts' }, h('h2', { id: 'h-counts' }, 'Records'), countsTable(overview)),
    ),
    h('section', { 'aria-labelledby': 'h-activity' }, h('h2', { id: 'h-activity' }, 'Activity, last 48 hours'), chart),
    h(
      'div',
      { class: 'grid' },
      h(
        'section',
        { 'aria-labelledby': 'h-sources' },
        h('h2', { id: 'h-sources' }, 'Polls and webhooks'),
        sourcesTable(overview),
      ),
      h(
        'section',
        { 'aria-labelledby': 'h-health' },
        h('h2', { id: 'h-health' }, 'Connections'),
        health,
        h('h3', {}, 'BC subscriptions and Cin7 webhooks'),
        hooksList(overview),
      ),
    ),
  );
  // The slower parts follow, so the counts show at once.
  void api<Activity>('activity?hours=48').then(
    (activity) => ctx.current() && replace(chart, activityChart(activity.hours)),
    (error: unknown) => ctx.current() && replace(chart, h('p', { class: 'bad' }, String(error))),
  );
  void api<{ checks: HealthCheck[] }>('health', { allow: [503] }).then(
    (answer) => ctx.current() && replace(health, healthList(answer.checks)),
    (error: unknown) =>
      ctx.current() && replace(health, h('p', { class: 'bad' }, `Health check failed: ${String(error)}`)),
  );
}
