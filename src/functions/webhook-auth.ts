import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks the shared secret Cin7 sends (DESIGN §4: Cin7 webhooks are unsigned, so the endpoint demands Basic
 * or Bearer auth configured on the Cin7 webhook). Both sides are hashed first so the comparison takes the
 * same time whatever the lengths, and no early exit reveals how much of a guess was right.
 */
export function presentsSecret(authorization: string | null, secret: string): boolean {
  if (!authorization || secret.length === 0) return false;
  const [scheme = '', ...rest] = authorization.trim().split(/\s+/);
  const credential = rest.join(' ');
  let presented: string | undefined;
  if (scheme.toLowerCase() === 'bearer') {
    presented = credential;
  } else if (scheme.toLowerCase() === 'basic') {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // Cin7 sends a user name and a password; the password is the secret, the user name is not checked.
    presented = colon >= 0 ? decoded.slice(colon + 1) : undefined;
  }
  if (presented === undefined) return false;
  return constantTimeEqual(presented, secret);
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a, 'utf8').digest();
  const right = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(left, right);
}
