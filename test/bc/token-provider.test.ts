import { describe, expect, it } from 'vitest';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { createTokenProvider } from '../../src/bc/token-provider.js';
import { AuthError, TransientError } from '../../src/core/errors.js';

function fakeCredential(lifetimeMs: number, now: () => number) {
  let calls = 0;
  let fail: Error | undefined;
  const credential: TokenCredential = {
    async getToken(): Promise<AccessToken> {
      calls += 1;
      await Promise.resolve();
      if (fail) throw fail;
      return { token: `t${calls}`, expiresOnTimestamp: now() + lifetimeMs };
    },
  };
  return {
    credential,
    get calls() {
      return calls;
    },
    failWith(error: Error | undefined) {
      fail = error;
    },
  };
}

describe('token provider', () => {
  it('when a token is cached, then it is reused until the refresh window', async () => {
    let now = 1_000_000;
    const fake = fakeCredential(3_600_000, () => now);
    const provider = createTokenProvider({ credential: fake.credential, scope: 's', clock: { now: () => now } });
    expect(await provider.getToken()).toBe('t1');
    now += 50 * 60_000;
    expect(await provider.getToken()).toBe('t1');
    now += 6 * 60_000; // 56 minutes: inside the 5-minute window
    expect(await provider.getToken()).toBe('t2');
  });

  it('when concurrent callers need a token, then they share one refresh', async () => {
    const now = 0;
    const fake = fakeCredential(60_000, () => now);
    const provider = createTokenProvider({ credential: fake.credential, scope: 's', clock: { now: () => now } });
    const tokens = await Promise.all([provider.getToken(), provider.getToken(), provider.getToken()]);
    expect(tokens).toEqual(['t1', 't1', 't1']);
    expect(fake.calls).toBe(1);
  });

  it('when a refresh fails, then the error is ours, the secret-free state is cleared and the next call tries again', async () => {
    const now = 0;
    const fake = fakeCredential(60_000, () => now);
    const provider = createTokenProvider({ credential: fake.credential, scope: 's', clock: { now: () => now } });
    fake.failWith(
      Object.assign(new Error('AADSTS7000215: Invalid client secret provided.'), { name: 'AuthenticationError' }),
    );
    await expect(provider.getToken()).rejects.toBeInstanceOf(AuthError);
    fake.failWith(new Error('ECONNRESET'));
    await expect(provider.getToken()).rejects.toBeInstanceOf(TransientError);
    fake.failWith(undefined);
    expect(await provider.getToken()).toBe('t3');
  });

  it('when a refresh inside the window fails transiently, then the still-valid token is served', async () => {
    let now = 0;
    const fake = fakeCredential(60_000, () => now);
    const provider = createTokenProvider({ credential: fake.credential, scope: 's', clock: { now: () => now } });
    expect(await provider.getToken()).toBe('t1');
    now = 35_000;
    fake.failWith(new Error('socket hang up'));
    expect(await provider.getToken()).toBe('t1');
  });

  it('when BC rejected a token that was already replaced, then the newer token is returned without a refresh', async () => {
    const now = 0;
    const fake = fakeCredential(3_600_000, () => now);
    const provider = createTokenProvider({ credential: fake.credential, scope: 's', clock: { now: () => now } });
    await provider.getToken();
    expect(await provider.getToken({ rejectedToken: 't1' })).toBe('t2');
    expect(await provider.getToken({ rejectedToken: 't1' })).toBe('t2');
    expect(fake.calls).toBe(2);
  });
});
