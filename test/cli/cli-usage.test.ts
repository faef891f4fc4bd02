import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
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
      'replay <reference>',
      'replay --state S',
      '--version',
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

describe('cin7-bc flags before settings', () => {
  const noSettings = { AzureWebJobsStorage: 'UseDevelopmentStorage=true' };

  it('when --version is asked for, then the package version is printed without any settings', async () => {
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    const result = await run(['--version']);
    expect([result.code, result.stdout]).toEqual([0, `${version}\n`]);
  });

  it('when an option is unknown and no settings exist, then it is a usage error (exit 2), not a settings error', async () => {
    const result = await run(['records', '--bogus'], noSettings);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Unknown option '--bogus'");
    expect(result.stderr).not.toContain('BC_TENANT_ID');
  });

  it('when an option value is wrong and no settings exist, then the value is named (exit 2) before settings are read', async () => {
    for (const argv of [
      ['records', '--state', 'lost'],
      ['records', '--limit', '0'],
      ['replay', '--state', 'posted', '--type', 'invoice'],
      ['mappings', 'export', '--kind', 'warehouse'],
    ]) {
      const result = await run(argv, noSettings);
      expect(result.code).toBe(2);
      expect(result.stderr).not.toContain('settings are invalid');
    }
  });

  it('when replay has neither a record nor --state, or both, then it is a usage error', async () => {
    expect((await run(['replay'])).stderr).toContain('replay needs a record');
    expect((await run(['replay', 'PO-1', '--state', 'failed'])).stderr).toContain('either a record or --state');
  });

  it('when settings are invalid under --json, then stdout is one JSON object with the error and exit code 2', async () => {
    const result = await run(['doctor', '--json'], noSettings);
    expect(result.code).toBe(2);
    const printed = JSON.parse(result.stdout) as { command: string; error: string; exitCode: number };
    expect(printed).toMatchObject({ command: 'doctor', exitCode: 2 });
    expect(printed.error).toContain('BC_TENANT_ID');
  });

  it('when a usage error happens under --json, then stdout carries it as JSON too', async () => {
    const result = await run(['records', '--json', '--state', 'lost']);
    expect(result.code).toBe(2);
    const printed = JSON.parse(result.stdout) as { error: string; exitCode: number };
    expect(printed.exitCode).toBe(2);
    expect(printed.error).toContain('--state');
  });
});

describe('cin7-bc as a child process', () => {
  it('when the reader of stdout closes early (| head), then the CLI ends quietly: no stack trace, exit 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--help'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Like `head` after its lines: the pipe is closed before the CLI writes.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
