/**
 * The alert and workbook queries, run on rows shaped as Application Insights stores what the app sends.
 *
 * applicationinsights 3.x turns `trackMetric` into an OpenTelemetry histogram
 * (node_modules/applicationinsights/out/src/shim/telemetryClient.js:130-138: `createHistogram(name).record`),
 * and the exporter writes one data point per metric and dimension set per export interval (60 s) with
 * `value` = the interval's sum, plus count, min and max
 * (node_modules/@azure/monitor-opentelemetry-exporter/dist/esm/utils/metricUtils.js:93-96). `customMetrics`
 * carries them as `value`, `valueSum`, `valueCount`, `valueMin`, `valueMax`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMemoryStores } from '../../src/store/memory-store.js';
import { openRecord, transition, type RecordContext } from '../../src/sync/jobs/record.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { snapshotOpenRecords } from '../../src/telemetry/open-records-snapshot.js';
import { reportStuckRecords } from '../../src/sync/admin/stuck-records.js';
import { defaultSyncSettings } from '../../src/core/settings.js';
import { createMemoryTelemetry, type RecordedEvent, type RecordedMetric } from '../../src/telemetry/telemetry.js';
import { firedAlerts, runKql, type Row } from './kql.js';

const infra = new URL('../../infra/app/', import.meta.url);
const logAlerts = JSON.parse(readFileSync(new URL('log-alerts.json', infra), 'utf8')) as Array<{
  key: string;
  query: string;
  dimensions: string[];
}>;
const workbook = JSON.parse(readFileSync(new URL('workbook.json', infra), 'utf8')) as {
  items: Array<{ name: string; content: { query?: string } }>;
};

const MINUTE = 60_000;
const t0 = Date.UTC(2026, 4, 4, 9, 0, 0);
const backlogAgeMs = 30 * MINUTE;

function alert(key: string): { query: string; dimensions: string[] } {
  const found = logAlerts.find((a) => a.key === key);
  if (!found) throw new Error(`no log alert ${key}`);
  // The template substitutes the threshold the same way (infra/app/alerts.bicep).
  return { query: found.query.replace('{backlogAgeMs}', String(backlogAgeMs)), dimensions: found.dimensions };
}

function workbookQuery(name: string): string {
  const query = workbook.items.find((i) => i.name === name)?.content.query;
  if (query === undefined) throw new Error(`no workbook item ${name}`);
  return query;
}

/** What the exporter sends for metrics tracked at the given instants: one row per minute, name and dimensions. */
function exportedMetricRows(samples: Array<RecordedMetric & { at: number }>): Row[] {
  const rows = new Map<string, Row & { values: number[] }>();
  for (const s of samples) {
    const minute = Math.floor(s.at / MINUTE) * MINUTE;
    const id = JSON.stringify([s.name, s.properties ?? {}, minute]);
    const row = rows.get(id) ?? { timestamp: minute, name: s.name, customDimensions: s.properties ?? {}, values: [] };
    row.values.push(s.value);
    rows.set(id, row);
  }
  return [...rows.values()].map(({ values, ...row }) => {
    const sum = values.reduce((a, b) => a + b, 0);
    return {
      ...row,
      value: sum,
      valueSum: sum,
      valueCount: values.length,
      valueMin: Math.min(...values),
      valueMax: Math.max(...values),
    };
  });
}

function eventRows(events: Array<RecordedEvent & { at: number }>): Row[] {
  return events.map((e) => ({ timestamp: e.at, name: e.name, customDimensions: e.properties }));
}

const waits = (count: number, ms: number, at: number) =>
  Array.from({ length: count }, (_, i) => ({ name: 'queue.age.ms', value: ms, at: at + i * 500 }));

describe('backlog-age alert', () => {
  it('when sixty jobs each waited 31 s in one minute, then it does not fire (their sum is over the threshold, their longest wait is not)', () => {
    const rows = exportedMetricRows(waits(60, 31_000, t0));
    expect(rows[0]?.['value']).toBeGreaterThan(backlogAgeMs);

    const { query, dimensions } = alert('backlog-age');
    expect(firedAlerts(runKql(query, { customMetrics: rows }, { now: t0 + 5 * MINUTE }), dimensions, 0)).toEqual([]);
  });

  it('when one job waited 31 minutes among quick ones, then it fires once', () => {
    const rows = exportedMetricRows([
      ...waits(20, 2_000, t0),
      { name: 'queue.age.ms', value: 31 * MINUTE, at: t0 + 1 },
    ]);
    const { query, dimensions } = alert('backlog-age');
    const result = runKql(query, { customMetrics: rows }, { now: t0 + 5 * MINUTE });
    expect(result).toEqual([{ timestamp: t0, name: 'queue.age.ms', longestWaitMs: 31 * MINUTE }]);
    expect(firedAlerts(result, dimensions, 0)).toHaveLength(1);
  });
});

