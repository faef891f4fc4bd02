#!/usr/bin/env bash
# Lays out dist/deploy, the folder azd zips and deploys (azure.yaml `dist`): the esbuild bundle without source
# maps, host.json, a package.json naming only what the bundle leaves external, and that package's installed
# dependency closure copied from node_modules (no TypeScript, no dev dependencies, no network needed).
# `--zip` also zips it as the deployment does and prints the size (README "Measured").
# Run after `npm run bundle` (`npm run build` does both).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="$ROOT/dist/deploy"
[[ -f "$ROOT/dist/app/main.js" ]] || { echo "package-app: dist/app/main.js is missing; run npm run bundle first" >&2; exit 1; }

rm -rf "$OUT"
mkdir -p "$OUT/app"
cp "$ROOT"/dist/app/*.js "$OUT/app/"
# The operator console's page (npm run bundle:console), served by the app under /api/console.
[[ -d "$ROOT/dist/app/console" ]] && cp -r "$ROOT/dist/app/console" "$OUT/app/console"
cp "$ROOT/host.json" "$OUT/"

node --input-type=module - "$ROOT" "$OUT" <<'JS'
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

const [root, out] = process.argv.slice(2);
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const rootPkg = readJson(join(root, 'package.json'));
// What the bundle does not contain (package.json "bundle": --external); @azure/functions-core is the host's.
const external = ['applicationinsights'];

// Node's lookup: <dir>/node_modules/<name>, then the node_modules of each parent up to the project root.
function locate(from, name) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dirname(dir) === dir) return undefined;
  }
}

const packages = new Set();
const pending = external.map((name) => {
  const dir = locate(root, name);
  if (!dir) throw new Error(`package-app: ${name} is not installed; run npm ci`);
  return dir;
});
while (pending.length > 0) {
  const dir = pending.pop();
  if (packages.has(dir)) continue;
  packages.add(dir);
  const pkg = readJson(join(dir, 'package.json'));
  const wanted = { ...pkg.peerDependencies, ...pkg.optionalDependencies, ...pkg.dependencies };
  for (const name of Object.keys(wanted)) {
    // Type declarations never run (protobufjs lists @types/node as a dependency).
    if (name.startsWith('@types/')) continue;
    const found = locate(dir, name);
    if (found) pending.push(found);
    else if (pkg.dependencies?.[name]) throw new Error(`package-app: ${name}, needed by ${pkg.name}, is not installed`);
  }
}

// Source maps, TypeScript sources and declarations, and docs are not needed to run.
const skip = /\.(map|ts|mts|cts|md|markdown)$/i;
for (const dir of packages) {
  cpSync(dir, join(out, relative(root, dir)), {
    recursive: true,
    filter: (src) => !src.startsWith(join(dir, 'node_modules') + sep) && !skip.test(src),
  });
}

writeFileSync(
  join(out, 'package.json'),
  `${JSON.stringify(
    {
      name: rootPkg.name,
      version: rootPkg.version,
      private: true,
      type: 'module',
      main: 'app/main.js',
      // The deploy target (infra/app/function.bicep nodeVersion); tests keep running on the machine's Node.
      engines: { node: '>=22' },
      dependencies: Object.fromEntries(external.map((name) => [name, readJson(join(locate(root, name), 'package.json')).version])),
    },
    null,
    2,
  )}\n`,
);
process.stdout.write(`package-app: dist/deploy holds the bundle and ${packages.size} production packages\n`);
JS

# The deployment zips this folder as it is (azure.yaml remoteBuild: false).
printf '*.map\n*.ts\n' >"$OUT/.funcignore"

if [[ "${1:-}" == "--zip" ]]; then
  rm -f "$ROOT/dist/deploy.zip"
  (cd "$OUT" && zip -qrX "$ROOT/dist/deploy.zip" .)
  files="$(find "$OUT" -type f | wc -l | tr -d ' ')"
  bytes="$(stat -c %s "$ROOT/dist/deploy.zip")"
  echo "package-app: dist/deploy.zip is $((bytes / 1024)) KiB ($files files)"
fi
