/**
 * The chaos suite's purchases: every shape the connector meets, planned from a seed, seeded into the Cin7 and
 * BC simulators, with the ledger state each invoice should reach and how Cin7 announces it.
 *
 * Amounts are whole cents after tax (prices in multiples of 0.10 or 1.10 and 5/10 % rates), so Cin7 and BC
 * agree on every total except where a mismatch is planned.
 */
import type { Sandbox } from '../sandbox/sandbox.js';
import type { AddChargeInput, AddInvoiceInput, AddLineInput } from '../sandbox/cin7/simulator.js';
import type { Cin7WebhookEvent } from '../sandbox/cin7/webhooks.js';
import type { SimPurchase } from '../sandbox/cin7/state.js';
import { seededRandom } from '../sandbox/faults.js';
import { addSupplierWithVendor, seedMatchingReference } from '../support/seed.js';
import { registerPurchaseWebhooks } from '../support/cin7-webhooks.js';

export type ChaosShape =
  | 'authorised'
  | 'paid'
  | 'stock-first'
  | 'multi-invoice'
  | 'with-freight'
  | 'awkward-number'
  | 'foreign-currency'
  | 'tax-inclusive'
  | 'needs-mapping'
  | 'amount-mismatch'
  | 're-invoiced'
  | 'voided'
  | 'draft-invoice'
  | 'ordered';

/** Relative weights: most purchases are ordinary, every shape appears at N ≥ 60. */
const shapeWeights: ReadonlyArray<[ChaosShape, number]> = [
  ['authorised', 22],
  ['paid', 6],
  ['stock-first', 6],
  ['multi-invoice', 8],
  ['with-freight', 10],
  ['awkward-number', 6],
  ['foreign-currency', 5],
  ['tax-inclusive', 5],
  ['needs-mapping', 4],
  ['amount-mismatch', 4],
  ['re-invoiced', 5],
  ['voided', 4],
  ['draft-invoice', 5],
  ['ordered', 4],
];

export type ExpectedState = 'posted' | 'skipped' | 'needs-mapping' | 'amount-mismatch';

/** How Cin7 tells the connector about a purchase (on top of the overlapping polls, which see every eligible one). */
export type ChaosTrigger = 'invoice-webhook' | 'purchase-updated' | 'both' | 'poll-only';

export interface ChaosInvoicePlan {
  status: 'AUTHORISED' | 'PAID' | 'DRAFT' | 'VOIDED';
  invoiceNumber: string;
  lines: AddLineInput[];
  charges: AddChargeInput[];
  expect: ExpectedState;
}

export interface ChaosPurchasePlan {
  index: number;
  shape: ChaosShape;
  supplierIndex: number;
  approach: 'INVOICE' | 'STOCK';
  taxInclusive: boolean;
  invoices: ChaosInvoicePlan[];
  trigger: ChaosTrigger;
  /** Deliveries of each webhook (Cin7 repeats them): 1–3. */
  repeats: number;
}

export interface ChaosPlan {
  seed: number;
  supplierCount: number;
  /** Index of the supplier that invoices in EUR. */
  euroSupplier: number;
  purchases: ChaosPurchasePlan[];
}

/** An expected ledger record (one per invoice, or one per purchase without invoices). */
export interface ExpectedRecord {
  recordId: string;
  purchaseId: string;
  label: string;
  shape: ChaosShape;
  expect: ExpectedState;
  /** AUTHORISED or PAID and of an eligible approach. */
  eligible: boolean;
  /** A credit note's record (keyed like an invoice's), with the record id of the invoice it credits. */
  creditNote?: { credits: string };
}

export interface SeededChaos {
  plan: ChaosPlan;
  purchases: Array<{ plan: ChaosPurchasePlan; sim: SimPurchase }>;
  records: ExpectedRecord[];
  /** Webhook deliveries in a seeded random order, repeats included. */
  deliveries: Cin7WebhookEvent[];
}

/** Accounts and tax rules the shapes need beyond `seedMatchingReference`. */
const unmappedAccount = '641';
const mismatchTaxRule = 'Import Duty';

