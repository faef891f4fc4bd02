/**
 * The demo's master-data act: after the invoices, the same connector keeps suppliers, vendors and products
 * equal in both directions, through the real functions and use cases.
 *
 * (a) Two new Cin7 suppliers, announced by `Supplier/Updated` webhooks (one batch, redelivered once as Cin7
 *     does), become exactly two BC vendors.
 * (b) Six BC items, announced by BC subscription notifications to the real `bc-notification` function,
 *     become Cin7 products with every field Cin7 requires: five new ones and one whose SKU Cin7 already has
 *     (updated in place, not duplicated).
 * (c) One of the new vendors is edited in BC; the edit reaches its Cin7 supplier.
 * (d) Echoes: after every step, notifications and webhooks are replayed until nothing moves. BC notifies the
 *     connector of its own vendor writes, and the demo plays Cin7's part by firing `Supplier/Updated` for
 *     every supplier whose `LastModifiedOn` moved. Each step must then show exactly the writes it needs on
 *     the other side and none back (PUT/POST/PATCH counted per system by the simulators).
 *
 * `buildMasterDataPlan()` is pure; `seedMasterData()` adds what a partner sets up once (BC payment terms and
 * units, unit and category mappings); `runMasterData()` performs the three steps and measures them.
 */
import type { Sandbox } from '../sandbox/sandbox.js';
import type { AddItemInput, AddVendorInput } from '../sandbox/bc/bc-simulator.js';
import type { AddSupplierInput } from '../sandbox/cin7/simulator.js';
import type { SimProduct, SimSupplier } from '../sandbox/cin7/state.js';
import type { SimulatedSystem } from '../sandbox/faults.js';
import { str, type Row } from '../sandbox/bc/odata-query.js';
import { serveFunction } from '../sandbox/serve-function.js';
import { createBcNotificationHandler } from '../../src/functions/bc-notification.js';
import {
  bcNotificationUrl,
  ensureBcSubscriptions,
  type SubscriptionReport,
} from '../../src/sync/subscriptions/bc-subscriptions.js';
import type { LedgerEntry, LedgerState, Mapping, RecordType } from '../../src/core/ports/stores.js';
import type { PlannedProduct } from './scenario.js';

// See sandbox.ts: the classes are read from the default export so that this also loads under tsx.

/** The master-data settings a partner sets (`src/config/settings.ts`), added to the demo's app settings. */
export const masterDataEnv: Record<string, string> = {
  VENDOR_MASTER: 'cin7',
  AUTO_CREATE_CATEGORIES: 'false',
  CIN7_DEFAULT_ACCOUNT_PAYABLE: '800',
  CIN7_DEFAULT_TAX_RULE: 'Tax on Purchases',
  CIN7_DEFAULT_PAYMENT_TERM: '30 days',
  CIN7_DEFAULT_CATEGORY: 'General',
  CIN7_DEFAULT_UOM: 'Each',
  CIN7_DEFAULT_COSTING_METHOD: 'FIFO',
};

// ------------------------------------------------------------------------------------------------ the plan

/** The shared vendor fields the connector must write for a new supplier. */
export interface ExpectedVendor {
  displayName: string;
  taxRegistrationNumber: string;
  /** Blank for BC's local currency (USD). */
  currencyCode: string;
  addressLine1: string;
  city: string;
  country: string;
  phoneNumber: string;
  email: string;
  /** The BC payment terms code the supplier's Cin7 payment term resolves to. */
  paymentTermsCode: string;
}

export interface PlannedNewSupplier {
  input: AddSupplierInput;
  expect: ExpectedVendor;
}

/** The product fields Cin7 requires (and the ones BC supplies), as the connector must leave them. */
export type ExpectedProduct = Pick<
  SimProduct,
  'SKU' | 'Name' | 'Category' | 'Type' | 'CostingMethod' | 'UOM' | 'Status' | 'Barcode' | 'PriceTier1'
>;

export interface PlannedItem {
  input: AddItemInput & { number: string };
  /** The SKU is already a Cin7 product (from the invoice catalogue): updated in place. */
  existing: boolean;
  expect: ExpectedProduct;
  /** What makes it interesting, for the summary. */
  note: string;
}

