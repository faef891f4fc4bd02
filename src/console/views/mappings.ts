/** Mappings: list, add or edit, delete, CSV import (all or nothing, every bad row listed), export, suggestions. */
import { mappingKinds, type Mapping } from '../../core/ports/stores.js';
import type { MappingSuggestion } from '../../sync/admin/suggest.js';
import { ApiError, api } from '../api.js';
import { operatorOnly, type ViewContext } from '../context.js';
import { formatTime, h, replace, tableHead } from '../dom.js';

// The kinds the connector stores, from the one list (bundled into the page; it carries no code).
const kinds = mappingKinds;

export async function mappingsView(ctx: ViewContext): Promise<void> {
  const { items } = await api<{ items: Mapping[] }>('mappings');
  if (!ctx.current()) return;
  const redraw = () => void mappingsView(ctx).catch((error: unknown) => ctx.fail(error));
  const run = (action: () => Promise<void>) => () => void action().catch((error: unknown) => ctx.fail(error));

  const kind = h(
    'select',
    { id: 'm-kind', name: 'kind', required: true },
    kinds.map((k) => h('option', { value: k }, k)),
  );
  const source = h('input', { id: 'm-source', name: 'source', required: true, autocomplete: 'off' });
  const target = h('input', { id: 'm-target', name: 'target', autocomplete: 'off' });
  const note = h('input', { id: 'm-note', name: 'note', autocomplete: 'off' });
  const edit = (m: Pick<Mapping, 'kind' | 'source' | 'target'> & { note?: string | undefined }) => {
    kind.value = m.kind;
    source.value = m.source;
    target.value = m.target;
    note.value = m.note ?? '';
    source.focus();
  };
  const save = async (event: Event) => {
    event.preventDefault();
    await api('mappings', {
      method: 'PUT',
      json: {
        kind: kind.value,
        source: source.value,
        target: target.value,
        ...(note.value.trim() ? { note: note.value } : {}),
      },
    });
    ctx.say(`Mapping ${kind.value} ${source.value} → ${target.value} saved.`);
    redraw();
  };
  const remove = async (m: Mapping) => {
    if (!window.confirm(`Delete the ${m.kind} mapping ${m.source} → ${m.target}?`)) return;
    await api('mappings', { method: 'DELETE', json: { kind: m.kind, source: m.source, target: m.target } });
    ctx.say(`Mapping ${m.kind} ${m.source} deleted.`);
    redraw();
  };

  const file = h('input', { id: 'm-file', type: 'file', accept: '.csv,text/csv' });
  const problems = h('div', { id: 'import-problems', 'aria-live': 'polite' });
  const importCsv = async () => {
    const chosen = file.files?.[0];
    if (!chosen) return ctx.say('Choose a CSV file first.', 'error');
    try {
      const result = await api<{ imported: number }>('mappings/import', { method: 'POST', text: await chosen.text() });
      replace(problems);
      ctx.say(`${result.imported} mapping(s) imported.`);
      redraw();
    } catch (error) {
      if (!(error instanceof ApiError) || error.problems.length === 0) throw error;
      replace(
        problems,
        h('p', { class: 'bad' }, `Nothing was imported: ${error.problems.length} problem(s) in the file.`),
        h(
          'ul',
          {},
          error.problems.map((p) => h('li', {}, p)),
        ),
      );
    }
  };

  const suggestions = h('div', { id: 'suggestions' });
  const suggest = async () => {
    replace(
      suggestions,
      h('p', {}, 'Reading both systems… (Cin7 allows 60 calls a minute, so this can take a minute)'),
    );
    const answer = await api<{ suggestions: MappingSuggestion[] }>('mappings/suggest');
    const fresh = answer.suggestions.filter((s) => !s.coveredByDefault);
    replace(
      suggestions,
      fresh.length === 0
        ? h('p', {}, 'No new mapping to suggest: the default rules already match everything they can.')
        : h(
            'table',
            {},
            h('caption', {}, `${fresh.length} suggestion(s)`),
            tableHead('Kind', 'Cin7', 'BC', 'Confidence', 'Why', ''),
            h(
              'tbody',
              {},
              fresh.map((s) =>
                h(
                  'tr',
                  {},
                  h('td', {}, s.kind),
                  h('td', {}, s.sourceName ? `${s.sourceName} (${s.source})` : s.source),
                  h('td', {}, s.targetName ? `${s.target} · ${s.targetName}` : s.target),
                  h('td', {}, s.confidence),
                  h('td', {}, s.reason),
                  h(
                    'td',
                    {},
                    h('button', { type: 'button', onclick: () => edit(s), ...operatorOnly(ctx.session) }, 'Use'),
                  ),
                ),
              ),
            ),
          ),
    );
  };

  replace(
    ctx.main,
    h('h1', { tabindex: '-1' }, 'Mappings'),
    h('p', { class: 'lead' }, 'A mapping overrides the default match (same number, code or name) for one Cin7 value.'),
    h(
      'form',
      { class: 'filters', onsubmit: (event: Event) => void save(event).catch((error: unknown) => ctx.fail(error)) },
      h('div', { class: 'field' }, h('label', { for: 'm-kind' }, 'Kind'), kind),
      h('div', { class: 'field' }, h('label', { for: 'm-source' }, 'Cin7 value (source)'), source),
      h('div', { class: 'field' }, h('label', { for: 'm-target' }, 'BC value (target)'), target),
      h('div', { class: 'field' }, h('label', { for: 'm-note' }, 'Note'), note),
      h(
        'div',
        { class: 'field actions' },
        h('button', { type: 'submit', ...operatorOnly(ctx.session) }, 'Save mapping'),
      ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'h-csv' },
      h('h2', { id: 'h-csv' }, 'CSV'),
      h(
        'div',
        { class: 'filters' },
        h('div', { class: 'field' }, h('label', { for: 'm-file' }, 'Import a file (kind,source,target,note)'), file),
        h(
          'div',
          { class: 'field actions' },
          h('button', { type: 'button', onclick: run(importCsv), ...operatorOnly(ctx.session) }, 'Import'),
        ),
        h(
          'div',
          { class: 'field actions' },
          h(
            'a',
            { href: '/api/console/api/mappings/export', download: 'mappings.csv', class: 'button' },
            'Export all as CSV',
          ),
        ),
      ),
      problems,
    ),
    h(
      'section',
      { 'aria-labelledby': 'h-list' },
      h('h2', { id: 'h-list' }, `${items.length} mapping(s)`),
      items.length === 0
        ? h('p', {}, 'No mappings yet: every value is matched by the default rules.')
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'mappings' },
              h('caption', { class: 'sr-only' }, 'Mappings'),
              tableHead('Kind', 'Source', 'Target', 'Note', 'Updated', 'Actions'),
              h(
                'tbody',
                {},
                items.map((m) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, m.kind),
                    h('td', {}, m.source),
                    h('td', {}, m.target === '' ? '(local currency)' : m.target),
                    h('td', {}, m.note ?? ''),
                    h('td', {}, formatTime(m.updatedAt)),
                    h(
                      'td',
                      { class: 'row-actions' },
                      h(
                        'button',
                        { type: 'button', onclick: () => edit(m), 'aria-label': `Edit ${m.kind} ${m.source}` },
                        'Edit',
                      ),
                      h(
                        'button',
                        {
                          type: 'button',
                          class: 'danger',
                          onclick: run(() => remove(m)),
                          'aria-label': `Delete ${m.kind} ${m.source}`,
                          ...operatorOnly(ctx.session),
                        },
                        'Delete',
                      ),
                    ),
                  ),
                ),
              ),
            ),
          ),
    ),
    h(
      'section',
      { 'aria-labelledby': 'h-suggest' },
      h('h2', { id: 'h-suggest' }, 'Suggestions'),
      h('button', { type: 'button', onclick: run(suggest) }, 'Suggest mappings from both systems'),
      suggestions,
    ),
  );
}
