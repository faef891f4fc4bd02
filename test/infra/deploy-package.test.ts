/**
 * The folder azd deploys (azure.yaml `dist: dist/deploy`, laid out by infra/tools/package-app.sh): the bundle
 * and the production dependencies it leaves external, nothing else.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const deploy = join(root, 'dist', 'deploy');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'app', 'main.js'))) {
    execFileSync('npm', ['run', 'bundle'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  execFileSync('bash', [join(root, 'infra', 'tools', 'package-app.sh')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}, 120_000);

describe('deploy package', () => {
  it('when packaged, then it holds the bundle and no source map, TypeScript or dev dependency', () => {
    const all = files(deploy);
    expect(existsSync(join(deploy, 'app', 'main.js'))).toBe(true);
    expect(existsSync(join(deploy, 'host.json'))).toBe(true);
    expect(all.filter((f) => /\.(map|ts)$/.test(f))).toEqual([]);
    const devDependencies = Object.keys(
      (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> })
        .devDependencies,
    );
    for (const name of devDependencies) expect(existsSync(join(deploy, 'node_modules', name)), name).toBe(false);
  });

  it('when packaged, then its package.json targets Node 22 and names only what the bundle leaves external', () => {
    const pkg = JSON.parse(readFileSync(join(deploy, 'package.json'), 'utf8')) as {
      main: string;
      engines: { node: string };
      dependencies: Record<string, string>;
      devDependencies?: unknown;
    };
    expect(pkg.main).toBe('app/main.js');
    expect(pkg.engines.node).toBe('>=22');
    expect(Object.keys(pkg.dependencies)).toEqual(['applicationinsights']);
    expect(pkg.devDependencies).toBeUndefined();
    expect(existsSync(join(deploy, 'node_modules', 'applicationinsights', 'package.json'))).toBe(true);
  });

  it('azd deploys that folder as it is', () => {
    const azureYaml = readFileSync(join(root, 'azure.yaml'), 'utf8');
    expect(azureYaml).toMatch(/^\s+dist: dist\/deploy$/m);
    expect(azureYaml).toMatch(/^\s+remoteBuild: false$/m);
  });
});
