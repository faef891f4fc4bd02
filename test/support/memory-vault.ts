/** A Key Vault stand-in whose secrets can be changed mid-run (a rotation) and whose reads are counted. */
import type { SecretName, SecretSource } from '../../src/config/secrets.js';
import { sandboxSecrets } from '../sandbox/sandbox.js';

export interface MemoryVault extends SecretSource {
  set(name: SecretName, value: string): void;
  /** How many times the secret was read from the vault (cache hits are not reads). */
  reads(name: SecretName): number;
}

/** A vault holding the sandbox's secrets under their Key Vault names (DESIGN §5). */
export function createMemoryVault(): MemoryVault {
  const values = new Map<SecretName, string>([
    ['cin7-account-id', sandboxSecrets.cin7AccountId],
    ['cin7-application-key', sandboxSecrets.cin7ApplicationKey],
    ['bc-client-secret', sandboxSecrets.bcClientSecret],
    ['cin7-webhook-secret', sandboxSecrets.webhookSecret],
    ['bc-client-state', sandboxSecrets.clientState],
  ]);
  const reads = new Map<SecretName, number>();
  return {
    getSecret(name) {
      reads.set(name, (reads.get(name) ?? 0) + 1);
      return Promise.resolve(values.get(name));
    },
    set(name, value) {
      values.set(name, value);
    },
    reads: (name) => reads.get(name) ?? 0,
  };
}
