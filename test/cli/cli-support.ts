/** Runs the CLI in-process against a sandbox, capturing what it prints. */
import { createBcLimiter } from '../../src/bc/client.js';
import { createCin7Limiter } from '../../src/cin7/limiter.js';
import { runCli } from '../../src/cli/main.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import { createTrustingHttpClient } from '../sandbox/entra/trusting-http-client.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as the one JSON object `--json` prints. */
  json<T = Record<string, unknown>>(): T;
}

export async function runCliAgainst(
  sandbox: Sandbox,
  argv: string[],
  env: Record<string, string | undefined> = {},
  options: { tty?: boolean } = {},
): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(
    argv,
    {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: (s: string) => err.push(s) },
      env: { ...sandbox.env, ...env },
      tty: options.tty,
    },
    {
      runtime: {
        identityHttpClient: createTrustingHttpClient(sandbox.entra.caCertificatePem),
        cin7Limiter: createCin7Limiter({ callsPerMinute: 1_000_000 }),
        bcLimiter: createBcLimiter(),
      },
    },
  );
  const stdout = out.join('');
  return { code, stdout, stderr: err.join(''), json: <T>() => JSON.parse(stdout) as T };
}
