/**
 * `npm run check:deps`: prints the dependency rule's findings (imports between deployables, import cycles,
 * package.json dependencies the rule forbids) as JSON and exits 1 when there is any.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDependencies, readImportGraph, readManifests } from './dependencyRules.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const graph = readImportGraph(root);
const report = checkDependencies(graph, undefined, readManifests(root));
console.log(JSON.stringify({ files: graph.files.size, ...report }, null, 2));
const failures = report.violations.length + report.cycles.length + report.manifestViolations.length;
if (failures > 0) {
  console.error(
    `${failures} dependency rule failure(s): deployables may import only packages/* (see docs/ARCHITECTURE.md); break cycles by passing callbacks or events up.`,
  );
  process.exit(1);
}
