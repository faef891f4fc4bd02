import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { Secret } from '../../src/config/secret.js';
import { createKeyVaultSecretSource, createSecretProvider } from '../../src/config/secrets.js';
import type { SecretClientLike, SecretName, SecretSource } from '../../src/config/secrets.js';
import { AuthError, TransientError } from '../../src/core/errors.js';

const VAULT = 'https://contoso-kv.vault.azure.net/?api-version=7.4';
const MINUTE = 60_000;

/** A fake vault whose values can change (rotation) and whose reads are counted and can be held open. */
function buildSource(initial: Partial<Record<SecretName, string>> = { 'cin7-application-key': 'v1' }) {
  const values = new Map<SecretName, string>(Object.entries(initial) as Array<[SecretName, string]>);
  const reads: SecretName[] = [];
  let gate: Promise<void> | undefined;
  const source: SecretSource = {
    async getSecret(name) {
      reads.push(name);
      if (gate !== undefined) await gate;
      return values.get(name);
    },
  };
  return {
    source,
    reads,
    values,
    hold(): () => void {
      let release = (): void => undefined;
      gate = new Promise((resolve) => {
        release = resolve;
      });
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

function buildClock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('createSecretProvider with a vault', () => {
  it('when a secret is read twice within the TTL, then the vault is read once', async () => {
    const vault = buildSource();
    const clock = buildClock();
    const provider = createSecretProvider({ keyVaultUrl: VAULT, source: vault.source, clock, ttlMs: 15 * MINUTE });

    const first = await provider.get('cin7-application-key');
    clock.advance(14 * MINUTE);
    const second = await provider.get('cin7-application-key');

    expect(first.reveal()).toBe('v1');
    expect(second.reveal()).toBe('v1');
    expect(vault.reads).toHaveLength(1);
  });

  it('when the TTL has passed, then the vault is read again and a rotated value is returned', async () => {
    const vault = buildSource();
    const clock = buildClock();
    const provider = createSecretProvider({ keyVaultUrl: VAULT, source: vault.source, clock, ttlMs: 15 * MINUTE });

    await provider.get('cin7-application-key');
    vault.values.set('cin7-application-key', 'v2');
    clock.advance(15 * MINUTE);
    const after = await provider.get('cin7-application-key');

    expect(after.reveal()).toBe('v2');
    expect(vault.reads).toHaveLength(2);
  });

  it('when invalidated after an auth failure, then the next get re-reads the vault', async () => {
    const vault = buildSource();
    const provider = createSecretProvider({ keyVaultUrl: VAULT, source: vault.source, clock: buildClock() });

    await provider.get('cin7-application-key');
    vault.values.set('cin7-application-key', 'v2');
    provider.invalidate('cin7-application-key');
    const after = await provider.get('cin7-application-key');

    expect(after.reveal()).toBe('v2');
    expect(vault.reads).toHaveLength(2);
  });

  it('when invalidate is called without a name, then every secret is re-read', async () => {
    const vault = buildSource({ 'cin7-account-id': 'a', 'bc-client-secret': 'b' });
    const provider = createSecretProvider({ keyVaultUrl: VAULT, source: vault.source, clock: buildClock() });

    await provider.get('cin7-account-id');
    await provider.get('bc-client-secret');
    provider.invalidate();
    await provider.get('cin7-account-id');
    await provider.get('bc-client-secret');

    expect(vault.reads).toEqual(['cin7-account-id', 'bc-client-secret', 'cin7-account-id', 'bc-client-secret']);
  });

  it('when gets run concurrently, then they share one vault read', async () => {
    const vault = buildSource();
    const provider = createSecretProvider({ keyVaultUrl: VAULT, source: vault.source, clock: buildClock() });
    const release = vault.hold();

    const gets = [
      provider.get('cin7-application-key'),
      provider.get('cin7-application-key'),
      provider.get('cin7-application-key'),
    ];
    release();
    const secrets = await Promise.all(gets);

    expect(vault.reads).toHaveLength(1);
    expect(secrets.map((secret) => secret.reveal())).toEqual(['v1', 'v1', 'v1']);
  });

  it('when invalidated while a read is in flight, then the stale result is not cached', async () => {
    const vault = buildSource();
    const provider = createSecretProvider({ keyVaultUrl: VAULT, source: vault.source, clock: buildClock() });
    const release = vault.hold();

    const stale = provider.get('cin7-application-key');
    provider.invalidate('cin7-application-key');
    vault.values.set('cin7-application-key', 'v2');
    release();
    await stale;
    const fresh = await provider.get('cin7-application-key');

    expect(fresh.reveal()).toBe('v2');
  });

  it('when the secret does not exist, then a ConfigError names the secret and the vault host only', async () => {
    const vault = buildSource({});
    const provider = createSecretProvider({ keyVaultUrl: VAULT, source: vault.source, clock: buildClock() });

    const error = await provider.get('bc-client-secret').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain("'bc-client-secret'");
    expect((error as ConfigError).message).toContain('contoso-kv.vault.azure.net');
    expect((error as ConfigError).message).not.toContain('api-version');
    expect((error as ConfigError).message).not.toContain('https://');
  });

  it('when a read fails, then the failure is not cached and the next get tries again', async () => {
    let calls = 0;
    const source: SecretSource = {
      getSecret() {
        calls += 1;
        return calls === 1 ? Promise.reject(new TransientError('vault busy')) : Promise.resolve('v1');
      },
    };
    const provider = createSecretProvider({ keyVaultUrl: VAULT, source, clock: buildClock() });

    await expect(provider.get('cin7-account-id')).rejects.toBeInstanceOf(TransientError);
    await expect(provider.get('cin7-account-id')).resolves.toBeInstanceOf(Secret);
  });

  it('when a vault is configured, then local values are ignored', async () => {
    const vault = buildSource({ 'cin7-account-id': 'from-vault' });
    const provider = createSecretProvider({
      keyVaultUrl: VAULT,
      source: vault.source,
      localValues: { 'cin7-account-id': 'from-settings' },
    });

    expect((await provider.get('cin7-account-id')).reveal()).toBe('from-vault');
  });
});

describe('createSecretProvider without a vault', () => {
  it('when the secret is set locally, then it is returned', async () => {
    const provider = createSecretProvider({
      localValues: { 'cin7-account-id': 'a', 'bc-client-state': new Secret('s') },
    });

    expect((await provider.get('cin7-account-id')).reveal()).toBe('a');
    expect((await provider.get('bc-client-state')).reveal()).toBe('s');
  });

  it('when the secret is not set locally, then a ConfigError names the setting and KEY_VAULT_URL', async () => {
    const provider = createSecretProvider({ localValues: {} });

    const error = await provider.get('cin7-webhook-secret').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('CIN7_WEBHOOK_SECRET');
    expect((error as ConfigError).message).toContain('KEY_VAULT_URL');
  });
});

describe('createKeyVaultSecretSource', () => {
  function buildClient(respond: (name: string) => Promise<{ value?: string }>): SecretClientLike & { names: string[] } {
    const names: string[] = [];
    return {
      names,
      getSecret(name) {
        names.push(name);
        return respond(name);
      },
    };
  }

  function restError(statusCode: number): Error {
    return Object.assign(new Error(`Request to https://contoso-kv.vault.azure.net/secrets/x?api-version=7.4 failed`), {
      name: 'RestError',
      statusCode,
    });
  }

  it('when the client returns a value, then the source returns it', async () => {
    const client = buildClient(() => Promise.resolve({ value: 'v1' }));
    const source = createKeyVaultSecretSource({ vaultUrl: VAULT, client });

    await expect(source.getSecret('cin7-account-id')).resolves.toBe('v1');
    expect(client.names).toEqual(['cin7-account-id']);
  });

  it('when the vault answers 404, then the source reports the secret as absent', async () => {
    const source = createKeyVaultSecretSource({
      vaultUrl: VAULT,
      client: buildClient(() => Promise.reject(restError(404))),
    });

    await expect(source.getSecret('cin7-account-id')).resolves.toBeUndefined();
  });

  it.each([401, 403])(
    'when the vault answers %i, then an AuthError says to grant Key Vault Secrets User',
    async (status) => {
      const source = createKeyVaultSecretSource({
        vaultUrl: VAULT,
        client: buildClient(() => Promise.reject(restError(status))),
      });

      const error = await source.getSecret('cin7-account-id').catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(AuthError);
      expect((error as AuthError).message).toContain("'Key Vault Secrets User'");
      expect((error as AuthError).message).toContain('contoso-kv.vault.azure.net');
      expect((error as AuthError).message).not.toContain('api-version');
      expect((error as AuthError).system).toBe('keyvault');
      expect((error as AuthError).status).toBe(status);
    },
  );

  it('when no managed identity is available, then an AuthError names the identity setting', async () => {
    const unavailable = Object.assign(new Error('ManagedIdentityCredential: no endpoint'), {
      name: 'CredentialUnavailableError',
    });
    const source = createKeyVaultSecretSource({
      vaultUrl: VAULT,
      client: buildClient(() => Promise.reject(unavailable)),
    });

    const error = await source.getSecret('bc-client-secret').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toContain('AZURE_CLIENT_ID');
  });

  it('when the vault answers 503, then a TransientError is thrown', async () => {
    const source = createKeyVaultSecretSource({
      vaultUrl: VAULT,
      client: buildClient(() => Promise.reject(restError(503))),
    });

    await expect(source.getSecret('cin7-account-id')).rejects.toBeInstanceOf(TransientError);
  });
});
