/**
 * The dependency rule between VoiceRoom's units: deployables (server, agent-worker, sdk-js, client) share only the
 * packages under packages/, never import one another, and no file-level import cycle exists inside any unit.
 * Pure over an import graph; `readImportGraph` builds the graph from the source tree.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export interface Unit {
  /** Folder relative to the repository root, e.g. `server` or `packages/protocol`. */
  dir: string;
  /** The npm name other units import it by. */
  packageName: string;
  /** Units (by dir) this one may import. */
  mayImport: readonly string[];
}

export const UNITS: readonly Unit[] = [
  { dir: 'packages/protocol', packageName: '@voiceroom/protocol', mayImport: [] },
  { dir: 'packages/agent-core', packageName: '@voiceroom/agent-core', mayImport: ['packages/protocol'] },
  { dir: 'sdk-js', packageName: '@voiceroom/sdk', mayImport: ['packages/protocol'] },
  {
    dir: 'server',
    packageName: '@voiceroom/server',
    mayImport: ['packages/protocol', 'packages/agent-core'],
  },
  {
    dir: 'agent-worker',
    packageName: '@voiceroom/agent-worker',
    mayImport: ['packages/protocol', 'packages/agent-core'],
  },
  { dir: 'client', packageName: '@voiceroom/client', mayImport: ['sdk-js', 'packages/protocol'] },
];

/** file (repo-relative) -> the files and units it imports. */
export interface ImportGraph {
  files: Map<string, { unit: string; imports: { specifier: string; file?: string; unit?: string }[] }>;
}

export interface Violation {
  file: string;
  specifier: string;
  from: string;
  to: string;
}

export interface DependencyReport {
  violations: Violation[];
  /** Each cycle as the files on it, in import order. */
  cycles: string[][];
  /** Units whose package.json declares a @voiceroom dependency the rule forbids. */
  manifestViolations: { unit: string; dependency: string }[];
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*'([^']+)'|import\(\s*'([^']+)'\s*\)|(?:^|\n)\s*import\s*'([^']+)'/g;

export function unitOf(file: string, units: readonly Unit[] = UNITS): Unit | undefined {
  return units.find((u) => file === u.dir || file.startsWith(`${u.dir}/`));
}

/** Reads every .ts file under each unit's src/ and resolves its relative and @voiceroom imports. */
export function readImportGraph(root: string, units: readonly Unit[] = UNITS): ImportGraph {
  const files: ImportGraph['files'] = new Map();
  for (const unit of units) {
    for (const file of listTs(path.join(root, unit.dir, 'src'))) {
      const rel = path.relative(root, file);
      const text = readFileSync(file, 'utf8');
      const imports: { specifier: string; file?: string; unit?: string }[] = [];
      for (const match of text.matchAll(IMPORT)) {
        const specifier = (match[1] ?? match[2] ?? match[3]) as string;
        if (specifier.startsWith('.')) {
          const target = path.relative(root, path.resolve(path.dirname(file), specifier));
          imports.push({ specifier, file: target, unit: unitOf(target, units)?.dir ?? target });
        } else {
          const target = units.find(
            (u) => specifier === u.packageName || specifier.startsWith(`${u.packageName}/`),
          );
          if (target) imports.push({ specifier, unit: target.dir });
        }
      }
      files.set(rel, { unit: unit.dir, imports });
    }
  }
  return { files };
}

export function checkDependencies(
  graph: ImportGraph,
  units: readonly Unit[] = UNITS,
  manifests: ReadonlyMap<string, readonly string[]> = new Map(),
): DependencyReport {
  const allowed = new Map(units.map((u) => [u.dir, new Set([u.dir, ...u.mayImport])]));
  const violations: Violation[] = [];
  for (const [file, { unit, imports }] of graph.files) {
    for (const imp of imports) {
      if (imp.unit !== undefined && !allowed.get(unit)?.has(imp.unit)) {
        violations.push({ file, specifier: imp.specifier, from: unit, to: imp.unit });
      }
    }
  }
  const manifestViolations: DependencyReport['manifestViolations'] = [];
  for (const [unitDir, deps] of manifests) {
    for (const dependency of deps) {
      const target = units.find((u) => u.packageName === dependency);
      if (target && !allowed.get(unitDir)?.has(target.dir))
        manifestViolations.push({ unit: unitDir, dependency });
    }
  }
  return { violations, cycles: findCycles(graph), manifestViolations };
}

/** The @voiceroom dependencies each unit's package.json declares. */
export function readManifests(root: string, units: readonly Unit[] = UNITS): Map<string, string[]> {
  const manifests = new Map<string, string[]>();
  for (const unit of units) {
    const file = path.join(root, unit.dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, string> | undefined>;
    const names = [pkg.dependencies, pkg.devDependencies, pkg.peerDependencies].flatMap((d) =>
      Object.keys(d ?? {}),
    );
    manifests.set(
      unit.dir,
      names.filter((n) => n.startsWith('@voiceroom/')),
    );
  }
  return manifests;
}

/** Strongly connected components of more than one file (Tarjan), i.e. import cycles. */
function findCycles(graph: ImportGraph): string[][] {
  const edges = new Map<string, string[]>();
  for (const [file, { imports }] of graph.files) {
    edges.set(
      file,
      imports.flatMap((i) => (i.file && graph.files.has(i.file) ? [i.file] : [])),
    );
  }
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, indices.get(w) as number));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.reverse());
    }
  };
  for (const file of edges.keys()) if (!indices.has(file)) visit(file);
  return cycles;
}

function listTs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : listTs(full);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}
