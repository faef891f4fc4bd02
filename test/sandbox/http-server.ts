/**
 * Tiny helpers shared by the simulators: an HTTP(S) server on 127.0.0.1 with an ephemeral port, and
 * reading a request's body.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface StartedHttpServer {
  /** `http://127.0.0.1:<port>` without a trailing slash. */
  url: string;
  server: Server;
  /** Stops listening and destroys open (keep-alive) connections so tests end promptly. */
  close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1, port 0 (the OS picks a free port). */
export async function startHttpServer(handler: RequestListener): Promise<StartedHttpServer> {
  const server = createServer(handler);
  const { port, close } = await listenOnLoopback(server);
  return { url: `http://127.0.0.1:${port}`, server, close };
}

/**
 * Listens on 127.0.0.1, port 0 (the OS picks a free port), for a plain or TLS server; `close` stops listening
 * and destroys open (keep-alive) connections so tests end promptly.
 */
export async function listenOnLoopback(
  server: Server | HttpsServer,
): Promise<{ port: number; close: () => Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The whole request body, as bytes. */
export async function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The whole request body as UTF-8 text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8');
}
