/**
 * Caches the BC access token in the manner of the Azure SDK's `tokenCycler`: one token is reused until a
 * refresh window before its expiry, concurrent callers share the one refresh in flight, and a failed
 * refresh leaves no half state behind. Tokens and secrets never appear in errors or logs.
 */
import type { AccessToken, TokenCredential } from '@azure/identity';
import type { Clock } from '../core/clock.js';
import { AuthError, TransientError, isConnectorError } from '../core/errors.js';

export interface TokenProviderOptions {
  credential: TokenCredential;
  scope: string;
  clock: Pick<Clock, 'now'>;
  /**
   * Refresh this long before expiry (default 5 minutes). For short tokens the window is capped at half the
   * lifetime so a 60-second token is not refreshed on every call.
   */
  refreshWindowMs?: number;
}

export interface GetAccessTokenOptions {
  /**
   * BC answered 401 to this token: get a new one. When several requests fail with the same token at once
   * they share one refresh, and a request that failed with an older token just gets the current one.
   */
  rejectedToken?: string;
}

export interface TokenProvider {
  /** A bearer token valid now. Throws `AuthError` or `TransientError`, never with the secret or token. */
  getToken(options?: GetAccessTokenOptions): Promise<string>;
}

/** A token is "almost expired" within this margin: calls must wait for a new one (clock skew, latency). */
const FORCED_REFRESH_MARGIN_MS = 10_000;
const DEFAULT_REFRESH_WINDOW_MS = 5 * 60_000;

interface CachedToken {
  token: string;
  expiresOnTimestamp: number;
  refreshAfterTimestamp: number;
}

/** Creates the per-client token cache over `credential`. */
export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const { credential, scope, clock } = options;
  const windowMs = options.refreshWindowMs ?? DEFAULT_REFRESH_WINDOW_MS;
  let cached: CachedToken | undefined;
  let inFlight: Promise<CachedToken> | undefined;

  function refresh(rejectedToken?: string): Promise<CachedToken> {
    inFlight ??= (async () => {
      try {
        const requestedAt = clock.now();
        let token = await fetchToken(credential, scope);
        if (rejectedToken !== undefined && token.token === rejectedToken) {
          // MSAL served the rejected token from its cache. A claims challenge ("issued no earlier than now",
          // the form resources use for continuous access evaluation) makes it go to Entra for a new one.
          token = await fetchToken(credential, scope, freshTokenClaims(requestedAt));
        }
        const lifetime = Math.max(0, token.expiresOnTimestamp - requestedAt);
        const window = Math.min(windowMs, lifetime / 2);
        const fresh: CachedToken = {
          token: token.token,
          expiresOnTimestamp: token.expiresOnTimestamp,
          refreshAfterTimestamp: Math.min(token.refreshAfterTimestamp ?? Infinity, token.expiresOnTimestamp - window),
        };
        cached = fresh;
        return fresh;
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  }

  return {
    async getToken(getOptions = {}) {
      const now = clock.now();
      const current = cached;
      if (getOptions.rejectedToken !== undefined) {
        if (current !== undefined && current.token !== getOptions.rejectedToken && now < current.expiresOnTimestamp) {
          return current.token;
        }
        // The token was rejected: never hand it out again, even if the refresh fails.
        cached = undefined;
        return (await refresh(getOptions.rejectedToken)).token;
      }
      if (current === undefined || now >= current.expiresOnTimestamp - FORCED_REFRESH_MARGIN_MS) {
        cached = undefined;
        return (await refresh()).token;
      }
      if (now >= current.refreshAfterTimestamp) {
        try {
          return (await refresh()).token;
        } catch (error) {
          // Still valid: keep serving it; the next call inside the window tries again.
          if (isConnectorError(error) && error.kind === 'auth') cached = undefined;
          if (cached === undefined) throw error;
          return current.token;
        }
      }
      return current.token;
    },
  };
}

/** A claims request for a token issued at or after `nowMs` (OpenID Connect claims, `nbf` essential). */
function freshTokenClaims(nowMs: number): string {
  return JSON.stringify({ access_token: { nbf: { essential: true, value: String(Math.floor(nowMs / 1000)) } } });
}

async function fetchToken(credential: TokenCredential, scope: string, claims?: string): Promise<AccessToken> {
  let token: AccessToken | null;
  try {
    token = await credential.getToken(scope, claims === undefined ? {} : { claims });
  } catch (error) {
    throw translateCredentialError(error);
  }
  if (token === null) {
    throw new AuthError('BC auth: the credential returned no token', { system: 'entra' });
  }
  return token;
}

/** Entra answers that mean the configuration is wrong: retrying will not help. */
const PERMANENT_ENTRA_ERRORS = new RegExp(
  [
    'invalid_client',
    'unauthorized_client',
    'invalid_tenant',
    'invalid_scope',
    'invalid_request',
    'unsupported_grant_type',
    'AADSTS(7000215|7000222|700016|90002|700027|7000218|1002012|50034)',
  ].join('|'),
);

/**
 * Credential failures become `AuthError` (operator must act) or `TransientError` (Entra or network trouble).
 * The original error is not attached as `cause`: SDK errors carry request details we do not control.
 */
export function translateCredentialError(error: unknown): Error {
  if (isConnectorError(error)) return error;
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  const statusCode =
    typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number'
      ? error.statusCode
      : undefined;
  // The first line of an Entra error names the AADSTS code and reason; never the secret.
  const summary = (message.split('\n')[0] ?? '').slice(0, 300);
  if (name === 'CredentialUnavailableError' || PERMANENT_ENTRA_ERRORS.test(message)) {
    return new AuthError(`BC auth: Entra rejected the credential (${summary})`, {
      system: 'entra',
      ...(statusCode !== undefined ? { status: statusCode } : {}),
    });
  }
  return new TransientError(`BC auth: could not get a token from Entra (${summary})`, {
    system: 'entra',
    ...(statusCode !== undefined ? { status: statusCode } : {}),
  });
}
