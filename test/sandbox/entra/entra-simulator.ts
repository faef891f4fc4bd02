/**
 * A Microsoft Entra look-alike over HTTPS, so the real `@azure/identity` / MSAL code path runs in tests:
 * OpenID metadata, instance discovery and the v2.0 token endpoint for the client-credentials grant
 * (client secret, or a client assertion for the federated managed-identity path).
 *
 * Tokens are unsigned JWT-like strings (`header.payload.random`) whose payload names the client
 * (`appid`), so the BC simulator can apply its per-user limits; their expiry is tracked here.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import { ServerResponse, type IncomingMessage } from 'node:http';
import { FaultControl } from '../faults.js';
import { listenOnLoopback, readBody } from '../http-server.js';
import { getTestCertificates } from './test-ca.js';

/** reference/bc-api.md §2: the only scope a BC S2S token is requested for. */
export const BC_SCOPE = 'https://api.businesscentral.dynamics.com/.default';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export interface EntraSimulatorOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Lifetime of issued tokens (default 3600 s; Entra really picks 60–90 min). */
  tokenLifetimeSeconds?: number;
  faults?: FaultControl;
  /** Decides whether a client assertion is accepted (default: any non-empty JWT-shaped string). */
  acceptAssertion?: (assertion: string) => boolean;
  /** Clock used for token expiry (default `Date.now`). */
  now?: () => number;
}

export interface EntraSimulator {
  /** `https://127.0.0.1:<port>`: pass as `authorityHost`. */
  authorityHost: string;
  /** PEM of the CA that signed the server certificate. */
  caCertificatePem: string;
  /** Tokens issued so far. */
  readonly issuedTokens: number;
  /** Token requests answered with an error. */
  readonly rejectedTokenRequests: number;
  faults: FaultControl;
  /** True when this simulator issued the token and it has not expired. */
  isValidToken(token: string): boolean;
  /** Client id (appid) a token was issued to, if it is one of ours. */
  clientIdOf(token: string): string | undefined;
  /** Makes every token issued so far invalid (as if they had all expired). */
  expireAllTokens(): void;
  setTokenLifetimeSeconds(seconds: number): void;
  /**
   * Rotates the app's client secret the way Microsoft Graph does it, `addPassword` for the new one then
   * `removePassword` for the old (https://learn.microsoft.com/graph/api/application-removepassword): the old
   * secret is refused from then on (AADSTS7000215), tokens already issued stay valid until they expire.
   */
  rotateClientSecret(clientSecret: string): void;
  close(): Promise<void>;
}

interface IssuedToken {
  clientId: string;
  expiresAt: number;
}

