/**
 * The import graph of `src`, read from the source text (relative specifiers only), for the layer and cycle
 * checks that lint runs (`npm run lint`) and `test/architecture` keeps honest.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ImportEdge {
  from: string;
  to: string;
  typeOnly: boolean;
}

const importPattern = /(?:^|\n)\s*(import|export)(\s+type)?[^'";]*?from\s*'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listSources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every relative import in `root/src`, as repository-relative paths of `.ts` files. */
export function readImportGraph(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of listSources(path.join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(importPattern)) {
      const specifier = match[3] ?? match[4];
      if (specifier === undefined) continue;
      const target = path.join(path.dirname(file), specifier).replace(/\.js$/, '.ts');
      edges.push({
        from: path.relative(root, file),
        to: path.relative(root, target),
        typeOnly: match[2] !== undefined,
      });
    }
  }
  return edges;
}

/** Cycles among runtime (non type-only) imports, each as the list of files around it. */
export function findCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    if (edge.typeOnly) continue;
    next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  }
  const cycles: string[][] = [];
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (file: string): void => {
    const at = onPath.indexOf(file);
    if (at >= 0) {
      cycles.push([...onPath.slice(at), file]);
      return;
    }
    if (done.has(file)) return;
    onPath.push(file);
    for (const target of next.get(file) ?? []) visit(target);
    onPath.pop();
    done.add(file);
  };
  for (const file of next.keys()) visit(file);
  return cycles;
}

/** The top folder of `src` a file belongs to (`src/sync/jobs/run-job.ts` → `sync`). */
export function layerOf(file: string): string {
  const parts = file.split(path.sep);
  return parts[0] === 'src' && parts.length > 2 ? (parts[1] ?? '') : '';
}

const adapters = new Set(['cin7', 'bc', 'store', 'queue', 'config', 'telemetry', 'http']);
const forbiddenForUseCases = new Set(['store', 'queue', 'config', 'telemetry', 'compose', 'functions', 'cli']);

/** Imports that cross a layer boundary the wrong way (README "Project layout"), as readable lines. */
export function findLayerViolations(edges: readonly ImportEdge[]): string[] {
  const violations: string[] = [];
  for (const edge of edges) {
    const from = layerOf(edge.from);
    const to = layerOf(edge.to);
    if (from === to) continue;
    const isApiSchema = edge.to.endsWith(`${path.sep}schemas.ts`) && (to === 'cin7' || to === 'bc');
    const clientCode = (to === 'cin7' || to === 'bc') && !isApiSchema && !edge.to.endsWith('webhook-payloads.ts');
    const bad =
      (from === 'core' && !(isApiSchema && edge.typeOnly)) ||
      ((from === 'sync' || from === 'mapping') && (forbiddenForUseCases.has(to) || clientCode)) ||
      (from === 'mapping' && to === 'sync') ||
      (adapters.has(from) && to === 'sync');
    if (bad) violations.push(`${edge.from} imports ${edge.to}`);
  }
  return violations;
}