export function planChaos(options: { purchases: number; seed: number }): ChaosPlan {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const totalWeight = shapeWeights.reduce((sum, [, w]) => sum + w, 0);
  const supplierCount = Math.max(6, Math.ceil(options.purchases / 25));
  const euroSupplier = supplierCount - 1;

  const purchases: ChaosPurchasePlan[] = [];
  for (let index = 0; index < options.purchases; index += 1) {
    // The first purchases walk through every shape once, so even a small run covers them all.
    let shape: ChaosShape;
    if (index < shapeWeights.length) {
      shape = shapeWeights[index]?.[0] ?? 'authorised';
    } else {
      let roll = random() * totalWeight;
      shape = 'authorised';
      for (const [candidate, weight] of shapeWeights) {
        roll -= weight;
        if (roll < 0) {
          shape = candidate;
          break;
        }
      }
    }
    const number = (n: number): string => `CH-${String(index + 1).padStart(4, '0')}-${n}`;
    const lines = (taxRule?: string): AddLineInput[] =>
      Array.from({ length: int(1, 4) }, (_, i) => ({
        SKU: `SKU-${int(1, 40)}`,
        Name: `Chaos product ${i + 1}`,
        Quantity: int(1, 24),
        // Multiples of 0.10: 10 % tax is whole cents.
        Price: int(5, 400) / 10,
        ...(taxRule ? { TaxRule: taxRule } : {}),
      }));
    const invoice = (n: number, overrides: Partial<ChaosInvoicePlan> = {}): ChaosInvoicePlan => ({
      status: 'AUTHORISED',
      invoiceNumber: number(n),
      lines: lines(),
      charges: [],
      expect: 'posted',
      ...overrides,
    });

    let invoices: ChaosInvoicePlan[];
    let supplierIndex = int(0, supplierCount - 2);
    let approach: 'INVOICE' | 'STOCK' = 'INVOICE';
    let taxInclusive = false;
    switch (shape) {
      case 'authorised':
        invoices = [invoice(1)];
        break;
      case 'paid':
        invoices = [invoice(1, { status: 'PAID' })];
        break;
      case 'stock-first':
        approach = 'STOCK';
        invoices = [invoice(1)];
        break;
      case 'multi-invoice':
        invoices = Array.from({ length: int(2, 3) }, (_, i) =>
          invoice(i + 1, { status: i === 0 && random() < 0.3 ? 'PAID' : 'AUTHORISED' }),
        );
        break;
      case 'with-freight':
        invoices = [
          invoice(1, { charges: [{ Description: 'Freight', Quantity: 1, Price: int(10, 90), Account: '820' }] }),
        ];
        break;
      case 'awkward-number':
        // OData quotes, '#', '&', '/', '+', '%' and non-ASCII, as clerks type them (BC: Code[35]).
        invoices = [
          invoice(1, {
            invoiceNumber: `${pick(["O'BRIEN", 'A&B', 'Nº', 'ÜBER', "D'ART"])}#${index + 1}/${pick(['&Co', '+1', "''", '%20', '?x'])}`,
          }),
        ];
        break;
      case 'foreign-currency':
        supplierIndex = euroSupplier;
        invoices = [invoice(1)];
        break;
      case 'tax-inclusive':
        taxInclusive = true;
        // Multiples of 1.10 including 10 % tax: whole cents either way.
        invoices = [
          invoice(1, {
            lines: [
              { SKU: 'INCL-1', Name: 'Tax-inclusive line', Quantity: int(1, 12), Price: (int(1, 60) * 110) / 100 },
            ],
          }),
        ];
        break;
      case 'needs-mapping':
        invoices = [
          invoice(1, {
            lines: [...lines(), { SKU: 'SAMPLE', Name: 'Samples', Quantity: 1, Price: 25, Account: unmappedAccount }],
            expect: 'needs-mapping',
          }),
        ];
        break;
      case 'amount-mismatch':
        // Cin7 charges 5 %, the BC tax group of the same name 8 %: the totals differ by more than the tolerance.
        invoices = [
          invoice(1, {
            lines: [{ SKU: 'DUTY-1', Name: 'Dutiable goods', Quantity: int(2, 10), Price: int(20, 90) }].map((l) => ({
              ...l,
              TaxRule: mismatchTaxRule,
            })),
            expect: 'amount-mismatch',
          }),
        ];
        break;
      case 're-invoiced':
        invoices = [invoice(1, { status: 'VOIDED', expect: 'skipped' }), invoice(2)];
        break;
      case 'voided':
        invoices = [invoice(1, { status: 'VOIDED', expect: 'skipped' })];
        break;
      case 'draft-invoice':
        invoices = [invoice(1, { status: 'DRAFT', expect: 'skipped' })];
        break;
      case 'ordered':
        invoices = [];
        break;
    }
    const announcesByInvoice = invoices.some((i) => i.status === 'AUTHORISED' || i.status === 'PAID');
    const roll = random();
    const trigger: ChaosTrigger = !announcesByInvoice
      ? 'purchase-updated'
      : roll < 0.45
        ? 'invoice-webhook'
        : roll < 0.65
          ? 'purchase-updated'
          : roll < 0.8
            ? 'both'
            : 'poll-only';
    purchases.push({ index, shape, supplierIndex, approach, taxInclusive, invoices, trigger, repeats: int(1, 3) });
  }
  return { seed: options.seed, supplierCount, euroSupplier, purchases };
}