/** Starts the simulator on 127.0.0.1 with a fresh port and the process's test CA. */
export async function startEntraSimulator(options: EntraSimulatorOptions): Promise<EntraSimulator> {
  const certs = await getTestCertificates();
  const faults = options.faults ?? new FaultControl();
  const now = options.now ?? (() => Date.now());
  let lifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
  const acceptAssertion = options.acceptAssertion ?? ((a: string) => a.split('.').length === 3);
  const tokens = new Map<string, IssuedToken>();
  let issued = 0;
  let rejected = 0;
  let authorityHost = '';
  let clientSecret = options.clientSecret;

  function tenantMetadata(tenant: string): Record<string, unknown> {
    const base = `${authorityHost}/${tenant}`;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${authorityHost}/${tenant}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${authorityHost}/${options.tenantId}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${authorityHost}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid'],
      kerberos_endpoint: `${base}/kerberos`,
      tenant_region_scope: 'EU',
      cloud_instance_name: 'microsoftonline.com',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
      rbac_url: 'https://pas.windows.net',
    };
  }

  function entraError(res: ServerResponse, status: number, error: string, aadsts: number, description: string): number {
    const traceId = randomUUID();
    const correlationId = randomUUID();
    const timestamp = new Date(now()).toISOString().replace('T', ' ').replace('Z', 'Z');
    sendJson(res, status, {
      error,
      error_description: `AADSTS${aadsts}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [aadsts],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${authorityHost}/error?code=${aadsts}`,
    });
    rejected += 1;
    return status;
  }

  function issueToken(res: ServerResponse, clientId: string): number {
    const issuedAt = Math.floor(now() / 1000);
    const expiresAt = issuedAt + lifetimeSeconds;
    const header = base64Url(JSON.stringify({ typ: 'JWT', alg: 'none' }));
    const payload = base64Url(
      JSON.stringify({
        aud: 'https://api.businesscentral.dynamics.com',
        iss: `https://sts.windows.net/${options.tenantId}/`,
        iat: issuedAt,
        nbf: issuedAt,
        exp: expiresAt,
        appid: clientId,
        tid: options.tenantId,
        roles: ['API.ReadWrite.All'],
        jti: randomUUID(),
      }),
    );
    const token = `${header}.${payload}.${randomBytes(24).toString('base64url')}`;
    tokens.set(token, { clientId, expiresAt: expiresAt * 1000 });
    issued += 1;
    sendJson(res, 200, {
      token_type: 'Bearer',
      expires_in: lifetimeSeconds,
      ext_expires_in: lifetimeSeconds,
      access_token: token,
    });
    return 200;
  }

  function handleToken(res: ServerResponse, tenant: string, form: URLSearchParams): number {
    if (tenant !== options.tenantId && tenant !== 'organizations') {
      return entraError(res, 400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found.`);
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return entraError(res, 400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }
    const clientId = form.get('client_id') ?? '';
    if (clientId !== options.clientId) {
      return entraError(
        res,
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`,
      );
    }
    const scope = form.get('scope') ?? '';
    const scopes = scope
      .split(' ')
      .filter((s) => s !== '' && s !== 'openid' && s !== 'profile' && s !== 'offline_access');
    if (scopes.length !== 1 || scopes[0] !== BC_SCOPE) {
      return entraError(
        res,
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const secret = form.get('client_secret');
    const assertion = form.get('client_assertion');
    if (secret !== null) {
      if (secret !== clientSecret) {
        return entraError(
          res,
          401,
          'invalid_client',
          7000215,
          'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.',
        );
      }
      return issueToken(res, clientId);
    }
    if (assertion !== null) {
      if (form.get('client_assertion_type') !== ASSERTION_TYPE || !acceptAssertion(assertion)) {
        return entraError(res, 401, 'invalid_client', 700027, 'Client assertion failed signature validation.');
      }
      return issueToken(res, clientId);
    }
    return entraError(
      res,
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }

  async function route(req: IncomingMessage, res: ServerResponse, path: string): Promise<number> {
    const method = req.method ?? 'GET';
    const segments = path.split('/').filter((s) => s !== '');
    // MSAL asks for instance discovery unless `disableInstanceDiscovery` is set.
    if (method === 'GET' && segments[1] === 'discovery' && segments[2] === 'instance') {
      const host = new URL(authorityHost).host;
      sendJson(res, 200, {
        tenant_discovery_endpoint: `${authorityHost}/${options.tenantId}/v2.0/.well-known/openid-configuration`,
        'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      });
      return 200;
    }
    const tenant = segments[0] ?? '';
    const rest = segments.slice(1).join('/');
    if (
      method === 'GET' &&
      (rest === 'v2.0/.well-known/openid-configuration' || rest === '.well-known/openid-configuration')
    ) {
      sendJson(res, 200, tenantMetadata(tenant));
      return 200;
    }
    if (method === 'POST' && rest === 'oauth2/v2.0/token') {
      const form = new URLSearchParams(await readBody(req));
      return handleToken(res, tenant, form);
    }
    sendJson(res, 404, { error: 'not_found', error_description: `No route for ${method} ${path}` });
    return 404;
  }

  const server: Server = createServer({ cert: certs.serverCertificatePem, key: certs.serverKeyPem }, (req, res) => {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    void (async () => {
      const fault = faults.decide('token', method, path);
      if (fault?.kind === 'latency') await sleep(fault.latencyMs ?? 100);
      if (fault?.kind === 'drop-connection') {
        faults.record({ system: 'token', method, path, status: 0, fault: fault.kind });
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'throttle' || fault?.kind === 'throttle-no-retry-after') {
        if (fault.kind === 'throttle') res.setHeader('Retry-After', String(fault.retryAfterSeconds ?? 1));
        const status = entraError(res, fault.status ?? 429, 'temporarily_unavailable', 90055, 'Too many requests.');
        faults.record({ system: 'token', method, path, status, fault: fault.kind });
        return;
      }
      if (fault?.kind === 'server-error') {
        const status = entraError(res, fault.status ?? 500, 'server_error', 90033, 'A transient error has occurred.');
        faults.record({ system: 'token', method, path, status, fault: fault.kind });
        return;
      }
      if (fault?.kind === 'lost-response') {
        // Issue the token (server side it exists), but the caller never sees it.
        const status = await route(req, new ServerResponse(req), path);
        faults.record({ system: 'token', method, path, status, fault: fault.kind });
        req.socket.destroy();
        return;
      }
      const status = await route(req, res, path);
      faults.record({ system: 'token', method, path, status, ...(fault ? { fault: fault.kind } : {}) });
    })().catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: 'simulator failure' });
    });
  });
  const { port, close } = await listenOnLoopback(server);
  authorityHost = `https://127.0.0.1:${port}`;

  return {
    authorityHost,
    caCertificatePem: certs.caCertificatePem,
    get issuedTokens() {
      return issued;
    },
    get rejectedTokenRequests() {
      return rejected;
    },
    faults,
    isValidToken(token) {
      const entry = tokens.get(token);
      return entry !== undefined && entry.expiresAt > now();
    },
    clientIdOf(token) {
      return tokens.get(token)?.clientId;
    },
    expireAllTokens() {
      for (const entry of tokens.values()) entry.expiresAt = 0;
    },
    setTokenLifetimeSeconds(seconds) {
      lifetimeSeconds = seconds;
    },
    rotateClientSecret(secret) {
      clientSecret = secret;
    },
    close,
  };
}

function base64Url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