describe('ledger alerts', () => {
  async function parkedInvoiceEvents(): Promise<Row[]> {
    const telemetry = createMemoryTelemetry();
    const deps = {
      stores: createMemoryStores(),
      clock: { now: () => t0, sleep: () => Promise.resolve(), random: () => 0.5 },
      telemetry,
      logger: createLogger(() => undefined),
    };
    const context: RecordContext = {
      trigger: 'poll',
      attempt: 1,
      correlationId: 'c-1',
      receivedAt: '2026-05-04T09:00:00Z',
    };
    const parked = [
      { id: 'p1/t1', label: 'PO-00042 / INV-7781', missing: ['account:715'] },
      { id: 'p2/t1', label: 'PO-00043 / INV-7790', missing: ['dimension:AREA=NORTH', 'tax:GST on Imports'] },
    ];
    for (const p of parked) {
      const open = await openRecord(deps, 'purchase-invoice', p.id, context, p.label);
      await transition(
        deps,
        open,
        { state: 'needs-mapping', missing: p.missing, reason: `missing mappings: ${p.missing.join(', ')}` },
        { step: 'map', outcome: 'info', message: 'parked until the mappings exist' },
        context,
      );
    }
    return eventRows(telemetry.events.map((e) => ({ ...e, at: t0 })));
  }

  it('when two invoices are parked as needs-mapping, then two alerts fire, each naming its invoice and the mappings it waits for', async () => {
    const rows = await parkedInvoiceEvents();
    const { query, dimensions } = alert('ledger-needs-mapping');
    const fired = firedAlerts(runKql(query, { customEvents: rows }, { now: t0 }), dimensions, 0);
    expect(fired).toEqual([
      { recordType: 'purchase-invoice', label: 'PO-00042 / INV-7781', reason: 'missing mappings: account:715' },
      {
        recordType: 'purchase-invoice',
        label: 'PO-00043 / INV-7790',
        reason: 'missing mappings: dimension:AREA=NORTH, tax:GST on Imports',
      },
    ]);
  });

  it('when invoices are parked as needs-mapping, then the failed alert stays quiet', async () => {
    const rows = await parkedInvoiceEvents();
    const { query, dimensions } = alert('ledger-failed');
    expect(firedAlerts(runKql(query, { customEvents: rows }, { now: t0 }), dimensions, 0)).toEqual([]);
  });
});

describe('stuck records alert', () => {
  it('when the snapshot finds one invoice in created past STUCK_RECORD_MINUTES and one still busy, then one alert fires naming the stuck invoice and its state', async () => {
    // Arrange
    const stores = createMemoryStores();
    const entry = (recordId: string, label: string, state: 'created' | 'creating', updatedAt: number) => ({
      recordType: 'purchase-invoice' as const,
      recordId,
      state,
      label,
      correlationId: recordId,
      attempts: 1,
      updatedAt: new Date(updatedAt).toISOString(),
    });
    await stores.ledger.create(entry('p1/t1', 'PO-00042 / INV-7781', 'created', t0 - 3 * 60 * MINUTE));
    await stores.ledger.create(entry('p2/t1', 'PO-00043 / INV-7790', 'creating', t0 - 2 * MINUTE));
    const telemetry = createMemoryTelemetry();
    const clock = { now: () => t0, sleep: () => Promise.resolve(), random: () => 0.5 };

    // Act
    await reportStuckRecords({ stores, clock, telemetry, settings: defaultSyncSettings });

    // Assert
    const { query, dimensions } = alert('ledger-stuck');
    const rows = eventRows(telemetry.events.map((e) => ({ ...e, at: t0 })));
    expect(firedAlerts(runKql(query, { customEvents: rows }, { now: t0 }), dimensions, 0)).toEqual([
      { recordType: 'purchase-invoice', label: 'PO-00042 / INV-7781', state: 'created' },
    ]);
  });
});

describe('workbook', () => {
  it('when sixty invoices took 1 s each in one minute and one took 9 s, then the latency chart shows a mean near 1 s and a slowest of 9 s, not sums', () => {
    const samples = [
      ...Array.from({ length: 60 }, (_, i) => ({ name: 'e2e.latency.ms', value: 1_000, at: t0 + i * 900 })),
      { name: 'e2e.latency.ms', value: 9_000, at: t0 + 2 * MINUTE },
    ];
    const rows = runKql(workbookQuery('e2e-latency'), { customMetrics: exportedMetricRows(samples) }, { now: t0 });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.['meanMs']).toBeCloseTo(69_000 / 61, 6);
    expect(rows[0]?.['maxMs']).toBe(9_000);
    expect(rows[0]?.['invoices']).toBe(61);
  });

  it('when the ledger holds open records, then the open-records panel shows the latest snapshot by state and type and hides zeros', async () => {
    const stores = createMemoryStores();
    const entry = (recordId: string, state: 'needs-mapping' | 'failed' | 'posted') => ({
      recordType: 'purchase-invoice' as const,
      recordId,
      state,
      correlationId: recordId,
      attempts: 1,
      updatedAt: '2026-05-04T09:00:00Z',
    });
    for (const e of [
      entry('a', 'needs-mapping'),
      entry('b', 'needs-mapping'),
      entry('c', 'failed'),
      entry('d', 'posted'),
    ])
      await stores.ledger.create(e);
    const telemetry = createMemoryTelemetry();
    await snapshotOpenRecords({ ledger: stores.ledger, telemetry });
    const earlier = telemetry.metrics.map((m) => ({ ...m, value: m.value + 5, at: t0 - 15 * MINUTE }));
    const latest = telemetry.metrics.map((m) => ({ ...m, at: t0 }));

    const rows = runKql(
      workbookQuery('open-records-now'),
      { customMetrics: exportedMetricRows([...earlier, ...latest]) },
      { now: t0 + MINUTE },
    );
    expect(rows).toEqual([
      { state: 'needs-mapping', recordType: 'purchase-invoice', open: 2, asOf: t0 },
      { state: 'failed', recordType: 'purchase-invoice', open: 1, asOf: t0 },
    ]);
  });
});