export interface PlannedVendorEdit {
  /** Index into `suppliers`: the vendor created for that supplier is edited in BC. */
  supplierIndex: number;
  patch: Partial<AddVendorInput> & { email: string; phoneNumber: string; addressLine1: string };
}

export interface MasterDataPlan {
  suppliers: PlannedNewSupplier[];
  items: PlannedItem[];
  vendorEdit: PlannedVendorEdit;
  /** Operator mappings for units and categories whose BC codes differ from Cin7's names. */
  mappings: Mapping[];
  bcPaymentTerms: Array<{ code: string; displayName: string; dueDateCalculation: string }>;
  bcUnits: Array<{ code: string; displayName: string }>;
}

/** What each step must write, and where. */
export const expectedWrites = {
  suppliersToVendors: { bc: 2, cin7: 0 },
  itemsToProducts: { bc: 0, cin7: 6 },
  vendorEdit: { bc: 0, cin7: 1 },
} as const;

/** Plans the act from the scenario's catalogue (the existing SKU is the catalogue's first product). */
export function buildMasterDataPlan(products: readonly PlannedProduct[]): MasterDataPlan {
  const known = products[0];
  if (!known) throw new Error('the scenario has no products');
  const suppliers: PlannedNewSupplier[] = [
    {
      input: {
        Name: 'Agrumi di Sicilia Soc. Coop.',
        TaxNumber: 'IT02938475610',
        Currency: 'EUR',
        PaymentTerm: '14 days',
        Addresses: [{ Line1: 'Via Etnea 212', City: 'Catania', Postcode: '95131', Country: 'IT', Type: 'Business' }],
        Contacts: [{ Name: 'Giulia Russo', Phone: '+39 095 714 2200', Email: 'amministrazione@agrumisicilia.example' }],
      },
      expect: {
        displayName: 'Agrumi di Sicilia Soc. Coop.',
        taxRegistrationNumber: 'IT02938475610',
        currencyCode: 'EUR',
        addressLine1: 'Via Etnea 212',
        city: 'Catania',
        country: 'IT',
        phoneNumber: '+39 095 714 2200',
        email: 'amministrazione@agrumisicilia.example',
        paymentTermsCode: '14 DAYS',
      },
    },
    {
      input: {
        Name: 'Catskill Maple Syrup Co.',
        TaxNumber: '16-5529107',
        PaymentTerm: 'Net 45',
        Addresses: [{ Line1: '48 Sugarbush Road', City: 'Hunter', Postcode: '12442', Country: 'US', Type: 'Business' }],
        Contacts: [{ Name: 'Dana Whitcomb', Phone: '518-555-0142', Email: 'billing@catskillmaple.example' }],
      },
      expect: {
        displayName: 'Catskill Maple Syrup Co.',
        taxRegistrationNumber: '16-5529107',
        currencyCode: '',
        addressLine1: '48 Sugarbush Road',
        city: 'Hunter',
        country: 'US',
        phoneNumber: '518-555-0142',
        email: 'billing@catskillmaple.example',
        paymentTermsCode: 'NET 45',
      },
    },
  ];
  const product = (p: Omit<ExpectedProduct, 'CostingMethod' | 'Status'>): ExpectedProduct => ({
    ...p,
    CostingMethod: 'FIFO',
    Status: 'Active',
  });
  const items: PlannedItem[] = [
    {
      input: {
        number: 'TRF-007',
        displayName: 'Black Truffle Carpaccio 90 g',
        type: 'Inventory',
        itemCategoryCode: 'TRUFFLES',
        baseUnitOfMeasureCode: 'PCS',
        unitPrice: 24.9,
        gtin: '08012345000071',
      },
      existing: false,
      expect: product({
        SKU: 'TRF-007',
        Name: 'Black Truffle Carpaccio 90 g',
        Type: 'Stock',
        Category: 'Truffles & Mushrooms',
        UOM: 'Each',
        Barcode: '08012345000071',
        PriceTier1: 24.9,
      }),
      note: 'category TRUFFLES and unit PCS mapped',
    },
    {
      input: {
        number: 'CHO-009',
        displayName: 'Hazelnut Praline Spread 200 g',
        type: 'Inventory',
        itemCategoryCode: 'CHOCOLATE',
        baseUnitOfMeasureCode: 'PCS',
        unitPrice: 11.5,
        gtin: '08012345000095',
      },
      existing: false,
      expect: product({
        SKU: 'CHO-009',
        Name: 'Hazelnut Praline Spread 200 g',
        Type: 'Stock',
        Category: 'Chocolate',
        UOM: 'Each',
        Barcode: '08012345000095',
        PriceTier1: 11.5,
      }),
      note: 'category CHOCOLATE = Cin7 "Chocolate" by name',
    },
    {
      input: {
        number: 'CHE-015',
        displayName: 'Robiola Bosina 250 g',
        type: 'Inventory',
        itemCategoryCode: 'CHEESES',
        baseUnitOfMeasureCode: 'PCS',
        unitPrice: 13.75,
      },
      existing: false,
      expect: product({
        SKU: 'CHE-015',
        Name: 'Robiola Bosina 250 g',
        Type: 'Stock',
        Category: 'Cheeses',
        UOM: 'Each',
        Barcode: '',
        PriceTier1: 13.75,
      }),
      note: 'no GTIN: no barcode',
    },
    {
      input: { number: 'SVC-GIFTBOX', displayName: 'Holiday gift box assembly', type: 'Service', unitPrice: 15 },
      existing: false,
      expect: product({
        SKU: 'SVC-GIFTBOX',
        Name: 'Holiday gift box assembly',
        Type: 'Service',
        Category: 'General',
        UOM: 'Each',
        Barcode: '',
        PriceTier1: 15,
      }),
      note: 'no category or unit in BC: CIN7_DEFAULT_CATEGORY and CIN7_DEFAULT_UOM',
    },
    {
      input: {
        number: 'PKG-LINER',
        displayName: 'Insulated shipping liner',
        type: 'Non-Inventory',
        baseUnitOfMeasureCode: 'PCS',
        unitPrice: 3.2,
      },
      existing: false,
      expect: product({
        SKU: 'PKG-LINER',
        Name: 'Insulated shipping liner',
        Type: 'Service',
        Category: 'General',
        UOM: 'Each',
        Barcode: '',
        PriceTier1: 3.2,
      }),
      note: 'becomes a Cin7 Service product',
    },
    {
      input: {
        number: known.sku,
        displayName: `${known.name} (new harvest)`,
        type: 'Inventory',
        itemCategoryCode: 'OLIVE OILS',
        baseUnitOfMeasureCode: 'PCS',
        unitPrice: 21.5,
        gtin: '08012345000019',
      },
      existing: true,
      expect: product({
        SKU: known.sku,
        Name: `${known.name} (new harvest)`,
        Type: 'Stock',
        Category: known.category,
        UOM: 'Each',
        Barcode: '08012345000019',
        PriceTier1: 21.5,
      }),
      note: `SKU ${known.sku} already in Cin7: updated, not duplicated`,
    },
  ];
  return {
    suppliers,
    items,
    vendorEdit: {
      supplierIndex: 1,
      patch: { email: 'ap@catskillmaple.example', phoneNumber: '518-555-0199', addressLine1: '1 Mill Street' },
    },
    mappings: [
      { kind: 'unit', source: 'PCS', target: 'Each', note: 'demo: BC pieces are Cin7 "Each"' },
      { kind: 'category', source: 'TRUFFLES', target: 'Truffles & Mushrooms', note: 'demo: BC item category' },
    ],
    bcPaymentTerms: [
      { code: '14 DAYS', displayName: '14 days', dueDateCalculation: '14D' },
      { code: '30 DAYS', displayName: '30 days', dueDateCalculation: '30D' },
      { code: 'NET 45', displayName: 'Net 45', dueDateCalculation: '45D' },
    ],
    bcUnits: [{ code: 'PCS', displayName: 'Pieces' }],
  };
}