/** Seeds BC's reference data and vendors, Cin7's suppliers and purchases, and registers Cin7's webhooks. */
export function seedChaos(sandbox: Sandbox, plan: ChaosPlan): SeededChaos {
  seedMatchingReference(sandbox);
  sandbox.bc.addTaxGroup(mismatchTaxRule.toUpperCase(), 8, mismatchTaxRule);
  sandbox.cin7.addTaxRule({ Name: mismatchTaxRule, TaxPercent: 5, IsTaxForPurchase: true, IsTaxForSale: false });
  sandbox.cin7.addAccount({ Code: unmappedAccount, Name: 'Samples & tastings', Type: 'EXPENSE', Class: 'EXPENSE' });
  const suppliers = Array.from(
    { length: plan.supplierCount },
    (_, i) =>
      addSupplierWithVendor(
        sandbox,
        `Chaos Supplier ${plan.seed}-${i + 1}`,
        i === plan.euroSupplier ? { currency: 'EUR' } : {},
      ).supplier,
  );
  registerPurchaseWebhooks(sandbox);

  const purchases = plan.purchases.map((p) => {
    const invoices: AddInvoiceInput[] = p.invoices.map((i) => ({
      InvoiceNumber: i.invoiceNumber,
      Status: i.status,
      Lines: i.lines,
      AdditionalCharges: i.charges,
    }));
    const sim = sandbox.cin7.addPurchase({
      SupplierID: suppliers[p.supplierIndex]?.ID ?? '',
      OrderNumber: `PO-CH${String(p.index + 1).padStart(5, '0')}`,
      Approach: p.approach,
      ...(p.taxInclusive ? { TaxCalculation: 'Inclusive' as const } : {}),
      invoices,
    });
    return { plan: p, sim };
  });

  const records: ExpectedRecord[] = [];
  for (const { plan: p, sim } of purchases) {
    if (sim.Invoices.length === 0) {
      records.push({
        recordId: `${sim.ID.toLowerCase()}/-`,
        purchaseId: sim.ID.toLowerCase(),
        label: `${sim.OrderNumber} (no invoice)`,
        shape: p.shape,
        expect: 'skipped',
        eligible: false,
      });
    }
    sim.Invoices.forEach((invoice, i) => {
      const planned = p.invoices[i];
      records.push({
        recordId: `${sim.ID.toLowerCase()}/${invoice.TaskID.toLowerCase()}`,
        purchaseId: sim.ID.toLowerCase(),
        label: `${sim.OrderNumber} / ${invoice.InvoiceNumber}`,
        shape: p.shape,
        expect: planned?.expect ?? 'posted',
        eligible: invoice.Status === 'AUTHORISED' || invoice.Status === 'PAID',
      });
    });
  }

  records.push(...seedCreditNotes(sandbox, purchases));

  const random = seededRandom(plan.seed ^ 0x5eed);
  const deliveries: Cin7WebhookEvent[] = [];
  const updated: string[] = [];
  for (const { plan: p, sim } of purchases) {
    for (let r = 0; r < p.repeats; r += 1) {
      if (p.trigger === 'invoice-webhook' || p.trigger === 'both') {
        for (const invoice of sim.Invoices.filter((i) => i.Status === 'AUTHORISED' || i.Status === 'PAID')) {
          // One in ten announces a wrong TaskID (reference §7.3): resolved by the order number.
          deliveries.push({
            type: 'Purchase/InvoiceAuthorised',
            purchaseId: sim.ID,
            ...(random() < 0.1 ? { wrongTaskId: true } : { taskId: invoice.TaskID }),
          });
        }
        for (const note of sim.CreditNotes.filter((c) => c.Status === 'AUTHORISED')) {
          deliveries.push({ type: 'Purchase/CreditNoteAuthorised', purchaseId: sim.ID, taskId: note.TaskID });
        }
      }
      if (p.trigger === 'purchase-updated' || p.trigger === 'both') updated.push(sim.ID);
    }
  }
  // Cin7 batches Purchase/Updated: groups of up to 5 purchases, in random order.
  const shuffledUpdates = shuffle(updated, random);
  for (let i = 0; i < shuffledUpdates.length; i += 5)
    deliveries.push({ type: 'Purchase/Updated', purchaseIds: shuffledUpdates.slice(i, i + 5) });
  return { plan, purchases, records, deliveries: shuffle(deliveries, random) };
}

