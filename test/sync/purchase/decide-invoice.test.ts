import { describe, expect, it } from 'vitest';
import type { BcPurchaseInvoice, BcPurchaseInvoiceLine, BcPurchaseInvoiceWithLines } from '../../../src/bc/schemas.js';
import type { LineDimensions } from '../../../src/mapping/to-bc-purchase-invoice.js';
import { decideInvoice, type InvoiceFacts } from '../../../src/sync/purchase/decide-invoice.js';

const key = { vendorNumber: 'V1', vendorInvoiceNumber: 'INV-1' };

function document(overrides: Partial<BcPurchaseInvoice> = {}): BcPurchaseInvoice {
  return { id: 'bc-1', number: '1001', status: 'Draft', ...key, ...overrides };
}

/** One account line 10000 on 6100 whose rules name AREA=NORTH. */
const lines: LineDimensions[] = [
  { sequence: 10000, lineObjectNumber: '6100', dimensions: [{ code: 'AREA', valueCode: 'NORTH' }] },
];

function line(dimensions: BcPurchaseInvoiceLine['dimensionSetLines'], overrides: Partial<BcPurchaseInvoiceLine> = {}) {
  return {
    id: 'line-1',
    sequence: 10000,
    lineType: 'Account',
    lineObjectNumber: '6100',
    dimensionSetLines: dimensions,
    ...overrides,
  };
}

function read(
  dimensions: BcPurchaseInvoiceLine['dimensionSetLines'],
  overrides: Partial<BcPurchaseInvoiceLine> = {},
): BcPurchaseInvoiceWithLines {
  return { ...document(), purchaseInvoiceLines: [line(dimensions, overrides)] };
}

function facts(overrides: Partial<InvoiceFacts> = {}): InvoiceFacts {
  return {
    state: 'pending',
    eligibility: { eligible: true },
    fingerprint: 'f1',
    builtFrom: 'f1',
    documents: [],
    plan: { ok: true, key, lines },
    ...overrides,
  };
}