/** What a partner sets up once: BC payment terms and units, and the unit and category mappings. */
export async function seedMasterData(sandbox: Sandbox, plan: MasterDataPlan): Promise<void> {
  for (const term of plan.bcPaymentTerms)
    sandbox.bc.addPaymentTerm(term.code, {
      displayName: term.displayName,
      dueDateCalculation: term.dueDateCalculation,
    });
  for (const unit of plan.bcUnits) sandbox.bc.addUnitOfMeasure(unit.code, unit.displayName);
  for (const mapping of plan.mappings) await sandbox.deps.stores.mappings.upsert(mapping);
}

// ------------------------------------------------------------------------------------------------ the BC endpoint

export interface NotificationEndpoint {
  /** `${base}/api/notifications/bc`: what the subscriptions point at. */
  url: string;
  close(): Promise<void>;
}

/** The real `bc-notification` function behind a local server, so the BC simulator's subscriptions call it. */
export async function startNotificationEndpoint(sandbox: Sandbox): Promise<NotificationEndpoint> {
  const handler = createBcNotificationHandler({
    getClientState: () => sandbox.runtime.getClientState(),
    getQueue: () => Promise.resolve(sandbox.queue),
    clock: { now: () => Date.now() },
    logger: () => sandbox.deps.logger,
    maxBodyBytes: sandbox.settings.webhooks.maxBodyBytes,
    companyId: sandbox.settings.bc.companyId,
  });
  const server = await serveFunction(handler, 'bc-notification');
  return { url: bcNotificationUrl(server.url), close: () => server.close() };
}

