/**
 * The demo scenario: a specialty-foods distributor seeded into both simulators, deterministically from a
 * seed, with the outcome the connector should reach computed from the same plan.
 *
 * `buildScenario()` is pure (plan + expectation); `seedScenario()` writes the plan into the Cin7 and BC
 * simulators and the connector's mapping table, and returns the webhook deliveries to fire.
 *
 * Amounts are chosen so that every line amount, discount and tax is a whole number of cents: Cin7 and BC
 * then agree on every total without depending on how either rounds half a cent. The only invoices whose BC
 * total differs from Cin7's are the ones planned to (`amount-mismatch`).
 */
import type { Sandbox } from '../sandbox/sandbox.js';
import type { AddChargeInput, AddLineInput, Cin7WebhookEvent } from '../sandbox/cin7/simulator.js';
import type { SimInvoiceStatus, SimPurchase } from '../sandbox/cin7/state.js';
import type { Mapping } from '../../src/core/ports/stores.js';
import { seededRandom } from '../sandbox/faults.js';
import { str } from '../sandbox/bc/odata-query.js';
import { accounts, categories, locations, suppliers, taxRules, type CatalogSupplier } from './catalog.js';

export type PurchaseKind =
  /** Purchase still a draft: no order, no invoice. */
  | 'draft'
  /** Order authorised, no invoice yet. */
  | 'ordered'
  /** Invoice keyed in but still DRAFT. */
  | 'ordered-draft-invoice'
  /** One AUTHORISED invoice (the common case). */
  | 'authorised'
  /** One PAID invoice. */
  | 'paid'
  /** Approach STOCK (stock received first), invoice AUTHORISED. */
  | 'stock-first'
  /** Advanced purchase with 2–3 invoices (partial deliveries). */
  | 'multi-invoice'
  /** The whole purchase voided. */
  | 'voided'
  /** First invoice voided, the supplier's replacement invoice authorised. */
  | 're-invoiced';

/** How the connector learns about the purchase in the demo. */
export type Trigger =
  /** `Purchase/InvoiceAuthorised` per authorised invoice. */
  | 'invoice-webhook'
  /** The same, delivered twice (Cin7 redelivers). */
  | 'invoice-webhook-twice'
  /** The same with a wrong TaskID (reference §7.3: a reported Cin7 bug); resolved by order number. */
  | 'invoice-webhook-wrong-task-id'
  /** A fat `Purchase/Updated` event. */
  | 'purchase-updated'
  /** No webhook: the poll backfills it. */
  | 'poll-only'
  /** Nothing announces it and the poll ignores it (no invoice stage): no ledger row. */
  | 'none';

export type InvoiceExpectation =
  | { state: 'posted' }
  | { state: 'skipped'; reason: string }
  | { state: 'needs-mapping'; gaps: string[] }
  | { state: 'amount-mismatch' };

export interface PlannedProduct {
  sku: string;
  name: string;
  category: string;
  /** Typical unit cost in cents. */
  costCents: number;
}

export interface PlannedInvoice {
  status: SimInvoiceStatus;
  /** The supplier's invoice number ('' when the clerk left it blank). */
  invoiceNumber: string;
  invoiceDate: Date;
  lines: AddLineInput[];
  charges: AddChargeInput[];
  expect: InvoiceExpectation;
}

export interface PlannedPurchase {
  orderNumber: string;
  kind: PurchaseKind;
  supplier: CatalogSupplier;
  location: string;
  approach: 'INVOICE' | 'STOCK';
  orderDate: Date;
  /** Header status override (DRAFT, VOIDED); otherwise derived from the invoices by the simulator. */
  status?: string;
  invoices: PlannedInvoice[];
  trigger: Trigger;
  /** What makes this purchase interesting, for `--verbose`. */
  notes: string[];
}

export interface ExpectedOutcome {
  /** Ledger rows for purchase invoices (one per invoice reached, or per purchase without invoices). */
  records: number;
  posted: number;
  /** Skip reason → records. */
  skipped: Record<string, number>;
  needsMapping: number;
  /** Gap key (`account:640`) → records listing it. */
  gaps: Record<string, number>;
  amountMismatch: number;
  failed: number;
  diverged: number;
  /** BC purchase invoices: the posted ones plus the drafts kept for amount mismatches. */
  bcInvoices: number;
}

export interface ScenarioOptions {
  /** Number of Cin7 purchases (at least 30). */
  purchases: number;
  seed: number;
  /** Purchases are dated in the weeks before this day (default: today, UTC). */
  today?: Date;
}

