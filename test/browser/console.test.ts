import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LedgerEntry } from '../../src/core/ports/stores.js';
import {
  launchChromium,
  record,
  screenshot,
  seriousViolations,
  startDemoConsole,
  type DemoConsole,
} from './browser-support.js';

describe('operator console in Chromium, over the demo data', () => {
  let demo: DemoConsole;
  let browser: Browser;
  let operator: BrowserContext;
  let reader: BrowserContext;

  beforeAll(async () => {
    demo = await startDemoConsole(inject('azuriteConnectionString'));
    browser = await launchChromium();
    // A laptop screen.
    const viewport = { width: 1366, height: 768 };
    operator = await browser.newContext({ viewport });
    reader = await browser.newContext({ viewport });
  });
  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  const open = async (context: BrowserContext, role: 'operator' | 'reader', hash: string): Promise<Page> => {
    const page = await context.newPage();
    await page.goto(`${demo.servers[role].url}${hash}`);
    await page.locator('main h1').first().waitFor();
    return page;
  };
  const ledger = () => demo.sandbox.ledger();
  const parkedWith = async (gap: string): Promise<LedgerEntry[]> =>
    (await demo.sandbox.ledger('purchase-invoice')).filter(
      (e) => e.state === 'needs-mapping' && (e.missing ?? []).some((m) => m.startsWith(`${gap} `)),
    );

  it('when the overview opens, then its counts equal the ledger by type and state', async () => {
    const page = await open(operator, 'operator', '#/overview');
    const shown: Record<string, number> = {};
    for (const cell of await page.locator('#counts td[data-state]').all()) {
      const key = `${await cell.getAttribute('data-type')}/${await cell.getAttribute('data-state')}`;
      const count = Number(await cell.innerText());
      if (count > 0) shown[key] = count;
    }
    const expected: Record<string, number> = {};
    for (const e of await ledger())
      expected[`${e.recordType}/${e.state}`] = (expected[`${e.recordType}/${e.state}`] ?? 0) + 1;
    expect(shown).toEqual(expected);
    // The page's own files (not its data), as they travel: gzipped, headers included (README "Page weight").
    const pageBytes = await page.evaluate<number>(
      "[...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')].filter((e) => !e.name.includes('/api/console/api/')).reduce((sum, e) => sum + e.transferSize, 0)",
    );
    await record('page-weight', { transferredBytes: pageBytes });
    expect(pageBytes).toBeGreaterThan(0);
    expect(pageBytes).toBeLessThan(20_000);
    await page.locator('#activity figure svg').waitFor();
    await page.locator('#health li').first().waitFor();
    await screenshot(page, 'overview');
  });

  it('when the records are filtered by a PO number, then that purchase is found', async () => {
    const posted = (await demo.sandbox.ledger('purchase-invoice')).find((e) => e.state === 'posted' && e.sourceNumber);
    const po = posted!.sourceNumber!;
    const page = await open(operator, 'operator', '#/records');
    await page.getByLabel('PO, invoice or BC number').fill(po);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/text=/);
    await page.locator('#result-count').waitFor();
    const labels = await page.locator('table.records tbody tr td:nth-child(2)').allInnerTexts();
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.every((l) => l.startsWith(po))).toBe(true);
    const bcNumbers = await page.locator('table.records td.bc-number').allInnerTexts();
    expect(bcNumbers.some((n) => n.startsWith(posted!.targetNumber!))).toBe(true);
    await screenshot(page, 'records');
  });

  it('when a needs-mapping invoice is fixed from the gaps view by choosing a BC account, then it is replayed and shows posted with its BC number', async () => {
    // Account 715 (direct posting off in BC): the demo's returns map 477 themselves, while a credit note waits.
    const [parked] = (await parkedWith('account:715')).filter((e) => e.missing?.length === 1);
    expect(parked).toBeDefined();
    const page = await open(operator, 'operator', '#/gaps');
    const gap = page.locator('section[data-gap="account:715"]');
    await screenshot(page, 'gaps');
    await gap.getByLabel(/^Search BC G\/L account/).fill('general');
    await gap.locator('select option[value="429"]').waitFor();
    await gap.getByLabel(/^Map Cin7 account 715 to/).selectOption('429');
    await gap.getByRole('button', { name: /^Save mapping and replay/ }).click();
    const row = gap.locator('.progress li', { hasText: parked!.label! });
    await row.locator('.state-posted').waitFor({ timeout: 30_000 });
    const entry = (await demo.sandbox.deps.stores.ledger.get('purchase-invoice', parked!.recordId))!.value;
    expect(entry.state).toBe('posted');
    expect(await row.locator('.bc-number').innerText()).toContain(`BC ${entry.targetNumber!}`);
    await row.getByRole('link').click();
    await page.locator('#record-state .state-posted').waitFor();
    expect(await page.locator('#record-bc').innerText()).toContain(entry.targetNumber!);
    await page.locator('#coded table').first().waitFor();
    await screenshot(page, 'record');
  });

  it('when the skip dialog is used from the keyboard, then Escape cancels it and nothing changes', async () => {
    const [parked] = await parkedWith('account:640');
    const page = await open(operator, 'operator', `#/record/purchase-invoice/${encodeURIComponent(parked!.recordId)}`);
    await page.getByRole('button', { name: 'Skip…' }).focus();
    await page.keyboard.press('Enter');
    const reason = page.getByRole('dialog').getByLabel('Reason (required)');
    await reason.waitFor();
    expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('skip-reason');
    await page.keyboard.type('changed my mind');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect((await demo.sandbox.deps.stores.ledger.get('purchase-invoice', parked!.recordId))?.value.state).toBe(
      'needs-mapping',
    );
  });

  it('when an operator skips a record, then a reason is required and recorded', async () => {
    const [parked] = await parkedWith('account:640');
    const page = await open(operator, 'operator', `#/record/purchase-invoice/${encodeURIComponent(parked!.recordId)}`);
    await page.getByRole('button', { name: 'Skip…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Skip', exact: true }).click();
    // The reason is required: the dialog stays open and nothing changed.
    expect(await dialog.isVisible()).toBe(true);
    expect((await demo.sandbox.deps.stores.ledger.get('purchase-invoice', parked!.recordId))?.value.state).toBe(
      'needs-mapping',
    );
    await screenshot(page, 'skip-dialog');
    await dialog.getByLabel('Reason (required)').fill('tasting samples are expensed by hand');
    await dialog.getByRole('button', { name: 'Skip', exact: true }).click();
    await page.locator('#record-state .state-skipped').waitFor();
    const entry = (await demo.sandbox.deps.stores.ledger.get('purchase-invoice', parked!.recordId))!.value;
    expect(entry.reason).toBe('skipped by local-operator@localhost: tasting samples are expensed by hand');
    expect(await page.locator('#record-reason').innerText()).toBe(entry.reason);
  });

  it('when a reader opens a record, then replay is disabled and the API refuses it', async () => {
    // Any record will do; by now the demo's parked ones were fixed or skipped by the operator tests above.
    const [parked] = (await demo.sandbox.ledger('purchase-invoice')).filter((e) => e.state === 'amount-mismatch');
    const page = await open(reader, 'reader', `#/record/purchase-invoice/${encodeURIComponent(parked!.recordId)}`);
    expect(await page.getByRole('button', { name: 'Replay' }).isDisabled()).toBe(true);
    expect(await page.locator('#read-only-note').innerText()).toContain('Console.Operator');
    const status = await page.evaluate<number>(
      `fetch('/api/console/api/replay', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records: [{ type: 'purchase-invoice', id: ${JSON.stringify(parked!.recordId)} }] }) }).then((r) => r.status)`,
    );
    expect(status).toBe(403);
    await screenshot(page, 'reader-record');
  });

  it('when a mapping file with bad rows is imported, then every bad row is listed and nothing is imported', async () => {
    const before = await demo.sandbox.deps.stores.mappings.list();
    const page = await open(operator, 'operator', '#/mappings');
    const csv = 'kind,source,target,note\naccount,999,429,\nplanet,x,y,\naccount,,429,\n';
    await page
      .getByLabel(/^Import a file/)
      .setInputFiles({ name: 'mappings.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.locator('#import-problems li').first().waitFor();
    const problems = await page.locator('#import-problems li').allInnerTexts();
    expect(problems.some((p) => p.startsWith('line 3:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('line 4:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('line 2:'))).toBe(false);
    expect(await demo.sandbox.deps.stores.mappings.list()).toEqual(before);
    await screenshot(page, 'mappings-import');
  });

  it('when axe-core scans every view, then it finds no serious or critical violation', async () => {
    // Only this context bypasses the page's content policy, so axe-core can be injected.
    const scan = await browser.newContext({ viewport: { width: 1366, height: 768 }, bypassCSP: true });
    const someRecord = (await ledger()).find((e) => e.recordType === 'purchase-invoice')!;
    const views = [
      '#/overview',
      '#/records',
      `#/record/purchase-invoice/${encodeURIComponent(someRecord.recordId)}`,
      '#/gaps',
      '#/mappings',
    ];
    const found: Record<string, string[]> = {};
    for (const view of views) {
      const page = await open(scan, 'operator', view);
      await page.waitForLoadState('networkidle');
      const violations = await seriousViolations(page);
      if (violations.length > 0) found[view] = violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
      if (view === '#/mappings') await screenshot(page, 'mappings');
    }
    expect(found).toEqual({});
    await scan.close();
  });
});
