/**
 * The azd post-provision hook exists twice: infra/hooks/postprovision.sh (Linux, macOS) and its PowerShell twin
 * infra/hooks/postprovision.ps1 (Windows; pwsh is not on the build machine, so only the shell script is run, in
 * postprovision-hook.test.ts). Read from the files, both must name the same roles, outputs, secrets and
 * commands, print the same text and take the steps in the same order.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretNames } from '../../src/config/secrets.js';

const root = resolve(import.meta.dirname, '../..');
const sh = readFileSync(join(root, 'infra', 'hooks', 'postprovision.sh'), 'utf8');
const ps1 = readFileSync(join(root, 'infra', 'hooks', 'postprovision.ps1'), 'utf8');
const azureYaml = readFileSync(join(root, 'azure.yaml'), 'utf8');

/** The code without its comment lines (`#` in both languages). */
const code = (text: string): string => text.replace(/^\s*#.*$/gm, '');

const all = (text: string, pattern: RegExp, group = 1): string[] =>
  [...new Set([...text.matchAll(pattern)].map((match) => match[group] ?? ''))].sort();

/** The fixed lines each script prints: `say '…'` (sh, `'"'"'` is a quote) and `Say '…'` (pwsh, `''` is one). */
function printedLiterals(): { sh: string[]; ps1: string[] } {
  const shText = sh.replaceAll(`'"'"'`, '\u2019');
  const fromSh = all(shText, /^\s*say '([^']*)'$/gm);
  const fromPs1 = all(ps1, /^\s*Say '((?:[^']|'')*)'$/gm).map((line) => line.replaceAll("''", '\u2019'));
  return { sh: fromSh, ps1: fromPs1 };
}

describe('post-provision hook twins', () => {
  it('when both scripts are read, then they grant the same roles', () => {
    const guid = /\b([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/g;
    expect(all(ps1, guid)).toEqual(all(sh, guid));
    expect(all(sh, guid)).toHaveLength(2);
  });

  it('when both scripts are read, then they read the same azd outputs and settings', () => {
    const names =
      /\b(AZURE_[A-Z_]+|KEY_VAULT_URL|BC_[A-Z_]+|FIRST_DAY_RETRY_[A-Z]+|PUBLIC_BASE_URL|AzureWebJobsStorage__\w+)\b/g;
    expect(all(ps1, names)).toEqual(all(sh, names));
  });

  it('when both scripts are read, then they name every Key Vault secret of DESIGN §5 and no other', () => {
    const secret = /\b(cin7-[a-z-]+|bc-client-[a-z]+)\b/g;
    expect(all(ps1, secret)).toEqual([...secretNames].sort());
    expect(all(sh, secret)).toEqual([...secretNames].sort());
  });

  it('when both scripts are read, then they run the same az commands with the same options, and doctor through npm', () => {
    const commands = all(code(ps1), /\b(?:az|Invoke-Az) ([a-z]+ [a-z-]+ [a-z-]+)/g);
    expect(commands).toEqual(all(code(sh), /\baz ([a-z]+ [a-z-]+ [a-z-]+)/g));
    expect(commands).toEqual(expect.arrayContaining(['role assignment create', 'keyvault secret set']));
    const option = /\s(--[a-z][a-z-]*)\b/g;
    expect(all(code(ps1), option)).toEqual(all(code(sh), option));
    expect(sh).toContain('npm run --silent cli -- doctor');
    expect(ps1).toContain("npm run --silent cli '--' doctor");
  });

  it('when both scripts are read, then they print the same fixed text', () => {
    const { sh: fromSh, ps1: fromPs1 } = printedLiterals();
    expect(fromSh.length).toBeGreaterThan(10);
    expect(fromPs1).toEqual(fromSh);
  });

  it('when both scripts are read, then their steps come in the same order', () => {
    const steps = [
      'First-day setup for Key Vault',
      'Roles for the deploying principal',
      'Key Vault Secrets Officer on the vault',
      'Storage Table Data Contributor on the storage account',
      'could not list the secrets of',
      'Generated secrets',
      'Set these secrets',
      'Business Central side',
      'doctor not run: missing',
      'doctor not run: with BC_USE_MANAGED_IDENTITY_FEDERATION',
      'All secrets present',
    ];
    for (const script of [sh, ps1]) {
      const positions = steps.map((step) => script.indexOf(step));
      expect(positions.every((position) => position >= 0)).toBe(true);
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
    }
  });

  it('when azd runs the hook, then Linux and macOS get the shell script and Windows the PowerShell twin', () => {
    expect(azureYaml).toMatch(/posix:\n\s+shell: sh\n\s+run: infra\/hooks\/postprovision\.sh\n/);
    expect(azureYaml).toMatch(/windows:\n\s+shell: pwsh\n\s+run: infra\/hooks\/postprovision\.ps1\n/);
  });
});