/** Creates the `vendors` and `items` subscriptions through the connector's own use case (the timer's). */
export async function subscribeToBc(sandbox: Sandbox, endpoint: NotificationEndpoint): Promise<SubscriptionReport[]> {
  return ensureBcSubscriptions(sandbox.deps, {
    notificationUrl: endpoint.url,
    clientState: await sandbox.runtime.getClientState(),
    companyId: sandbox.settings.bc.companyId,
  });
}

// ------------------------------------------------------------------------------------------------ running it

export type MasterStepKey = 'suppliers-to-vendors' | 'items-to-products' | 'vendor-edit';

export interface MasterCheck {
  label: string;
  actual: number;
  expected: number;
}

export interface MasterStepResult {
  key: MasterStepKey;
  /** Short, for the summary table. */
  title: string;
  /** What happens, for the phase line. */
  detail: string;
  checks: MasterCheck[];
  /** Field-level problems (a vendor, product or supplier not as expected). */
  problems: string[];
  writes: Record<'cin7' | 'bc', number>;
}

export interface MasterDataResult {
  plan: MasterDataPlan;
  subscriptions: SubscriptionReport[];
  steps: MasterStepResult[];
  /** `Supplier/Updated` deliveries: announced by the demo (a user's edit) or fired as Cin7's echo of a connector write. */
  cin7Webhooks: { announced: number; echoes: number; accepted: number };
  /** BC notification POSTs to the endpoint, and how many it answered 202. */
  bcNotifications: { delivered: number; accepted: number };
  /** Audit rows where the connector recognised its own write coming back and wrote nothing. */
  echoesSuppressed: number;
  /** Master-data ledger records by type and state. */
  ledger: Record<
    Exclude<RecordType, 'purchase-invoice' | 'purchase-credit-note'>,
    Partial<Record<LedgerState, number>>
  >;
  /** Master-data ledger records not `synced` (must be none). */
  notSynced: string[];
  differences: string[];
  durationMs: number;
}

export interface RunMasterDataOptions {
  onStep?: (detail: string) => void;
}

/** PUT, POST and PATCH requests one simulator has seen. */
function writes(sandbox: Sandbox, system: SimulatedSystem): number {
  return ['POST', 'PUT', 'PATCH'].reduce((n, method) => n + sandbox.faults.count({ system, method }), 0);
}

