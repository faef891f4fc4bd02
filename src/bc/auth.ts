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
  return new ClientSecretCredential(options.tenantId, options.clientId, options.clientSecret, common);
}