export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/**
 * Returns: every third purchase whose first invoice should post or park gets an AUTHORISED credit note for one
 * unit of its first line, crediting that invoice; every seventh also a DRAFT one. A credit note of a posted
 * invoice posts (applied); one of a parked invoice waits for it (needs-mapping naming the invoice).
 */
function seedCreditNotes(
  sandbox: Sandbox,
  purchases: ReadonlyArray<{ plan: ChaosPurchasePlan; sim: SimPurchase }>,
): ExpectedRecord[] {
  const records: ExpectedRecord[] = [];
  for (const { plan: p, sim } of purchases) {
    const invoice = sim.Invoices[0];
    const planned = p.invoices[0];
    const line = invoice?.Lines[0];
    if (p.index % 3 !== 0 || !invoice || !planned || !line || p.approach !== 'INVOICE') continue;
    if (planned.expect !== 'posted' && planned.expect !== 'needs-mapping') continue;
    const credits = `${sim.ID.toLowerCase()}/${invoice.TaskID.toLowerCase()}`;
    const notes: Array<{ Status: 'AUTHORISED' | 'DRAFT'; expect: ExpectedState }> = [
      { Status: 'AUTHORISED', expect: planned.expect },
    ];
    if (p.index % 7 === 0) notes.push({ Status: 'DRAFT', expect: 'skipped' });
    for (const [n, note] of notes.entries()) {
      const added = sandbox.cin7.addCreditNote(sim.ID, {
        Status: note.Status,
        CreditNoteNumber: `CR-${invoice.InvoiceNumber}-${n + 1}`,
        CreditNoteInvoiceNumber: invoice.InvoiceNumber,
        Lines: [
          {
            ...(line.SKU ? { SKU: line.SKU } : {}),
            Name: `${line.Name} (returned)`,
            Quantity: 1,
            Price: line.Price,
            TaxRule: line.TaxRule,
            Account: line.Account,
          },
        ],
      });
      records.push({
        recordId: `${sim.ID.toLowerCase()}/${added.TaskID.toLowerCase()}`,
        purchaseId: sim.ID.toLowerCase(),
        label: `${sim.OrderNumber} / ${added.CreditNoteNumber}`,
        shape: p.shape,
        expect: note.expect,
        eligible: note.Status === 'AUTHORISED',
        creditNote: { credits },
      });
    }
  }
  return records;
}