/** Runs (a), (b) and (c) after the invoices have settled, measuring each step's writes after its echoes. */
export async function runMasterData(
  sandbox: Sandbox,
  plan: MasterDataPlan,
  subscriptions: SubscriptionReport[],
  options: RunMasterDataOptions = {},
): Promise<MasterDataResult> {
  const t0 = Date.now();
  const { cin7, bc } = sandbox;
  const webhooks = { announced: 0, echoes: 0, accepted: 0 };
  const deliveriesBefore = bc.deliveries.length;
  // Cin7's side of the echo: a `Supplier/Updated` for every supplier whose LastModifiedOn moved.
  const seen = new Map<string, number>();
  const snapshot = () => {
    for (const s of cin7.state.suppliers) seen.set(s.ID, s.LastModifiedOn.getTime());
  };
  const supplierUpdated = async (ids: string[], kind: 'announced' | 'echoes') => {
    const results = await cin7.deliverWebhooks({ type: 'Supplier/Updated', supplierIds: ids });
    webhooks[kind] += results.length;
    webhooks.accepted += results.filter((r) => r.ok).length;
  };
  const settleEchoes = async () => {
    for (let round = 0; round < 8; round++) {
      const before = sandbox.queue.stats().sent + bc.deliveries.length;
      await sandbox.settle();
      await bc.flushNotifications();
      await sandbox.settle();
      const moved = cin7.state.suppliers.filter((s) => seen.get(s.ID) !== s.LastModifiedOn.getTime()).map((s) => s.ID);
      snapshot();
      if (moved.length > 0) await supplierUpdated(moved, 'echoes');
      else if (sandbox.queue.stats().sent + bc.deliveries.length === before) return;
    }
  };
  const measure = async (
    key: MasterStepKey,
    [title, detail]: [string, string],
    act: () => Promise<void>,
    check: () => Promise<{ checks: MasterCheck[]; problems: string[] }>,
  ): Promise<MasterStepResult> => {
    options.onStep?.(detail);
    snapshot();
    const before = { cin7: writes(sandbox, 'cin7'), bc: writes(sandbox, 'bc') };
    await act();
    await settleEchoes();
    const written = { cin7: writes(sandbox, 'cin7') - before.cin7, bc: writes(sandbox, 'bc') - before.bc };
    const result = await check();
    return { key, title, detail, writes: written, ...result };
  };
  const steps: MasterStepResult[] = [];

  // (a) Two new Cin7 suppliers → exactly two BC vendors.
  const vendorsBefore = new Set(bc.data.vendors.all().map((v) => str(v['id'])));
  const created: SimSupplier[] = [];
  steps.push(
    await measure(
      'suppliers-to-vendors',
      [
        `(a) ${plan.suppliers.length} new Cin7 suppliers → BC vendors`,
        `${plan.suppliers.map((p) => p.input.Name).join(' and ')} added in Cin7, announced by Supplier/Updated (redelivered once)`,
      ],
      async () => {
        for (const planned of plan.suppliers) created.push(cin7.addSupplier(planned.input));
        snapshot();
        const ids = created.map((s) => s.ID);
        // Cin7 batches supplier changes into one delivery, and redelivers now and then.
        await supplierUpdated(ids, 'announced');
        await supplierUpdated(ids, 'announced');
      },
      async () => {
        const problems: string[] = [];
        const newVendors = bc.data.vendors.all().filter((v) => !vendorsBefore.has(str(v['id'])));
        let paired = 0;
        for (const [i, planned] of plan.suppliers.entries()) {
          const supplier = created[i];
          const mapping = supplier
            ? await sandbox.deps.stores.mappings.get('supplier', supplier.ID.toLowerCase())
            : undefined;
          const vendor = newVendors.find((v) => str(v['number']) === mapping?.target);
          if (!vendor) {
            problems.push(`${planned.input.Name}: no new BC vendor is mapped to it`);
            continue;
          }
          paired += 1;
          problems.push(...vendorProblems(sandbox, vendor, planned.expect));
        }
        return {
          checks: [
            { label: 'BC vendors created', actual: newVendors.length, expected: plan.suppliers.length },
            { label: 'suppliers paired with their new vendor', actual: paired, expected: plan.suppliers.length },
          ],
          problems,
        };
      },
    ),
  );

  // (b) BC items → Cin7 products (five new, one existing SKU updated in place).
  const productsBefore = new Map(cin7.state.products.map((p) => [p.SKU.toUpperCase(), p.ID]));
  const newItems = plan.items.filter((i) => !i.existing);
  const existingItems = plan.items.filter((i) => i.existing);
  steps.push(
    await measure(
      'items-to-products',
      [
        `(b) ${plan.items.length} BC items → Cin7 products`,
        `${plan.items.length} items added in BC (${newItems.length} new SKUs, ${existingItems.map((i) => i.expect.SKU).join(', ')} already a Cin7 product), announced by BC notifications`,
      ],
      async () => {
        for (const item of plan.items) bc.addItem(item.input);
        await Promise.resolve();
      },
      () => {
        const problems: string[] = [];
        const products = cin7.state.products;
        const createdCount = products.filter((p) => !productsBefore.has(p.SKU.toUpperCase())).length;
        let updatedInPlace = 0;
        let complete = 0;
        for (const item of plan.items) {
          const matching = products.filter((p) => p.SKU.toUpperCase() === item.expect.SKU.toUpperCase());
          if (matching.length !== 1) {
            problems.push(`${item.expect.SKU}: ${matching.length} Cin7 products with this SKU, expected 1`);
            continue;
          }
          const found = matching[0] as SimProduct;
          if (item.existing && found.ID === productsBefore.get(item.expect.SKU.toUpperCase())) updatedInPlace += 1;
          const wrong = productProblems(found, item.expect);
          if (wrong.length === 0) complete += 1;
          else problems.push(`${item.expect.SKU}: ${wrong.join(', ')}`);
        }
        return Promise.resolve({
          checks: [
            { label: 'Cin7 products created', actual: createdCount, expected: newItems.length },
            {
              label: `existing SKU ${existingItems.map((i) => i.expect.SKU).join(', ')} updated in place`,
              actual: updatedInPlace,
              expected: existingItems.length,
            },
            { label: 'products with every required field as in BC', actual: complete, expected: plan.items.length },
          ],
          problems,
        });
      },
    ),
  );

  // (c) One vendor edited in BC → its Cin7 supplier.
  const edited = created[plan.vendorEdit.supplierIndex];
  const editedName = plan.suppliers[plan.vendorEdit.supplierIndex]?.input.Name ?? '?';
  const suppliersBefore = cin7.state.suppliers.length;
  steps.push(
    await measure(
      'vendor-edit',
      [
        `(c) BC vendor edit → Cin7 supplier`,
        `${editedName} edited in BC (email, phone, address), announced by a BC notification`,
      ],
      async () => {
        const mapping = edited
          ? await sandbox.deps.stores.mappings.get('supplier', edited.ID.toLowerCase())
          : undefined;
        const vendor = bc.data.vendors.all().find((v) => str(v['number']) === mapping?.target);
        if (vendor) bc.updateVendor(str(vendor['id']), plan.vendorEdit.patch);
      },
      () => {
        const problems: string[] = [];
        const supplier = cin7.state.suppliers.find((s) => s.ID === edited?.ID);
        const { email, phoneNumber, addressLine1 } = plan.vendorEdit.patch;
        const contact = supplier?.Contacts.find((c) => c.Default) ?? supplier?.Contacts[0];
        const address = supplier?.Addresses.find((a) => a.Type === 'Business') ?? supplier?.Addresses[0];
        const want: Array<[string, unknown, unknown]> = [
          ['Name', supplier?.Name, editedName],
          ['Email', contact?.Email, email],
          ['Phone', contact?.Phone, phoneNumber],
          ['Address Line1', address?.Line1, addressLine1],
          // Cin7's own fields are kept (the connector never overwrites them from BC).
          ['AccountPayable', supplier?.AccountPayable, '800'],
          ['TaxRule', supplier?.TaxRule, 'Tax on Purchases'],
          ['Addresses', supplier?.Addresses.length, 1],
          ['Contacts', supplier?.Contacts.length, 1],
        ];
        const wrong = want
          .filter(([, got, expected]) => got !== expected)
          .map(([field, got, expected]) => `${field} ${String(got)}, expected ${String(expected)}`);
        if (wrong.length > 0) problems.push(`Cin7 supplier ${editedName}: ${wrong.join(', ')}`);
        return Promise.resolve({
          checks: [
            {
              label: `Cin7 supplier ${editedName} carries the edit`,
              actual: supplier && wrong.length === 0 ? 1 : 0,
              expected: 1,
            },
            { label: 'Cin7 suppliers added', actual: cin7.state.suppliers.length - suppliersBefore, expected: 0 },
          ],
          problems,
        });
      },
    ),
  );

  const wanted: Record<MasterStepKey, { bc: number; cin7: number }> = {
    'suppliers-to-vendors': expectedWrites.suppliersToVendors,
    'items-to-products': expectedWrites.itemsToProducts,
    'vendor-edit': expectedWrites.vendorEdit,
  };
  for (const step of steps) {
    const want = wanted[step.key];
    const toBc = step.key === 'suppliers-to-vendors';
    step.checks.push(
      {
        label: toBc ? 'BC writes (POST/PATCH)' : 'Cin7 writes (POST/PUT)',
        actual: toBc ? step.writes.bc : step.writes.cin7,
        expected: toBc ? want.bc : want.cin7,
      },
      {
        label: toBc ? 'Cin7 writes back (echo)' : 'BC writes back (echo)',
        actual: toBc ? step.writes.cin7 : step.writes.bc,
        expected: toBc ? want.cin7 : want.bc,
      },
    );
  }

  const ledger: MasterDataResult['ledger'] = { supplier: {}, vendor: {}, item: {} };
  const notSynced: string[] = [];
  let echoesSuppressed = 0;
  for (const recordType of ['supplier', 'vendor', 'item'] as const) {
    const entries: LedgerEntry[] = await sandbox.ledger(recordType);
    for (const entry of entries) {
      ledger[recordType][entry.state] = (ledger[recordType][entry.state] ?? 0) + 1;
      if (entry.state !== 'synced')
        notSynced.push(
          `${entry.label ?? `${recordType} ${entry.recordId}`}: ${entry.state}${entry.reason ? ` (${entry.reason})` : ''}`,
        );
      const audit = await sandbox.deps.stores.audit.list(recordType, entry.recordId);
      echoesSuppressed += audit.filter((a) => a.step === 'echo-check' && /echo suppressed/.test(a.message)).length;
    }
  }

  const notifications = bc.deliveries.slice(deliveriesBefore);
  const differences: string[] = [];
  for (const step of steps) {
    for (const check of step.checks) {
      if (check.actual !== check.expected)
        differences.push(`master data ${step.title}: ${check.label}: expected ${check.expected}, got ${check.actual}`);
    }
    for (const problem of step.problems) differences.push(`master data: ${problem}`);
  }
  for (const record of notSynced) differences.push(`master data record not synced: ${record}`);
  if (webhooks.accepted !== webhooks.announced + webhooks.echoes)
    differences.push(
      `master data: ${webhooks.announced + webhooks.echoes - webhooks.accepted} Supplier/Updated deliveries were rejected`,
    );
  const rejectedNotifications = notifications.filter((d) => d.status !== 202).length;
  if (rejectedNotifications > 0)
    differences.push(`master data: ${rejectedNotifications} BC notification deliveries were not answered 202`);
  return {
    plan,
    subscriptions,
    steps,
    cin7Webhooks: webhooks,
    bcNotifications: { delivered: notifications.length, accepted: notifications.length - rejectedNotifications },
    echoesSuppressed,
    ledger,
    notSynced,
    differences,
    durationMs: Date.now() - t0,
  };
}

