/**
 * Who may use the console's API. In Azure, App Service Authentication (Easy Auth, configured in
 * `infra/app/auth.bicep`) signs the user in with Microsoft Entra and hands the function the caller's claims in
 * `x-ms-client-principal` (base64 JSON); the platform removes that header from outside requests, so it can be
 * trusted only while Easy Auth runs (`WEBSITE_AUTH_ENABLED`). The caller's app roles decide what they may do:
 * `Console.Reader` reads, `Console.Operator` also replays, skips and edits mappings. Scripts keep using the
 * `admin/…` routes with a function key, which grant full access as before.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';

export const consoleRoles = { reader: 'Console.Reader', operator: 'Console.Operator' } as const;

/** What a console route needs: `read` for anything that only shows, `operate` for anything that changes. */
import type { ConsoleAccess } from './console-routes.js';
export type { ConsoleAccess };

export const principalHeader = 'x-ms-client-principal';

/** Where Easy Auth signs a browser in (Entra provider) and sends it back to the console. */
export const signInPath = '/.auth/login/aad?post_login_redirect_uri=/api/console/';

/** The Easy Auth client principal (Microsoft Entra provider). */
const ClientPrincipal = z.object({
  auth_typ: z.string(),
  claims: z.array(z.object({ typ: z.string(), val: z.string() })),
  name_typ: z.string().optional(),
  role_typ: z.string().optional(),
});

export interface ConsoleCaller {
  name: string;
  roles: string[];
  canOperate: boolean;
}

const roleClaimTypes = ['roles', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role'];
const nameClaimTypes = ['preferred_username', 'name', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name'];

/** The caller named in the principal header; undefined when there is none, `invalid` when it cannot be read. */
export function readPrincipal(request: HttpRequest): ConsoleCaller | 'invalid' | undefined {
  const raw = request.headers.get(principalHeader);
  if (raw === null || raw.trim() === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(raw, 'base64').toString('utf8'));
  } catch {
    return 'invalid';
  }
  const parsed = ClientPrincipal.safeParse(json);
  if (!parsed.success) return 'invalid';
  const { claims, name_typ: nameType, role_typ: roleType } = parsed.data;
  const roleTypes = new Set([...roleClaimTypes, ...(roleType ? [roleType] : [])]);
  const roles = [...new Set(claims.filter((c) => roleTypes.has(c.typ)).map((c) => c.val))];
  const name =
    [...(nameType ? [nameType] : []), ...nameClaimTypes]
      .map((type) => claims.find((c) => c.typ === type)?.val)
      .find((v) => v !== undefined && v !== '') ?? 'signed-in user';
  return { name, roles, canOperate: roles.includes(consoleRoles.operator) };
}

/** Easy Auth runs in front of this app, so the principal header comes from the platform. */
export function easyAuthEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env['WEBSITE_AUTH_ENABLED'] ?? '').trim().toLowerCase() === 'true';
}

export type AccessCheck = { ok: true; caller: ConsoleCaller } | { ok: false; response: HttpResponseInit };

function refuse(status: 401 | 403, error: string, message: string): AccessCheck {
  return {
    ok: false,
    response: { status, jsonBody: { error, message, ...(status === 401 ? { signIn: signInPath } : {}) } },
  };
}

/** Whether the caller may do what the route needs (checked on every console call). */
export function checkConsoleAccess(request: HttpRequest, need: ConsoleAccess, trusted: boolean): AccessCheck {
  if (!trusted)
    return refuse(
      403,
      'console sign-in is not configured',
      'App Service Authentication is off for this app: set the console parameters in infra/main.parameters.json ' +
        'and provision again, or call /api/admin/… with a function key',
    );
  const caller = readPrincipal(request);
  if (caller === undefined) return refuse(401, 'sign in', 'sign in with your Microsoft Entra account');
  if (caller === 'invalid') return refuse(401, 'sign in', 'the sign-in could not be read; sign in again');
  const canRead = caller.canOperate || caller.roles.includes(consoleRoles.reader);
  if (!canRead)
    return refuse(
      403,
      'no console role',
      `${caller.name} has neither the ${consoleRoles.reader} nor the ${consoleRoles.operator} app role; ask an ` +
        'administrator to assign one in Microsoft Entra (Enterprise applications → Users and groups)',
    );
  if (need === 'operate' && !caller.canOperate)
    return refuse(
      403,
      'operator role needed',
      `${caller.name} may read the console but not change anything: this needs the ${consoleRoles.operator} app role`,
    );
  return { ok: true, caller };
}
