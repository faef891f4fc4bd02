import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';
import { describe, expect, it } from 'vitest';

const functionsDir = new URL('../../src/functions/', import.meta.url);
const mainUrl = new URL('../../src/main.ts', import.meta.url);
const main = readFileSync(mainUrl, 'utf8');
const functionFiles = readdirSync(functionsDir)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => ({ file, text: readFileSync(new URL(file, functionsDir), 'utf8') }));

/** A function module wires a handler on the app runtime (imports it); the helpers beside them do not. */
const functionModules = functionFiles.filter(({ text }) => /from '\.\/app-runtime\.js'/.test(text));

describe('deployed entry point', () => {
  it('when a file under src/functions calls app.http/timer/serviceBusQueue itself, then this fails: src/main.ts registers every function', () => {
    for (const { file, text } of functionFiles)
      expect(text, `${file}: export the wired handler and register it in src/main.ts`).not.toMatch(
        /\bapp\.(http|timer|serviceBusQueue|storageQueue|get|post|put|patch|deleteRequest)\(/,
      );
  });

  it('when a file under src/functions wires a handler, then src/main.ts loads it with import() and registers each wired export', () => {
    expect(functionModules.length).toBeGreaterThan(0);
    for (const { file, text } of functionModules) {
      expect(main, `${file} is never registered in src/main.ts`).toContain(
        `import('./functions/${file.replace(/\.ts$/, '.js')}')`,
      );
      // `export const name =` or `export const { name, other } =`
      const wired = [...text.matchAll(/^export const (?:(\w+)|\{([^}]+)\}) =/gm)].flatMap((match) =>
        (match[1] ?? match[2] ?? '').split(',').map((name) => name.trim()),
      );
      expect(wired.length, `${file} exports no wired handler`).toBeGreaterThan(0);
      for (const name of wired)
        expect(main, `${file}: ${name} is not registered`).toMatch(new RegExp(`\\bm\\.${name}\\b`));
    }
  });

  it('when src/main.ts is read, then it imports no function module statically', () => {
    const staticImports = [...main.matchAll(/^import\s[^;]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm)].map(
      (match) => match[1] ?? match[2],
    );
    expect(staticImports).toEqual([
      './index.js',
      '@azure/functions',
      './functions/registration.js',
      './functions/console-routes.js',
    ]);
  });

  it('when the app is bundled, then the code a cold start loads holds no zod, settings, use case or runtime', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(mainUrl)],
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node22',
      outdir: fileURLToPath(new URL('../../dist/entry-point-test/', import.meta.url)),
      external: ['applicationinsights', '@azure/functions-core'],
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
    const loadedAtStart = staticClosure(result.metafile);
    expect(loadedAtStart.some((input) => input.endsWith('src/main.ts'))).toBe(true);
    const heavy = loadedAtStart.filter((input) =>
      /node_modules\/(zod|@azure\/(identity|keyvault-secrets|data-tables|service-bus)|undici)\/|src\/(sync|config|compose|cin7|bc|store|queue|telemetry)\//.test(
        input,
      ),
    );
    expect(heavy).toEqual([]);
  });
});

/** The source files in the entry chunk and every chunk it imports statically (what `import` of main loads). */
function staticClosure(metafile: Metafile): string[] {
  const outputs = metafile.outputs;
  const entry = Object.keys(outputs).find((path) => outputs[path]?.entryPoint?.endsWith('src/main.ts'));
  const seen = new Set<string>();
  const pending = entry === undefined ? [] : [entry];
  const inputs: string[] = [];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (seen.has(path)) continue;
    seen.add(path);
    const output = outputs[path];
    if (!output) continue;
    inputs.push(...Object.keys(output.inputs));
    for (const imported of output.imports) if (imported.kind === 'import-statement') pending.push(imported.path);
  }
  return inputs;
}
