/**
 * The console's page files built in memory with esbuild, the same way `npm run bundle:console` writes them to
 * `dist/app/console/`, so the demo and the browser tests serve the current source without a build step.
 */
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { toConsoleAsset, type ConsoleAsset, type ConsoleAssets } from '../../src/functions/admin-console.js';

const source = new URL('../../src/console/', import.meta.url);

export async function buildConsoleAssets(): Promise<ReadonlyMap<string, ConsoleAsset>> {
  const bundle = await build({
    entryPoints: [new URL('main.ts', source).pathname],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
  });
  const files: Array<[string, Buffer]> = [
    ['console.js', Buffer.from(bundle.outputFiles[0]?.contents ?? new Uint8Array())],
    ['index.html', await readFile(new URL('index.html', source))],
    ['console.css', await readFile(new URL('console.css', source))],
  ];
  const assets = new Map<string, ConsoleAsset>();
  for (const [name, body] of files) {
    const asset = toConsoleAsset(name, body);
    if (asset) assets.set(name, asset);
  }
  return assets;
}

/** Built once per process, on first use. */
export function inMemoryConsoleAssets(): ConsoleAssets {
  let built: Promise<ReadonlyMap<string, ConsoleAsset>> | undefined;
  return () => (built ??= buildConsoleAssets());
}
