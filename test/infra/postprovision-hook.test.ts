/**
 * The azd post-provision hook (infra/hooks/postprovision.sh) run with stand-ins for `az`, `azd` and `npm` on
 * PATH: small shell scripts that record their arguments and keep the vault's secrets and the role assignments
 * in files, so a second run sees what the first one did.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const hook = join(root, 'infra', 'hooks', 'postprovision.sh');

const outputs = {
  AZURE_KEY_VAULT_NAME: 'kv-cin7bc',
  AZURE_KEY_VAULT_ID: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-cin7bc',
  KEY_VAULT_URL: 'https://kv-cin7bc.vault.azure.net/',
  AZURE_STORAGE_ACCOUNT_ID: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stcin7bc',
  AZURE_STORAGE_TABLE_ENDPOINT: 'https://stcin7bc.table.core.windows.net/',
  AZURE_FUNCTION_APP_URL: 'https://func-cin7bc.azurewebsites.net',
  BC_TENANT_ID: 'contoso.onmicrosoft.com',
  BC_ENVIRONMENT: 'Production',
  BC_COMPANY_ID: '11111111-2222-3333-4444-555555555555',
  BC_CLIENT_ID: '66666666-7777-8888-9999-000000000000',
  BC_USE_MANAGED_IDENTITY_FEDERATION: 'false',
};

const secretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7';
const tableContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3';

// State lives in $STATE: calls.log (one line per call), roles (role + scope per line), secrets/<name> (values).
const azStub = `#!/bin/sh
printf 'az %s\\n' "$*" >>"$STATE/calls.log"
role=''; scope=''; name=''; file=''
prev=''
for a in "$@"; do
  case "$prev" in --role) role="$a" ;; --scope) scope="$a" ;; --name) name="$a" ;; --file) file="$a" ;; esac
  prev="$a"
done
case "$1 $2 $3" in
  'ad signed-in-user show') echo user-object-id ;;
  'role assignment list') grep -cx "$role $scope" "$STATE/roles" 2>/dev/null || true ;;
  'role assignment create') echo "$role $scope" >>"$STATE/roles" ;;
  'keyvault secret list') [ -f "$STATE/kv-denied" ] && exit 1; ls "$STATE/secrets" ;;
  'keyvault secret set') cp "$file" "$STATE/secrets/$name" ;;
  *) echo "unexpected az call: $*" >&2; exit 2 ;;
esac
`;
const azdStub = `#!/bin/sh
printf 'azd %s\\n' "$*" >>"$STATE/calls.log"
[ "$1 $2" = 'env get-value' ] || exit 2
line="$(grep "^$3=" "$STATE/azd.env")" || exit 1
printf '%s\\n' "\${line#*=}"
`;
const npmStub = `#!/bin/sh
printf 'npm %s KEY_VAULT_URL=%s TABLE=%s BC_COMPANY_ID=%s\\n' "$*" "$KEY_VAULT_URL" "$AzureWebJobsStorage__tableServiceUri" "$BC_COMPANY_ID" >>"$STATE/calls.log"
echo 'doctor output'
`;

let state: string;
let bin: string;

beforeEach(() => {
  state = mkdtempSync(join(tmpdir(), 'hook-state-'));
  bin = join(state, 'bin');
  for (const dir of [bin, join(state, 'secrets')]) spawnSync('mkdir', ['-p', dir]);
  for (const [name, body] of [
    ['az', azStub],
    ['azd', azdStub],
    ['npm', npmStub],
  ] as const) {
    writeFileSync(join(bin, name), body);
    chmodSync(join(bin, name), 0o755);
  }
  writeFileSync(
    join(state, 'azd.env'),
    Object.entries(outputs)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  );
});

afterEach(() => rmSync(state, { recursive: true, force: true }));

/** Runs the hook as azd does (outputs in the environment) unless `byHand`, when only `azd env` knows them. */
function runHook(options: { byHand?: boolean; env?: Record<string, string> } = {}) {
  const env: Record<string, string> = {
    PATH: `${bin}:/usr/bin:/bin`,
    HOME: state,
    STATE: state,
    FIRST_DAY_RETRY_SECONDS: '0',
    FIRST_DAY_RETRY_ATTEMPTS: '2',
    ...(options.byHand ? {} : outputs),
    ...options.env,
  };
  const result = spawnSync('sh', [hook], { env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const calls = () => (existsSync(join(state, 'calls.log')) ? readFileSync(join(state, 'calls.log'), 'utf8') : '');
const secretValues = () =>
  readdirSync(join(state, 'secrets')).map((name) => readFileSync(join(state, 'secrets', name), 'utf8'));
const seed = (...names: string[]) => {
  for (const name of names) writeFileSync(join(state, 'secrets', name), `value-of-${name}-do-not-print`);
};

describe('azd post-provision hook', () => {
  it('when the vault is new, then the deployer gets Key Vault Secrets Officer and table access on the right scopes', () => {
    const run = runHook({ env: { AZURE_PRINCIPAL_ID: 'deployer-id', AZURE_PRINCIPAL_TYPE: 'User' } });

    expect(run.status).toBe(0);
    expect(readFileSync(join(state, 'roles'), 'utf8').trim().split('\n')).toEqual([
      `${secretsOfficer} ${outputs.AZURE_KEY_VAULT_ID}`,
      `${tableContributor} ${outputs.AZURE_STORAGE_ACCOUNT_ID}`,
    ]);
    expect(calls()).toContain(
      `az role assignment create --assignee-object-id deployer-id --assignee-principal-type User --role ${secretsOfficer} --scope ${outputs.AZURE_KEY_VAULT_ID}`,
    );
  });

  it('when azd did not name the deployer, then the signed-in user is asked for', () => {
    runHook();

    expect(calls()).toContain('az ad signed-in-user show --query id -o tsv');
    expect(calls()).toContain('--assignee-object-id user-object-id --assignee-principal-type User');
  });

  it('when the webhook secret and clientState are absent, then each is generated at random from a file and never printed', () => {
    const run = runHook();

    const generated = ['cin7-webhook-secret', 'bc-client-state'].map((name) =>
      readFileSync(join(state, 'secrets', name), 'utf8'),
    );
    for (const value of generated) expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(generated[0]).not.toBe(generated[1]);
    for (const value of generated) {
      expect(run.stdout).not.toContain(value);
      expect(run.stderr).not.toContain(value);
      expect(calls()).not.toContain(value);
    }
    expect(calls()).toMatch(/az keyvault secret set --vault-name kv-cin7bc --name cin7-webhook-secret --file \S+/);
  });

  it('when the Cin7 and BC secrets are missing, then the exact set commands are printed without values and doctor is not run', () => {
    const run = runHook();

    for (const name of ['cin7-account-id', 'cin7-application-key', 'bc-client-secret']) {
      expect(run.stdout).toContain(`az keyvault secret set --vault-name kv-cin7bc --name ${name} --value '<`);
    }
    expect(run.stdout).toContain('D365 PURCH DOC, POST');
    expect(run.stdout).toContain('API.ReadWrite.All');
    expect(run.stdout).toContain('Config. Template Selection Rule');
    expect(run.stdout).toContain('doctor not run: missing cin7-account-id cin7-application-key bc-client-secret');
    expect(calls()).not.toContain('npm ');
  });

  it('when run a second time, then no role is assigned again and no secret is rewritten', () => {
    runHook();
    const before = secretValues();
    const firstCalls = calls();

    const run = runHook();
    const secondCalls = calls().slice(firstCalls.length);

    expect(run.status).toBe(0);
    expect(secondCalls).not.toContain('role assignment create');
    expect(secondCalls).not.toContain('secret set');
    expect(run.stdout).toContain('cin7-webhook-secret: present, kept');
    expect(secretValues()).toEqual(before);
  });

  it('when every secret is present, then doctor runs against the vault and table endpoint from the azd outputs', () => {
    seed('cin7-account-id', 'cin7-application-key', 'bc-client-secret', 'cin7-webhook-secret', 'bc-client-state');

    const run = runHook();

    expect(calls()).toContain(
      `npm run --silent cli -- doctor KEY_VAULT_URL=${outputs.KEY_VAULT_URL} TABLE=${outputs.AZURE_STORAGE_TABLE_ENDPOINT} BC_COMPANY_ID=${outputs.BC_COMPANY_ID}`,
    );
    expect(run.stdout).toContain('doctor output');
    expect(run.stdout).not.toContain('az keyvault secret set --vault-name');
    for (const value of secretValues()) expect(run.stdout + run.stderr).not.toContain(value);
  });

  it('when BC is reached through managed identity federation, then no BC client secret is asked for and doctor is not run locally', () => {
    seed('cin7-account-id', 'cin7-application-key');

    const run = runHook({ env: { BC_USE_MANAGED_IDENTITY_FEDERATION: 'true' } });

    expect(run.stdout).not.toContain('--name bc-client-secret');
    expect(run.stdout).toContain('/api/admin/health/deep');
    expect(calls()).not.toContain('npm ');
  });

  it('when run by hand outside azd, then the names are read from the azd environment', () => {
    const run = runHook({ byHand: true });

    expect(run.status).toBe(0);
    expect(calls()).toContain('azd env get-value AZURE_KEY_VAULT_NAME');
    expect(calls()).toContain('az keyvault secret list --vault-name kv-cin7bc');
  });

  it('when an azd output is missing, then the hook stops naming it and touches nothing', () => {
    writeFileSync(join(state, 'azd.env'), '');

    const run = runHook({ byHand: true });

    expect(run.status).toBe(1);
    expect(run.stderr).toContain('AZURE_KEY_VAULT_NAME is missing');
    expect(calls()).not.toMatch(/^az /m);
  });

  it('when the vault cannot be read yet, then the hook says to run it again and does not fail the deployment', () => {
    writeFileSync(join(state, 'kv-denied'), '');

    const run = runHook();

    expect(run.status).toBe(0);
    expect(run.stderr).toContain('could not list the secrets of kv-cin7bc');
    expect(calls().match(/keyvault secret list/g)).toHaveLength(2);
    expect(calls()).not.toContain('secret set');
  });
});