export interface Scenario {
  seed: number;
  products: PlannedProduct[];
  suppliers: readonly CatalogSupplier[];
  purchases: PlannedPurchase[];
  mappings: Mapping[];
  expected: ExpectedOutcome;
}

/** The connector's dimension rules for the demo company (operator mappings, DESIGN §4). */
export const demoMappings: Mapping[] = [
  { kind: 'dimension-location', source: locations.main, target: 'AREA=EAST', note: 'demo: east coast warehouse' },
  { kind: 'dimension-location', source: locations.coastal, target: 'AREA=WEST', note: 'demo: west coast DC' },
  { kind: 'dimension-default', source: '*', target: 'DEPARTMENT=PURCHASING', note: 'demo: every purchase' },
  {
    kind: 'dimension-supplier',
    source: 'Frantoio Bellavista S.r.l.',
    target: 'DEPARTMENT=IMPORTS',
    note: 'demo: imports desk',
  },
];

/** The dimension values every BC line of this purchase must carry. */
export function expectedDimensions(purchase: Pick<PlannedPurchase, 'location' | 'supplier'>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const rule of demoMappings) {
    const applies =
      (rule.kind === 'dimension-default' && rule.source === '*') ||
      (rule.kind === 'dimension-location' && rule.source === purchase.location) ||
      (rule.kind === 'dimension-supplier' && rule.source === purchase.supplier.name);
    if (!applies) continue;
    const [code, value] = rule.target.split('=');
    if (code && value) result[code] = value;
  }
  return result;
}

/** BC defaults the rules never name, which every line of this supplier's invoices keeps. */
export function keptDefaultDimensions(purchase: Pick<PlannedPurchase, 'supplier'>): Record<string, string> {
  return Object.fromEntries(
    vendorDefaultDimensions(purchase.supplier.name)
      .filter((d) => !demoMappings.some((rule) => rule.target.startsWith(`${d.code}=`)))
      .map((d) => [d.code, d.valueCode]),
  );
}

/** The key of a gap as the connector lists it: `account:640 (no BC G/L account 640)` → `account:640`. */
export function gapKey(gap: string): string {
  return gap.split(' (')[0]?.trim() ?? gap;
}

const skipReasons = {
  noInvoice: (status: string) => `no invoice stage yet (purchase status ${status})`,
  invoiceStage: (status: string) => `invoice stage ${status}`,
  purchaseVoided: 'purchase is VOIDED',
} as const;

// ------------------------------------------------------------------------------------------------ planning

type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};

const between = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = items[i] as T;
    items[i] = items[j] as T;
    items[j] = a;
  }
  return items;
}

function weightedSupplier(random: Random): CatalogSupplier {
  const total = suppliers.reduce((sum, s) => sum + s.weight, 0);
  let roll = random() * total;
  for (const supplier of suppliers) {
    roll -= supplier.weight;
    if (roll < 0) return supplier;
  }
  return suppliers[suppliers.length - 1] as CatalogSupplier;
}

function supplierNamed(name: string): CatalogSupplier {
  const supplier = suppliers.find((s) => s.name === name);
  if (!supplier) throw new Error(`catalog has no supplier ${name}`);
  return supplier;
}

function taxPercentOf(supplier: CatalogSupplier): number {
  const rule = taxRules.find((t) => t.name === (supplier.taxRule ?? 'Tax on Purchases'));
  return rule?.percent ?? 10;
}

interface Slot {
  kind: PurchaseKind;
  gaps?: Array<'640' | '477' | '715'>;
  mismatch?: boolean;
  blankNumber?: boolean;
}

