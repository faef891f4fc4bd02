/**
 * Secrets rotated in Key Vault while the connector runs (issue 11): the client that meets the refusal reads
 * the secret once more, past the cache, and retries once, so a rotation costs no record; a secret that is
 * simply wrong still ends as an auth failure, after exactly one re-read.
 */
import { describe, expect, it } from 'vitest';
import type { Sandbox } from '../sandbox/sandbox.js';
import { addAuthorisedPurchase, addSupplierWithVendor } from '../support/seed.js';
import { announceInvoice, sandboxPerTest } from '../support/invariant-sandbox.js';
import { createMemoryVault, type MemoryVault } from '../support/memory-vault.js';

describe('secret rotation', () => {
  const startWith = sandboxPerTest();
  const start = (vault: MemoryVault): Promise<Sandbox> => startWith({ vault, env: { MAX_ATTEMPTS: '2' } });

  it('when the BC client secret and the Cin7 application key are rotated mid-run, then every invoice posts and no record is failed', async () => {
    // Arrange
    const vault = createMemoryVault();
    const sb = await start(vault);
    const { supplier } = addSupplierWithVendor(sb);
    const before = addAuthorisedPurchase(sb, supplier.ID);
    const afterBc = addAuthorisedPurchase(sb, supplier.ID);
    const afterCin7 = addAuthorisedPurchase(sb, supplier.ID);
    await announceInvoice(sb, before);
    await sb.settle();

    // Act: the BC secret rotates (the old one is refused at once, and the cached token expires) ...
    vault.set('bc-client-secret', 'rotated-bc-secret-71c2');
    sb.entra.rotateClientSecret('rotated-bc-secret-71c2');
    sb.entra.expireAllTokens();
    await announceInvoice(sb, afterBc);
    await sb.settle();
    // ... then the Cin7 key.
    vault.set('cin7-application-key', 'rotated-cin7-key-0b9e');
    sb.cin7.rotateApplicationKey('rotated-cin7-key-0b9e');
    await announceInvoice(sb, afterCin7);
    await sb.settle();

    // Assert
    const ledger = await sb.ledger('purchase-invoice');
    expect(ledger.map((e) => e.state)).toEqual(['posted', 'posted', 'posted']);
    expect(vault.reads('bc-client-secret')).toBe(2);
    expect(vault.reads('cin7-application-key')).toBe(2);
  });

  it('when the BC client secret in the vault is wrong, then the record fails on auth after exactly one re-read', async () => {
    // Arrange
    const vault = createMemoryVault();
    const sb = await start(vault);
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    sb.entra.rotateClientSecret('a-secret-the-vault-never-got');

    // Act
    await announceInvoice(sb, purchase);
    await sb.settle();

    // Assert
    const [entry] = await sb.ledger('purchase-invoice');
    expect(entry?.state).toBe('failed');
    expect(entry?.reason).toMatch(/Entra rejected the credential/);
    expect(vault.reads('bc-client-secret')).toBe(2);
    expect(sb.entra.issuedTokens).toBe(0);
  });

  it('when the Cin7 application key in the vault is wrong, then the record fails on auth after exactly one re-read', async () => {
    // Arrange
    const vault = createMemoryVault();
    const sb = await start(vault);
    const { supplier } = addSupplierWithVendor(sb);
    const purchase = addAuthorisedPurchase(sb, supplier.ID);
    sb.cin7.rotateApplicationKey('a-key-the-vault-never-got');

    // Act
    await announceInvoice(sb, purchase);
    await sb.settle();

    // Assert
    const [entry] = await sb.ledger('purchase-invoice');
    expect(entry?.state).toBe('failed');
    expect(entry?.reason).toMatch(/credentials|403/i);
    expect(vault.reads('cin7-application-key')).toBe(2);
  });
});