describe('decideInvoice: the purchase-invoice state table', () => {
  it.each(['posted', 'diverged'] as const)('when the record is %s, then only divergence is checked', (state) => {
    expect(decideInvoice(facts({ state, documents: undefined }))).toEqual({ kind: 'check-posted' });
  });

  it.each(['pending', 'creating', 'created', 'failed', 'needs-mapping', 'amount-mismatch', 'skipped'] as const)(
    'when the record is %s and BC was not looked up yet, then the look-up comes before anything else',
    (state) => {
      expect(decideInvoice(facts({ state, documents: undefined, plan: undefined }))).toEqual({
        kind: 'look-up-documents',
      });
    },
  );

  it('when nothing is in BC and the invoice codes cleanly, then a draft is created under its key', () => {
    expect(decideInvoice(facts())).toEqual({ kind: 'create-draft', key });
  });

  it('when not translated yet, then it is translated first', () => {
    expect(decideInvoice(facts({ plan: undefined }))).toEqual({ kind: 'translate' });
  });

  it('when the record owns a posted invoice, then it is recorded whatever the eligibility or mappings say', () => {
    const posted = document({ status: 'Open' });
    const decided = decideInvoice(
      facts({ documents: [posted], eligibility: { eligible: false, reason: 'VOIDED' }, plan: undefined }),
    );
    expect(decided).toEqual({ kind: 'record-posted', document: posted });
  });

  it('when a posted invoice and a draft are both found, then the draft is deleted first', () => {
    const draft = document({ id: 'bc-2', vendorNumber: 'V0' });
    expect(decideInvoice(facts({ documents: [document({ status: 'Paid' }), draft] }))).toEqual({
      kind: 'delete-drafts',
      drafts: [draft],
      why: 'superseded-by-posted',
    });
  });

  it.each(['In Review', ' ', 'Something new'])(
    'when BC reports status %j, then the record is held, never posted',
    (status) => {
      const held = document({ status });
      expect(decideInvoice(facts({ documents: [held] }))).toEqual({ kind: 'hold', document: held });
    },
  );

  it('when the invoice is no longer eligible and a draft exists, then the draft is deleted', () => {
    const draft = document();
    expect(decideInvoice(facts({ documents: [draft], eligibility: { eligible: false, reason: 'VOIDED' } }))).toEqual({
      kind: 'delete-drafts',
      drafts: [draft],
      why: 'ineligible',
    });
  });

  it('when the invoice is no longer eligible and nothing is in BC, then it is skipped with the reason', () => {
    expect(decideInvoice(facts({ eligibility: { eligible: false, reason: 'DRAFT invoice' } }))).toEqual({
      kind: 'skip',
      reason: 'DRAFT invoice',
    });
  });

  it('when mappings are missing, then the record is parked and its drafts are kept, not deleted', () => {
    const draft = document();
    expect(decideInvoice(facts({ documents: [draft], plan: { ok: false, missing: ['account:477'] } }))).toEqual({
      kind: 'park-gaps',
      missing: ['account:477'],
      drafts: [draft],
    });
  });

  it('when the draft matches the key and was built from this version, then it is read back before anything else', () => {
    const draft = document();
    expect(decideInvoice(facts({ state: 'created', documents: [draft] }))).toEqual({ kind: 'read-draft', draft });
  });

  it('when the read draft carries every rule dimension with its value, then it is posted from that read', () => {
    const draft = read([
      { id: 'dim-area', code: 'AREA', valueCode: 'NORTH' },
      { code: 'DEPT', valueCode: 'ADM' },
    ]);
    expect(decideInvoice(facts({ state: 'created', documents: [document()], read: draft }))).toEqual({
      kind: 'post-draft',
      draft,
    });
  });

  it('when a read of another document is at hand, then the current draft is read first', () => {
    const other = { ...read([]), id: 'bc-9' };
    expect(decideInvoice(facts({ documents: [document()], read: other }))).toEqual({
      kind: 'read-draft',
      draft: document(),
    });
  });

  it('when BC defaulted a rule dimension to another value, then that value is changed before posting', () => {
    const draft = read([{ id: 'dim-area', code: 'AREA', valueCode: 'SOUTH', '@odata.etag': 'W/"1"' }]);
    expect(decideInvoice(facts({ documents: [document()], read: draft }))).toEqual({
      kind: 'complete-dimensions',
      draft,
      fixes: [
        {
          kind: 'change',
          lineId: 'line-1',
          sequence: 10000,
          code: 'AREA',
          valueCode: 'NORTH',
          from: 'SOUTH',
          dimensionId: 'dim-area',
          etag: 'W/"1"',
        },
      ],
    });
  });

  it('when a rule dimension is missing from a line, then it is added before posting', () => {
    const draft = read([]);
    expect(decideInvoice(facts({ documents: [document()], read: draft }))).toEqual({
      kind: 'complete-dimensions',
      draft,
      fixes: [{ kind: 'add', lineId: 'line-1', sequence: 10000, code: 'AREA', valueCode: 'NORTH' }],
    });
  });

  it('when dimensions were written this pass and the read still lacks one, then the draft is parked unposted', () => {
    const draft = read([{ id: 'dim-area', code: 'AREA', valueCode: 'SOUTH' }]);
    expect(decideInvoice(facts({ documents: [document()], read: draft, dimensionsWritten: true }))).toEqual({
      kind: 'park-incomplete',
      draft,
      problems: ['line 10000: AREA=NORTH (BC has SOUTH)'],
    });
  });

  it('when a planned line is not on the draft as built, then the draft is parked unposted, not patched', () => {
    const draft = read([], { lineObjectNumber: '6200' });
    expect(decideInvoice(facts({ documents: [document()], read: draft }))).toEqual({
      kind: 'park-incomplete',
      draft,
      problems: ['line 10000 (6100) is not on the draft as built'],
    });
  });

  it('when the Cin7 invoice changed since the draft was built, then the draft is deleted and rebuilt', () => {
    const draft = document();
    expect(decideInvoice(facts({ documents: [draft], builtFrom: 'f0' }))).toEqual({
      kind: 'delete-drafts',
      drafts: [draft],
      why: 'changed-in-cin7',
    });
  });

  it('when the invoice now codes to another vendor, then the draft under the old vendor is deleted', () => {
    const draft = document({ vendorNumber: 'V0' });
    expect(decideInvoice(facts({ documents: [draft] }))).toEqual({
      kind: 'delete-drafts',
      drafts: [draft],
      why: 'recoded',
    });
  });

  it('when one draft matches and another is left from an earlier key, then only the stale one is deleted', () => {
    const current = document();
    const stale = document({ id: 'bc-2', vendorInvoiceNumber: 'OLD-1' });
    expect(decideInvoice(facts({ documents: [current, stale] }))).toEqual({
      kind: 'delete-drafts',
      drafts: [stale],
      why: 'recoded',
    });
    expect(decideInvoice(facts({ documents: [current] }))).toEqual({ kind: 'read-draft', draft: current });
  });
});
