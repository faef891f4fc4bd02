/**
 * `webhooks setup|check` and `subscriptions check`: the same use cases the timers run, so an operator can
 * register the Cin7 webhooks at deployment and repair Cin7 webhooks or BC subscriptions on demand.
 */
import { bcNotificationUrl, ensureBcSubscriptions } from '../sync/subscriptions/bc-subscriptions.js';
import { checkCin7Webhooks, cin7WebhookUrl, setupCin7Webhooks } from '../sync/subscriptions/cin7-webhooks.js';
import { CliError, exitCodes, type CliIo, type CliSession, type ExitCode, writeJson } from './cli-context.js';

function publicBaseUrl(session: CliSession, what: string): string {
  const url = session.settings.webhooks.publicBaseUrl;
  if (url === undefined) {
    throw new CliError(
      `PUBLIC_BASE_URL is not set, so ${what} cannot point at the app: set it to the function app's https address`,
      exitCodes.usage,
    );
  }
  return url;
}

export async function webhooksCommand(
  session: CliSession,
  io: CliIo,
  mode: 'setup' | 'check',
  flags: { json: boolean },
): Promise<ExitCode> {
  const webhookUrl = cin7WebhookUrl(publicBaseUrl(session, 'Cin7 webhooks'));
  const secret = await session.runtime.getWebhookSecret();
  session.progress(`${mode === 'setup' ? 'registering' : 'checking'} Cin7 webhooks for ${webhookUrl}`);
  const reports = await (mode === 'setup' ? setupCin7Webhooks : checkCin7Webhooks)(session.deps, {
    webhookUrl,
    secret,
  });
  if (flags.json) {
    writeJson(io, { command: `webhooks ${mode}`, webhookUrl, webhooks: reports, exitCode: exitCodes.ok });
    return exitCodes.ok;
  }
  for (const r of reports) io.stdout.write(`${r.type.padEnd(28)} ${r.action.padEnd(12)} ${r.webhookId}\n`);
  io.stdout.write(`Cin7 webhooks point at ${webhookUrl}.\n`);
  return exitCodes.ok;
}

export async function subscriptionsCommand(
  session: CliSession,
  io: CliIo,
  flags: { json: boolean },
): Promise<ExitCode> {
  const notificationUrl = bcNotificationUrl(publicBaseUrl(session, 'BC subscriptions'));
  const clientState = await session.runtime.getClientState();
  session.progress(`checking BC subscriptions for ${notificationUrl}`);
  const reports = await ensureBcSubscriptions(session.deps, {
    notificationUrl,
    clientState,
    companyId: session.settings.bc.companyId,
  });
  if (flags.json) {
    writeJson(io, { command: 'subscriptions check', notificationUrl, subscriptions: reports, exitCode: exitCodes.ok });
    return exitCodes.ok;
  }
  for (const r of reports) {
    const removed = r.removed.length > 0 ? `; removed duplicates ${r.removed.join(', ')}` : '';
    io.stdout.write(
      `${r.resource.padEnd(8)} ${r.action.padEnd(11)} ${r.subscriptionId} expires ${r.expirationDateTime}${removed}\n`,
    );
  }
  io.stdout.write(`BC notifications go to ${notificationUrl}.\n`);
  return exitCodes.ok;
}
