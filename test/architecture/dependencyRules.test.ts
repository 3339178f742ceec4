import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkDependencies,
  type ImportGraph,
  readImportGraph,
  readManifests,
  UNITS,
} from '../../scripts/architecture/dependencyRules.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function graphOf(
  files: Record<string, { unit: string; imports: { specifier: string; file?: string; unit?: string }[] }>,
): ImportGraph {
  return { files: new Map(Object.entries(files)) };
}

describe('dependency rule', () => {
  it('holds for the repository: deployables import only packages, no import cycle, manifests agree', () => {
    const graph = readImportGraph(ROOT);
    expect(graph.files.size).toBeGreaterThan(200);
    expect(checkDependencies(graph, UNITS, readManifests(ROOT))).toEqual({
      violations: [],
      cycles: [],
      manifestViolations: [],
    });
  });

  it('reports a deployable importing another deployable', () => {
    const graph = graphOf({
      'server/src/app.ts': {
        unit: 'server',
        imports: [
          { specifier: '@voiceroom/protocol', unit: 'packages/protocol' },
          {
            specifier: '../../agent-worker/src/main.ts',
            file: 'agent-worker/src/main.ts',
            unit: 'agent-worker',
          },
        ],
      },
    });
    expect(checkDependencies(graph).violations).toEqual([
      {
        file: 'server/src/app.ts',
        specifier: '../../agent-worker/src/main.ts',
        from: 'server',
        to: 'agent-worker',
      },
    ]);
  });

  it('reports a shared package reaching up into a deployable', () => {
    const graph = graphOf({
      'packages/agent-core/src/x.ts': {
        unit: 'packages/agent-core',
        imports: [{ specifier: '@voiceroom/sdk', unit: 'sdk-js' }],
      },
    });
    expect(checkDependencies(graph).violations.map((v) => `${v.from}->${v.to}`)).toEqual([
      'packages/agent-core->sdk-js',
    ]);
  });

  it('finds an import cycle between files of one unit', () => {
    const graph = graphOf({
      'server/src/media/Room.ts': {
        unit: 'server',
        imports: [
          { specifier: './AgentMediaLink.ts', file: 'server/src/media/AgentMediaLink.ts', unit: 'server' },
        ],
      },
      'server/src/media/AgentMediaLink.ts': {
        unit: 'server',
        imports: [{ specifier: './Room.ts', file: 'server/src/media/Room.ts', unit: 'server' }],
      },
      'server/src/media/Peer.ts': { unit: 'server', imports: [] },
    });
    expect(checkDependencies(graph).cycles).toEqual([
      ['server/src/media/Room.ts', 'server/src/media/AgentMediaLink.ts'],
    ]);
  });

  it('reports a package.json dependency the rule forbids', () => {
    const manifests = new Map([['server', ['@voiceroom/protocol', '@voiceroom/agent-worker']]]);
    expect(checkDependencies(graphOf({}), UNITS, manifests).manifestViolations).toEqual([
      { unit: 'server', dependency: '@voiceroom/agent-worker' },
    ]);
  });
});
