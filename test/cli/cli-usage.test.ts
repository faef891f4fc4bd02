import { describe, expect, it } from 'vitest';
import { helpText, runCli } from '../../src/cli/main.js';

async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    env,
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('cin7-bc usage', () => {
  it('when --help is asked for, then the commands and every exit code are printed and the exit code is 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(helpText);
    for (const text of [
      'doctor',
      'sync [--since ISO] [--dry-run]',
      'mappings import <file.csv>',
      'records [--state S]',
      'replay <type> <id>',
      '0  done',
      '1  records need attention',
      '2  usage',
      '3  connection',
    ]) {
      expect(result.stdout).toContain(text);
    }
  });

  it('when the command is unknown, then one error line says so and the exit code is 2', async () => {
    const result = await run(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: unknown command 'frobnicate' (run cin7-bc --help)\n");
  });

  it('when an option does not apply to the command, then the exit code is 2', async () => {
    const result = await run(['doctor', '--dry-run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--dry-run does not apply to doctor');
  });

  it('when --since is not a date, then the exit code is 2 and nothing is contacted', async () => {
    const result = await run(['sync', '--since', 'yesterday']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--since must be an ISO date-time');
  });

  it('when settings are missing, then one line names every missing setting and the exit code is 2', async () => {
    const result = await run(['doctor'], { AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    for (const name of ['BC_TENANT_ID', 'BC_ENVIRONMENT', 'BC_COMPANY_ID', 'BC_CLIENT_ID', 'CIN7_ACCOUNT_ID'])
      expect(result.stderr).toContain(name);
  });

  it('when the --settings file does not exist, then the exit code is 2 and the path is named', async () => {
    const result = await run(['doctor', '--settings', '/nonexistent/local.settings.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('/nonexistent/local.settings.json');
  });
});

describe('cin7-bc command words', () => {
  it('when a command word is an Object property name, then it is an unknown command (exit 2), not a crash', async () => {
    const result = await run(['constructor']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'constructor'");
  });

  it('when a group command lacks its second word, then the error lists the choices', async () => {
    const result = await run(['webhooks']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('webhooks needs one of: setup, check');
  });
});
