/** `npm run lint` step: fails on an import cycle in `src` or an import across a layer boundary. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findCycles, findLayerViolations, readImportGraph } from './import-graph.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const edges = readImportGraph(root);
const problems = [
  ...findCycles(edges).map((cycle) => `import cycle: ${cycle.join(' -> ')}`),
  ...findLayerViolations(edges).map((line) => `layer boundary: ${line}`),
];
for (const problem of problems) console.error(problem);
if (problems.length > 0) process.exit(1);
