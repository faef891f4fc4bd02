/**
 * The Cin7 transport when Cin7 refuses the application key it holds (a rotation in Key Vault): one re-read,
 * one resend, each resend through the limiter like any request Cin7 counts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Cin7Credentials } from '../../src/cin7/transport.js';
import { AuthError } from '../../src/core/errors.js';
import { accountId, applicationKey, rejectionOf, startHarness, type Harness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A vault stand-in: what a re-read returns, and how often it was asked. */
function rereadFrom(key: () => string): { reread: () => Promise<Cin7Credentials>; count: () => number } {
  let count = 0;
  return {
    reread: () => {
      count += 1;
      return Promise.resolve({ accountId, applicationKey: key() });
    },
    count: () => count,
  };
}

describe('Cin7 credentials re-read after a refusal', () => {
  it('when the key was rotated, then the call succeeds with the re-read key after one refused request', async () => {
    h = await startHarness();
    h.sim.rotateApplicationKey('rotated-key');
    const vault = rereadFrom(() => 'rotated-key');
    const client = h.makeClient({ rereadCredentials: vault.reread });

    await client.getMe();

    expect(vault.count()).toBe(1);
    expect(h.faults.count({ system: 'cin7' })).toBe(2);
  });

  it('when several calls meet the refusal at once, then they share one re-read and all succeed', async () => {
    h = await startHarness();
    h.sim.rotateApplicationKey('rotated-key');
    const vault = rereadFrom(() => 'rotated-key');
    const client = h.makeClient({ rereadCredentials: vault.reread });

    await Promise.all([client.getMe(), client.getMe(), client.getMe()]);
    await client.getMe();

    expect(vault.count()).toBe(1);
  });

  it('when the re-read key is the same, then AuthError is raised after exactly one re-read and no resend', async () => {
    h = await startHarness();
    h.sim.rotateApplicationKey('a-key-nobody-has');
    const vault = rereadFrom(() => applicationKey);
    const client = h.makeClient({ rereadCredentials: vault.reread });

    const first = await rejectionOf(client.getMe());
    const second = await rejectionOf(client.getMe());

    expect(first).toBeInstanceOf(AuthError);
    expect(second).toBeInstanceOf(AuthError);
    expect(vault.count()).toBe(1);
    expect(h.faults.count({ system: 'cin7' })).toBe(2);
  });
});
