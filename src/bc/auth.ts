/**
 * The Microsoft Entra credential the BC client gets its tokens from (DESIGN §4 "BC auth"): client
 * credentials with a client secret, or a federated credential backed by the app's managed identity so no
 * client secret exists at all.
 */
import {
  ClientAssertionCredential,
  ClientSecretCredential,
  ManagedIdentityCredential,
  type ClientSecretCredentialOptions,
  type TokenCredential,
} from '@azure/identity';
import { AuthError } from '../core/errors.js';

/** reference/bc-api.md §2: the one scope of a BC service-to-service token. */
export const BC_SCOPE = 'https://api.businesscentral.dynamics.com/.default';

/** The audience a managed identity token must have to be exchanged as a federated client assertion. */
export const TOKEN_EXCHANGE_SCOPE = 'api://AzureADTokenExchange/.default';

/** The HTTP client type `@azure/identity` accepts (so tests can trust a simulator's CA). */
export type IdentityHttpClient = NonNullable<ClientSecretCredentialOptions['httpClient']>;

export interface CreateBcCredentialOptions {
  /** `BC_TENANT_ID`. */
  tenantId: string;
  /** `BC_CLIENT_ID`: the Entra app registered in BC's "Microsoft Entra applications" page. */
  clientId: string;
  /** `BC_CLIENT_SECRET` (from Key Vault); absent when the managed identity federation is used. */
  clientSecret?: string;
  /**
   * Reads the client secret again past any cache (Key Vault). Called once when Entra refuses the secret,
   * since it may have been rotated; without it a refusal is final.
   */
  rereadClientSecret?: () => Promise<string>;
  /** `AZURE_AUTHORITY_HOST`; defaults to the public cloud. */
  authorityHost?: string;
  /** Use the app's managed identity as a federated credential of the Entra app: no secret at all. */
  useManagedIdentityFederation?: boolean;
  /** The user-assigned managed identity's client id (system-assigned when absent). */
  managedIdentityClientId?: string;
  /** Custom HTTP client for the token calls (tests: trust the Entra simulator's CA). */
  httpClient?: IdentityHttpClient;
}

/**
 * Builds the credential for BC. With `useManagedIdentityFederation`, returns a `ClientAssertionCredential`
 * whose assertion is a managed identity token for `api://AzureADTokenExchange`; otherwise a
 * `ClientSecretCredential`. Throws `AuthError` when neither a secret nor federation is configured.
 */
export function createBcCredential(options: CreateBcCredentialOptions): TokenCredential {
  const common = {
    ...(options.authorityHost !== undefined ? { authorityHost: options.authorityHost } : {}),
    ...(options.httpClient !== undefined ? { httpClient: options.httpClient } : {}),
    // A custom authority host (sovereign cloud, simulator) is not in Microsoft's instance list.
    ...(options.authorityHost !== undefined ? { disableInstanceDiscovery: true } : {}),
  };
  if (options.useManagedIdentityFederation === true) {
    const managedIdentity =
      options.managedIdentityClientId !== undefined
        ? new ManagedIdentityCredential({ clientId: options.managedIdentityClientId })
        : new ManagedIdentityCredential();
    const getAssertion = async (): Promise<string> => {
      const token = await managedIdentity.getToken(TOKEN_EXCHANGE_SCOPE);
      return token.token;
    };
    return new ClientAssertionCredential(options.tenantId, options.clientId, getAssertion, common);
  }
  if (options.clientSecret === undefined || options.clientSecret === '') {
    throw new AuthError('BC credential: set BC_CLIENT_SECRET or enable managed identity federation', {
      system: 'bc',
    });
  }
  const build = (secret: string): TokenCredential =>
    new ClientSecretCredential(options.tenantId, options.clientId, secret, common);
  return options.rereadClientSecret === undefined
    ? build(options.clientSecret)
    : rereadingSecretCredential(options.clientSecret, options.rereadClientSecret, build);
}

/**
 * Entra's answers to a client secret it does not accept: `invalid_client` with AADSTS7000215 (not a secret of
 * the app, e.g. removed in a rotation) or AADSTS7000222 (expired). Other failures do not call for a re-read.
 */
const REFUSED_SECRET = /invalid_client|AADSTS7000215|AADSTS7000222/;

/**
 * A client secret credential that survives a rotation: when Entra refuses the secret, it is read once more
 * and, if it changed, the token request is sent once more with a credential built on the new value. An
 * unchanged secret is simply wrong: the refusal stands (the token provider turns it into `AuthError`), and
 * later refusals of that same value are not re-read again (after the job fails on auth, the runtime rebuilds
 * its clients from the vault anyway). Concurrent refusals share one re-read.
 */
function rereadingSecretCredential(
  initialSecret: string,
  reread: () => Promise<string>,
  build: (secret: string) => TokenCredential,
): TokenCredential {
  let current = { secret: initialSecret, credential: build(initialSecret) };
  let confirmedWrong: string | undefined;
  let rereading: Promise<string> | undefined;
  return {
    async getToken(scopes, getTokenOptions) {
      const used = current;
      try {
        return await used.credential.getToken(scopes, getTokenOptions);
      } catch (error) {
        const refused = REFUSED_SECRET.test(error instanceof Error ? error.message : String(error));
        if (!refused || used.secret === confirmedWrong) throw error;
        if (current === used) {
          rereading ??= reread().finally(() => {
            rereading = undefined;
          });
          const secret = await rereading;
          if (current === used) {
            if (secret === used.secret) confirmedWrong = secret;
            else current = { secret, credential: build(secret) };
          }
        }
        if (current === used) throw error;
        return current.credential.getToken(scopes, getTokenOptions);
      }
    },
  };
}