function vendorProblems(sandbox: Sandbox, vendor: Row, expect: ExpectedVendor): string[] {
  const term = sandbox.bc.data.paymentTerms.find((p) => p.code === expect.paymentTermsCode);
  const want: Array<[string, unknown]> = [
    ['displayName', expect.displayName],
    ['taxRegistrationNumber', expect.taxRegistrationNumber],
    ['currencyCode', expect.currencyCode],
    ['addressLine1', expect.addressLine1],
    ['city', expect.city],
    ['country', expect.country],
    ['phoneNumber', expect.phoneNumber],
    ['email', expect.email],
    ['paymentTermsId', term?.id ?? `(no BC payment terms ${expect.paymentTermsCode})`],
  ];
  const wrong = want
    .filter(([field, value]) => vendor[field] !== value)
    .map(([field, value]) => `${field} ${JSON.stringify(vendor[field])}, expected ${JSON.stringify(value)}`);
  return wrong.length === 0 ? [] : [`BC vendor ${str(vendor['number'])} ${expect.displayName}: ${wrong.join(', ')}`];
}

function productProblems(product: SimProduct, expect: ExpectedProduct): string[] {
  return (Object.keys(expect) as Array<keyof ExpectedProduct>)
    .filter((field) => product[field] !== expect[field])
    .map((field) => `${field} ${JSON.stringify(product[field])}, expected ${JSON.stringify(expect[field])}`);
}