/** Which purchases the scenario has, before they get suppliers and amounts. */
function planSlots(random: Random, n: number): Slot[] {
  const share = (fraction: number, min: number) => Math.max(min, Math.round(n * fraction));
  const slots: Slot[] = [];
  const add = (count: number, slot: Slot) => {
    for (let i = 0; i < count; i++) slots.push({ ...slot });
  };
  add(share(0.05, 2), { kind: 'draft' });
  add(share(0.08, 2), { kind: 'ordered' });
  add(share(0.04, 1), { kind: 'ordered-draft-invoice' });
  add(share(0.06, 3), { kind: 'multi-invoice' });
  add(share(0.03, 2), { kind: 'voided' });
  add(share(0.015, 1), { kind: 're-invoiced' });
  add(share(0.03, 2), { kind: 'stock-first' });
  const gapPatterns: Array<Array<'640' | '477' | '715'>> = [['640'], ['477'], ['715'], ['640', '477']];
  const unmapped = share(0.025, 3);
  for (let i = 0; i < unmapped; i++)
    slots.push({ kind: 'authorised', gaps: gapPatterns[i % gapPatterns.length] ?? ['640'] });
  add(share(0.005, 1), { kind: 'authorised', mismatch: true });
  add(n >= 150 ? 2 : 1, { kind: 'authorised', blankNumber: true });
  add(share(0.15, 3), { kind: 'paid' });
  if (slots.length > n - 5) throw new Error(`--purchases ${n} is too few for the scenario; use at least 30`);
  while (slots.length < n) slots.push({ kind: 'authorised' });
  return shuffle(random, slots);
}

interface LineChoice {
  quantity: number;
  priceCents: number;
  discount: number;
}

/**
 * A quantity, price and discount whose line amount, discount amount and tax are whole cents, so Cin7's and
 * BC's arithmetic agree exactly (see the module comment).
 */
