/**
 * A tiny HTTP proxy in front of a simulator that rewrites matching JSON responses, so the connector's clients
 * meet answers that violate the API's schema (a field missing, a number that is an object, …).
 */
import { request } from 'undici';
import { readBodyBytes, startHttpServer } from '../sandbox/http-server.js';

export interface Corruption {
  method?: string;
  /** Matched against the path without the query string. */
  path: RegExp;
  /** Returns the body to send instead. */
  mutate(body: unknown): unknown;
}

export interface CorruptingProxy {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  setTarget(origin: string): void;
  /** Replaces the active corruptions. */
  corrupt(...corruptions: Corruption[]): void;
  /** How many responses were rewritten. */
  readonly rewritten: number;
  close(): Promise<void>;
}

const hopByHop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

export async function startCorruptingProxy(): Promise<CorruptingProxy> {
  let target = '';
  let corruptions: Corruption[] = [];
  let rewritten = 0;
  const server = await startHttpServer((req, res) => {
    void (async () => {
      const method = req.method ?? 'GET';
      const body = await readBodyBytes(req);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string' && !hopByHop.has(name)) headers[name] = value;
      const upstream = await request(`${target}${req.url ?? '/'}`, {
        method: method as 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      let text = await upstream.body.text();
      const path = new URL(req.url ?? '/', 'http://proxy').pathname;
      const rule = corruptions.find((c) => (c.method === undefined || c.method === method) && c.path.test(path));
      if (rule !== undefined && upstream.statusCode >= 200 && upstream.statusCode < 300 && text !== '') {
        try {
          text = JSON.stringify(rule.mutate(JSON.parse(text)));
          rewritten += 1;
        } catch {
          // Not JSON: passed through as it came.
        }
      }
      const out: Record<string, string> = {};
      for (const [name, value] of Object.entries(upstream.headers))
        if (typeof value === 'string' && !hopByHop.has(name)) out[name] = value;
      out['content-length'] = String(Buffer.byteLength(text));
      res.writeHead(upstream.statusCode, out);
      res.end(text);
    })().catch(() => {
      req.socket.destroy();
    });
  });
  return {
    url: server.url,
    setTarget: (origin) => {
      target = origin;
    },
    corrupt: (...next) => {
      corruptions = next;
    },
    get rewritten() {
      return rewritten;
    },
    close: () => server.close(),
  };
}

/** A copy of `value` with the field at `path` replaced by `replacement` (`undefined` deletes it). */
export function replaceAt(value: unknown, path: ReadonlyArray<string | number>, replacement: unknown): unknown {
  const copy: unknown = structuredClone(value);
  let node: unknown = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof node !== 'object' || node === null) return copy;
    node = (node as Record<string | number, unknown>)[key];
  }
  const last = path[path.length - 1];
  if (typeof node !== 'object' || node === null || last === undefined) return copy;
  const record = node as Record<string | number, unknown>;
  if (replacement === undefined) delete record[last];
  else record[last] = replacement;
  return copy;
}
