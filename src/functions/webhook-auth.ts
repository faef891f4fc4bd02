import { createHash, timingSafeEqual } from 'node:crypto';
import { cin7WebhookSecretHeader } from '../cin7/webhook-payloads.js';

/** The request headers the check reads (`HttpRequest.headers` fits). */
export interface HeaderSource {
  get(name: string): string | null;
}

/**
 * Checks the shared secret on a Cin7 delivery (DESIGN §4: Cin7 webhooks are unsigned). Accepted: the
 * connector's own header (what `setupCin7Webhooks` registers through `ExternalHeaders`), Basic auth whose
 * password is the secret (a webhook a partner set up by hand), and `Authorization: Bearer <secret>` (webhooks
 * registered by earlier versions). Each comparison hashes both sides first, so it takes the same time whatever
 * the lengths and no early exit reveals how much of a guess was right.
 */
export function presentsSecret(headers: HeaderSource, secret: string): boolean {
  if (secret.length === 0) return false;
  const presented = [headers.get(cin7WebhookSecretHeader) ?? undefined, credentialIn(headers.get('authorization'))];
  return presented.some((value) => value !== undefined && constantTimeEqual(value, secret));
}

/** The secret an `Authorization` header carries: the Bearer token, or the Basic password. */
function credentialIn(authorization: string | null): string | undefined {
  if (!authorization) return undefined;
  const [scheme = '', ...rest] = authorization.trim().split(/\s+/);
  const credential = rest.join(' ');
  if (scheme.toLowerCase() === 'bearer') return credential;
  if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // A user name and a password; the password is the secret, the user name is not checked.
    return colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  return undefined;
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right);
}