function chooseLine(random: Random, product: PlannedProduct, taxPercent: number): LineChoice {
  const bulky = product.category === 'Cheeses' || product.category === 'Charcuterie';
  const quantity = pick(random, bulky ? [2, 4, 6, 8, 10, 12] : [6, 12, 12, 24, 24, 36, 48]);
  const discount = random() < 0.12 ? pick(random, [5, 10]) : 0;
  const start = Math.max(50, Math.round(product.costCents * (0.95 + random() * 0.1)));
  const taxStep = taxPercent === 0 ? 1 : 100 / gcd(100, taxPercent);
  for (const d of discount === 0 ? [0] : [discount, 0]) {
    for (let cents = start; cents < start + 500; cents++) {
      const scaled = quantity * cents * (100 - d);
      if (scaled % 100 !== 0) continue;
      if ((scaled / 100) % taxStep !== 0) continue;
      return { quantity, priceCents: cents, discount: d };
    }
  }
  throw new Error(`no whole-cent price for ${product.sku}`);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

const carriers = [
  'Coastal Express LTL',
  'Keystone Reefer Lines',
  'Bluewater Freight',
  'Summit Logistics',
  'Harborline Couriers',
];
const chilled = new Set(['Cheeses', 'Charcuterie', 'Tinned & Smoked Fish']);

/** The Cin7 lines of one invoice: 1–6 products from the supplier's range. */
function productLines(
  random: Random,
  supplier: CatalogSupplier,
  range: PlannedProduct[],
  count: number,
): AddLineInput[] {
  const taxPercent = taxPercentOf(supplier);
  const chosen = shuffle(random, [...range]).slice(0, Math.min(count, range.length));
  return chosen.map((product) => {
    const line = chooseLine(random, product, taxPercent);
    return {
      SKU: product.sku,
      Name: product.name,
      Quantity: line.quantity,
      Price: line.priceCents / 100,
      ...(line.discount ? { Discount: line.discount } : {}),
    };
  });
}

function freight(
  random: Random,
  supplier: CatalogSupplier,
  lines: AddLineInput[],
  range: PlannedProduct[],
): AddChargeInput[] {
  const cold = lines.some((l) => chilled.has(range.find((p) => p.sku === l.SKU)?.category ?? ''));
  const charges: AddChargeInput[] = [
    {
      Description: cold ? 'Refrigerated freight' : 'Freight',
      Reference: pick(random, carriers),
      Price: between(random, 35, 240),
      Account: accounts.freight,
    },
  ];
  if (random() < 0.15 && !supplier.currency) {
    charges.push({
      Description: 'Pallet handling fee',
      Price: between(random, 15, 40),
      Account: accounts.generalExpenses,
    });
  }
  return charges;
}

const unmappedLines: Record<'640' | '477' | '715', AddLineInput> = {
  '640': { Name: 'Tasting samples for in-store demos', Quantity: 1, Price: 60, Account: accounts.samples },
  '477': { Name: 'Gift boxes and tissue', Quantity: 50, Price: 1.2, Account: accounts.packaging },
  '715': { Name: 'Landed cost adjustment', Quantity: 1, Price: 35, Account: accounts.inventoryControl },
};

/** Builds the whole scenario from the seed: master data, purchases, triggers and the expected outcome. */
export function buildScenario(options: ScenarioOptions): Scenario {
  const random = seededRandom(options.seed);
  const today = options.today ?? new Date();
  const day0 = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());

  const products: PlannedProduct[] = categories.flatMap((category) =>
    category.products.map((name, i) => ({
      sku: `${category.skuPrefix}-${String(i + 1).padStart(3, '0')}`,
      name,
      category: category.name,
      costCents: Math.round((category.cost[0] + random() * (category.cost[1] - category.cost[0])) * 100),
    })),
  );
  const rangeOf = (supplier: CatalogSupplier) => products.filter((p) => supplier.categories.includes(p.category));

  const slots = planSlots(random, options.purchases);
  // Enough purchases for the euro and tax-inclusive suppliers to show up even in a small run.
  const forced = [
    ...Array.from({ length: Math.max(2, Math.round(options.purchases * 0.04)) }, () =>
      supplierNamed('Frantoio Bellavista S.r.l.'),
    ),
    ...Array.from({ length: Math.max(2, Math.round(options.purchases * 0.04)) }, () =>
      supplierNamed('Harbor Artisan Bakery Supply'),
    ),
    supplierNamed("O'Brien Fine Foods"),
  ];
  const supplierOrder = shuffle(
    random,
    slots.map((_, i) => forced[i] ?? weightedSupplier(random)),
  );
  const invoiceSeq = new Map<string, number>();
  const nextInvoiceNumber = (supplier: CatalogSupplier) => {
    const n = (invoiceSeq.get(supplier.name) ?? between(random, 1000, 8000)) + between(random, 1, 9);
    invoiceSeq.set(supplier.name, n);
    return `${supplier.invoicePrefix}-${26000 + n}`;
  };

  let wrongTaskIdUsed = false;
  let twiceUsed = false;
  const purchases: PlannedPurchase[] = slots.map((slot, index) => {
    let supplier = supplierOrder[index] ?? weightedSupplier(random);
    // A tax-inclusive invoice's total does not include keyed tax, so a keyed-tax mismatch needs an exclusive one.
    if (slot.mismatch && supplier.taxInclusive) supplier = supplierNamed('Alpine Cheese Traders');
    const range = rangeOf(supplier);
    const orderDate = new Date(day0 - (options.purchases - index) * 6 * 3_600_000 - 86_400_000);
    const invoiceDate = (offsetDays: number) =>
      new Date(
        Date.UTC(orderDate.getUTCFullYear(), orderDate.getUTCMonth(), orderDate.getUTCDate()) + offsetDays * 86_400_000,
      );
    const notes: string[] = [];
    const invoice = (
      status: SimInvoiceStatus,
      lines: AddLineInput[],
      withFreight: boolean,
      offsetDays: number,
    ): PlannedInvoice => ({
      status,
      invoiceNumber: nextInvoiceNumber(supplier),
      invoiceDate: invoiceDate(offsetDays),
      lines,
      charges: withFreight ? freight(random, supplier, lines, range) : [],
      expect: { state: 'posted' },
    });
    const wantsFreight = () => random() < 0.35;

    const planned: PlannedPurchase = {
      orderNumber: `PO-${String(index + 1).padStart(5, '0')}`,
      kind: slot.kind,
      supplier,
      location: random() < 0.62 ? locations.main : locations.coastal,
      approach: slot.kind === 'stock-first' ? 'STOCK' : 'INVOICE',
      orderDate,
      invoices: [],
      trigger: 'none',
      notes,
    };
    switch (slot.kind) {
      case 'draft':
        planned.status = 'DRAFT';
        break;
      case 'ordered':
        break;
      case 'ordered-draft-invoice':
        planned.invoices.push(
          invoice(
            'DRAFT',
            productLines(random, supplier, range, between(random, 1, 5)),
            wantsFreight(),
            between(random, 2, 9),
          ),
        );
        break;
      case 'authorised':
      case 'paid':
      case 'stock-first': {
        const lines = productLines(random, supplier, range, between(random, 1, 6));
        for (const gap of slot.gaps ?? []) lines.push({ ...unmappedLines[gap] });
        const inv = invoice(slot.kind === 'paid' ? 'PAID' : 'AUTHORISED', lines, wantsFreight(), between(random, 2, 9));
        if (slot.blankNumber) {
          inv.invoiceNumber = '';
          notes.push('supplier invoice number left blank: the order number is used');
        }
        if (slot.mismatch) {
          const first = lines[0];
          // The supplier's bill shows a tax amount that differs from the tax rule's (keyed as printed).
          if (first)
            first.Tax = round2(
              ((first.Quantity * first.Price * (100 - (first.Discount ?? 0))) / 100) * (taxPercentOf(supplier) / 100) +
                2.4,
            );
          notes.push('tax keyed from the supplier bill differs by 2.40: BC total will not match');
        }
        if (slot.gaps) notes.push(`coded to Cin7 account(s) ${slot.gaps.join(', ')}`);
        if (slot.kind === 'stock-first') notes.push('Approach STOCK');
        planned.invoices.push(inv);
        break;
      }
      case 'multi-invoice': {
        const patterns: SimInvoiceStatus[][] = [
          ['AUTHORISED', 'AUTHORISED'],
          ['PAID', 'AUTHORISED'],
          ['PAID', 'PAID', 'AUTHORISED'],
          ['AUTHORISED', 'AUTHORISED', 'DRAFT'],
        ];
        const statuses = pick(random, patterns);
        statuses.forEach((status, i) => {
          planned.invoices.push(
            invoice(
              status,
              productLines(random, supplier, range, between(random, 1, 4)),
              i === 0 && wantsFreight(),
              3 + i * between(random, 5, 12),
            ),
          );
        });
        notes.push(`advanced purchase with ${statuses.length} invoices (${statuses.join(', ')})`);
        break;
      }
      case 'voided':
        planned.status = 'VOIDED';
        planned.invoices.push(
          invoice('VOIDED', productLines(random, supplier, range, between(random, 1, 4)), false, between(random, 2, 6)),
        );
        notes.push('purchase voided');
        break;
      case 're-invoiced': {
        const lines = productLines(random, supplier, range, between(random, 2, 5));
        planned.invoices.push(invoice('VOIDED', lines, false, 3));
        planned.invoices.push(
          invoice(
            'AUTHORISED',
            lines.map((l) => ({ ...l })),
            wantsFreight(),
            5,
          ),
        );
        notes.push('first invoice voided, replacement authorised');
        break;
      }
    }
    for (const inv of planned.invoices) inv.expect = expectInvoice(planned, inv, slot);

    const pollFinds =
      planned.status !== 'DRAFT' && planned.invoices.some((i) => i.status === 'AUTHORISED' || i.status === 'PAID');
    if (pollFinds) {
      const roll = random();
      if (!wrongTaskIdUsed && planned.invoices.length === 1) {
        planned.trigger = 'invoice-webhook-wrong-task-id';
        wrongTaskIdUsed = true;
      } else if (!twiceUsed || roll < 0.08) {
        planned.trigger = 'invoice-webhook-twice';
        twiceUsed = true;
      } else planned.trigger = roll < 0.8 ? 'invoice-webhook' : 'poll-only';
    } else if (slot.kind === 'voided') {
      planned.trigger = 'purchase-updated';
    } else {
      // Half of the drafts and open orders were touched recently and announced by Purchase/Updated.
      planned.trigger = index % 2 === 0 ? 'purchase-updated' : 'none';
    }
    return planned;
  });
  // Every no-invoice kind is announced at least once, so each skip reason shows up.
  for (const kind of ['draft', 'ordered', 'ordered-draft-invoice'] as const) {
    const ofKind = purchases.filter((p) => p.kind === kind);
    if (ofKind.length > 0 && !ofKind.some((p) => p.trigger === 'purchase-updated'))
      (ofKind[0] as PlannedPurchase).trigger = 'purchase-updated';
  }

  return {
    seed: options.seed,
    products,
    suppliers,
    purchases,
    mappings: demoMappings,
    expected: expectedOutcome(purchases),
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

/** What the connector should do with one invoice (DESIGN §4 eligibility, §3.2 mappings, §3.5 totals). */
function expectInvoice(purchase: PlannedPurchase, invoice: PlannedInvoice, slot: Slot): InvoiceExpectation {
  if (purchase.status === 'VOIDED') return { state: 'skipped', reason: skipReasons.purchaseVoided };
  if (invoice.status !== 'AUTHORISED' && invoice.status !== 'PAID')
    return { state: 'skipped', reason: skipReasons.invoiceStage(invoice.status) };
  if (slot.gaps && slot.gaps.length > 0)
    return { state: 'needs-mapping', gaps: slot.gaps.map((code) => `account:${code}`) };
  if (slot.mismatch) return { state: 'amount-mismatch' };
  return { state: 'posted' };
}

/** Counts the expectation over every record the triggers reach. */
export function expectedOutcome(purchases: readonly PlannedPurchase[]): ExpectedOutcome {
  const expected: ExpectedOutcome = {
    records: 0,
    posted: 0,
    skipped: {},
    needsMapping: 0,
    gaps: {},
    amountMismatch: 0,
    failed: 0,
    diverged: 0,
    bcInvoices: 0,
  };
  const skip = (reason: string) => {
    expected.skipped[reason] = (expected.skipped[reason] ?? 0) + 1;
  };
  for (const purchase of purchases) {
    if (purchase.trigger === 'none') continue;
    if (purchase.invoices.length === 0) {
      expected.records += 1;
      skip(skipReasons.noInvoice(purchase.status ?? 'ORDERED'));
      continue;
    }
    for (const invoice of purchase.invoices) {
      expected.records += 1;
      const outcome = invoice.expect;
      switch (outcome.state) {
        case 'posted':
          expected.posted += 1;
          expected.bcInvoices += 1;
          break;
        case 'skipped':
          skip(outcome.reason);
          break;
        case 'needs-mapping':
          expected.needsMapping += 1;
          for (const gap of outcome.gaps) expected.gaps[gap] = (expected.gaps[gap] ?? 0) + 1;
          break;
        case 'amount-mismatch':
          expected.amountMismatch += 1;
          expected.bcInvoices += 1;
          break;
      }
    }
  }
  return expected;
}

// ------------------------------------------------------------------------------------------------ seeding

/** One webhook delivery the demo fires, in order. */
export interface PlannedDelivery {
  event: Cin7WebhookEvent;
  /** e.g. `PO-00042 InvoiceAuthorised (repeat)`. */
  label: string;
}

export interface SeededScenario {
  scenario: Scenario;
  /** The simulator's purchase by order number. */
  purchases: Map<string, { plan: PlannedPurchase; sim: SimPurchase }>;
  deliveries: PlannedDelivery[];
}

/** BC's side: the company as the partner found it (chart of accounts, tax groups, currencies, vendors). */
function seedBc(sandbox: Sandbox): void {
  const { bc } = sandbox;
  bc.setLocalCurrency('USD');
  const chart: Array<[string, string, boolean]> = [
    ['200', 'Sales', true],
    ['425', 'Freight & courier', true],
    ['429', 'General expenses', true],
    ['630', 'Inventory purchases', true],
    ['712', 'Bank', true],
    // Exists in BC, but as a control account without direct posting: a Cin7 line coded to it is a gap.
    ['715', 'Inventory control', false],
    ['800', 'Accounts payable (control)', false],
    ['820', 'Sales tax payable', false],
    ['5100', 'Purchase discounts', true],
    ['6110', 'Warehouse rent', true],
  ];
  for (const [number, displayName, directPosting] of chart) {
    bc.addAccount({ number, displayName, accountType: 'Posting', directPosting });
  }
  bc.addAccount({ number: '6000', displayName: 'OPERATING EXPENSES', accountType: 'Heading', directPosting: false });
  for (const rule of taxRules) {
    bc.addTaxGroup(rule.name.toUpperCase(), rule.percent, rule.name);
    // A W1 (VAT) company: the rate comes from VAT Posting Setup, the vendors' DOMESTIC VAT business posting group
    // (the vendor template's) × the line's VAT product posting group (PurchaseLine.Table.al:1563).
    bc.addVatPostingSetup('DOMESTIC', rule.name.toUpperCase(), rule.percent);
  }
  bc.addCurrency('EUR', 'Euro');
  bc.addCurrency('GBP', 'Pound sterling');
  bc.addCurrency('CAD', 'Canadian dollar');
  bc.addDimension(
    'AREA',
    [
      { code: 'EAST', displayName: 'East coast' },
      { code: 'WEST', displayName: 'West coast' },
    ],
    'Area',
  );
  bc.addDimension(
    'DEPARTMENT',
    [
      { code: 'PURCHASING', displayName: 'Purchasing' },
      { code: 'SALES', displayName: 'Sales' },
      { code: 'IMPORTS', displayName: 'Imports' },
    ],
    'Department',
  );
  bc.addDimension('CHANNEL', [{ code: 'WHOLESALE', displayName: 'Wholesale' }], 'Sales channel');
  for (const supplier of suppliers) {
    const vendor = bc.addVendor({
      displayName: supplier.match === 'name' ? supplier.name : (supplier.bcName ?? supplier.name),
      ...(supplier.match === 'tax-number' && supplier.bcTaxNumber
        ? { taxRegistrationNumber: supplier.bcTaxNumber }
        : {}),
      ...(supplier.currency ? { currencyCode: supplier.currency } : {}),
      city: supplier.city,
      country: supplier.country,
    });
    bc.setTableFields(str(vendor.id), { defaultDimensions: vendorDefaultDimensions(supplier.name) });
  }
  // G/L account defaults reach every line on the account whose vendor does not default the same dimension.
  for (const [number, defaults] of accountDefaultDimensions) {
    const account = bc.data.accounts.find((a) => a.number === number);
    if (account) bc.setTableFields(str(account.id), { defaultDimensions: defaults });
  }
}

/**
 * Default dimensions as a partner finds them in BC: every vendor defaults DEPARTMENT=PURCHASING (the rules agree,
 * except for the imports desk's supplier), two default AREA=WEST (the rules disagree for the main warehouse),
 * and one a CHANNEL the rules never name, which BC keeps.
 */
function vendorDefaultDimensions(supplierName: string): Array<{ code: string; valueCode: string }> {
  const defaults = [{ code: 'DEPARTMENT', valueCode: 'PURCHASING' }];
  if (supplierName === 'Tuscan Groves Olive Oil Co.' || supplierName === 'Pacific Sea Salt Works') {
    defaults.push({ code: 'AREA', valueCode: 'WEST' });
  }
  if (supplierName === 'Tuscan Groves Olive Oil Co.') defaults.push({ code: 'CHANNEL', valueCode: 'WHOLESALE' });
  return defaults;
}

/** Inventory purchases default AREA=EAST (wrong for the coastal DC); freight defaults DEPARTMENT=SALES (the vendor's wins). */
const accountDefaultDimensions = new Map<string, Array<{ code: string; valueCode: string }>>([
  [accounts.inventory, [{ code: 'AREA', valueCode: 'EAST' }]],
  [accounts.freight, [{ code: 'DEPARTMENT', valueCode: 'SALES' }]],
]);

/** Cin7's side: reference data, suppliers, products and purchases. */
function seedCin7(sandbox: Sandbox, scenario: Scenario): Map<string, { plan: PlannedPurchase; sim: SimPurchase }> {
  const { cin7 } = sandbox;
  cin7.addLocation(locations.coastal);
  cin7.addAccount({ Code: accounts.freight, Name: 'Freight & Courier', Type: 'EXPENSE', Class: 'EXPENSE' });
  cin7.addAccount({ Code: accounts.packaging, Name: 'Packaging Materials', Type: 'EXPENSE', Class: 'EXPENSE' });
  cin7.addAccount({ Code: accounts.samples, Name: 'Samples & Tastings', Type: 'EXPENSE', Class: 'EXPENSE' });
  for (const rule of taxRules) {
    if (!cin7.state.taxRules.some((t) => t.Name === rule.name))
      cin7.addTaxRule({ Name: rule.name, TaxPercent: rule.percent, IsTaxForSale: false });
  }
  cin7.addPaymentTerm({ Name: 'Net 45', Duration: 45 });
  for (const category of categories) cin7.addCategory(category.name);
  cin7.addUnit('Each');
  for (const product of scenario.products) {
    cin7.addProduct({
      SKU: product.sku,
      Name: product.name,
      Category: product.category,
      UOM: 'Each',
      PriceTier1: round2((product.costCents / 100) * 1.8),
    });
  }
  const supplierIds = new Map<string, string>();
  for (const supplier of scenario.suppliers) {
    const slug = supplier.name.toLowerCase().replace(/[^a-z]+/g, '');
    const created = cin7.addSupplier({
      Name: supplier.name,
      TaxNumber: supplier.taxNumber,
      ...(supplier.currency ? { Currency: supplier.currency } : {}),
      ...(supplier.taxRule ? { TaxRule: supplier.taxRule } : {}),
      ...(supplier.paymentTerm ? { PaymentTerm: supplier.paymentTerm } : {}),
      Addresses: [{ Line1: '1 Market Street', City: supplier.city, Country: supplier.country, Type: 'Business' }],
      Contacts: [{ Name: 'Accounts receivable', Email: `ar@${slug.slice(0, 20)}.example` }],
    });
    supplierIds.set(supplier.name, created.ID);
  }
  const seeded = new Map<string, { plan: PlannedPurchase; sim: SimPurchase }>();
  for (const plan of scenario.purchases) {
    const sim = cin7.addPurchase({
      SupplierID: supplierIds.get(plan.supplier.name) ?? '',
      OrderNumber: plan.orderNumber,
      Approach: plan.approach,
      OrderDate: plan.orderDate,
      Location: plan.location,
      TaxCalculation: plan.supplier.taxInclusive ? 'Inclusive' : 'Exclusive',
      ...(plan.supplier.currency ? { CurrencyRate: 0.92 } : {}),
      ...(plan.status ? { Status: plan.status } : {}),
      invoices: plan.invoices.map((inv) => ({
        InvoiceNumber: inv.invoiceNumber,
        Status: inv.status,
        InvoiceDate: inv.invoiceDate,
        Lines: inv.lines,
        AdditionalCharges: inv.charges,
      })),
    });
    seeded.set(plan.orderNumber, { plan, sim });
  }
  return seeded;
}

/** The webhook deliveries, in a seeded order, with repeats a little later than their first delivery. */
function planDeliveries(
  scenario: Scenario,
  seeded: Map<string, { plan: PlannedPurchase; sim: SimPurchase }>,
): PlannedDelivery[] {
  const random = seededRandom(scenario.seed + 7919);
  const first: PlannedDelivery[] = [];
  const repeats: PlannedDelivery[] = [];
  const updated: string[] = [];
  for (const { plan, sim } of seeded.values()) {
    const authorised = sim.Invoices.filter((i) => i.Status === 'AUTHORISED' || i.Status === 'PAID');
    switch (plan.trigger) {
      case 'invoice-webhook':
      case 'invoice-webhook-twice':
        authorised.forEach((invoice, i) => {
          const delivery = {
            event: { type: 'Purchase/InvoiceAuthorised', purchaseId: sim.ID, taskId: invoice.TaskID } as const,
            label: `${plan.orderNumber} InvoiceAuthorised ${invoice.InvoiceNumber || '(no number)'}`,
          };
          first.push(delivery);
          if (plan.trigger === 'invoice-webhook-twice' && i === 0)
            repeats.push({ ...delivery, label: `${delivery.label} (repeat)` });
        });
        break;
      case 'invoice-webhook-wrong-task-id':
        first.push({
          event: { type: 'Purchase/InvoiceAuthorised', purchaseId: sim.ID, wrongTaskId: true },
          label: `${plan.orderNumber} InvoiceAuthorised with a wrong TaskID`,
        });
        break;
      case 'purchase-updated':
        updated.push(sim.ID);
        break;
      case 'poll-only':
      case 'none':
        break;
    }
  }
  const deliveries = shuffle(random, first);
  for (const repeat of repeats) {
    const original = deliveries.findIndex((d) => d.label === repeat.label.replace(' (repeat)', ''));
    const at = between(random, original + 1, deliveries.length);
    deliveries.splice(at, 0, repeat);
  }
  // Cin7 batches Purchase/Updated; the demo sends them in batches of up to 10, spread through the run.
  for (let i = 0; i < updated.length; i += 10) {
    const batch = updated.slice(i, i + 10);
    deliveries.splice(between(random, 0, deliveries.length), 0, {
      event: { type: 'Purchase/Updated', purchaseIds: batch },
      label: `Purchase/Updated for ${batch.length} purchase(s)`,
    });
  }
  return deliveries;
}

/** Seeds both simulators and the dimension mappings; returns what to fire. */
export async function seedScenario(sandbox: Sandbox, scenario: Scenario): Promise<SeededScenario> {
  seedBc(sandbox);
  const purchases = seedCin7(sandbox, scenario);
  for (const mapping of scenario.mappings) await sandbox.deps.stores.mappings.upsert(mapping);
  return { scenario, purchases, deliveries: planDeliveries(scenario, purchases) };
}

/** Counts for the banner: what the scenario contains. */
export function describeScenario(scenario: Scenario): Record<string, number> {
  const kinds: Record<string, number> = {};
  for (const p of scenario.purchases) kinds[p.kind] = (kinds[p.kind] ?? 0) + 1;
  const invoices = scenario.purchases.reduce((n, p) => n + p.invoices.length, 0);
  const withFreight = scenario.purchases.reduce((n, p) => n + p.invoices.filter((i) => i.charges.length > 0).length, 0);
  return {
    suppliers: scenario.suppliers.length,
    products: scenario.products.length,
    purchases: scenario.purchases.length,
    invoices,
    withFreight,
    ...kinds,
  };
}
