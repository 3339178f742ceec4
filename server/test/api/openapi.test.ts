import type { Router } from '@koa/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentConfigsRouter } from '../../src/http/routes/agentConfigs.ts';
import { createCallsRouter } from '../../src/http/routes/calls.ts';
import { createExtractionRouter } from '../../src/http/routes/extraction.ts';
import { createRecordingsRouter } from '../../src/http/routes/recordings.ts';
import { type ApiHarness, startApiHarness } from './apiHarness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApiHarness();
});
afterAll(async () => {
  await h?.close();
});

/** Every method + path the control plane serves: the app's own routers plus the ones this project mounts. */
function registeredRoutes(): string[] {
  const none = {} as never;
  const appRouters = h.http.app.middleware
    .map((middleware) => (middleware as { router?: Router }).router)
    .filter((router): router is Router => router !== undefined);
  const routers = [
    ...new Set([
      ...appRouters,
      createCallsRouter(none),
      createAgentConfigsRouter(none),
      createExtractionRouter(none),
      createRecordingsRouter(none),
    ]),
  ];
  return [
    ...new Set(
      routers.flatMap((router) =>
        router.stack.flatMap((layer) =>
          layer.methods
            .filter((m) => m !== 'HEAD')
            .map(
              (m) =>
                `${m.toLowerCase()} ${String(layer.path)
                  .replace(/\/$/, '')
                  .replace(/:(\w+)/g, '{$1}')}`,
            ),
        ),
      ),
    ),
  ];
}

describe('OpenAPI document', () => {
  it('is served publicly as OpenAPI 3.1 and documents every registered route', async () => {
    const res = await h.request('GET', '/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toBe('3.1.0');
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    const routes = registeredRoutes();
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((d) => !routes.includes(d))).toEqual([]);
  });

  it('describes parameters, bodies, roles and errors from the same schemas the routes validate with', async () => {
    const doc = (await (await h.request('GET', '/api/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            parameters?: { name: string; in: string; required: boolean }[];
            requestBody?: unknown;
            security?: unknown;
            responses: Record<string, unknown>;
            'x-roles'?: string[];
          }
        >
      >;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    const list = doc.paths['/api/calls']?.get;
    expect(list?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(['page', 'pageSize', 'status', 'q', 'from']),
    );
    expect(list?.parameters?.every((p) => p.in === 'query' && !p.required)).toBe(true);
    expect(list?.security).toEqual([{ bearer: [] }]);
    expect(list?.responses).toHaveProperty('401');
    expect(doc.paths['/api/calls/{callId}']?.get?.parameters).toEqual([
      expect.objectContaining({ name: 'callId', in: 'path', required: true }),
    ]);
    expect(doc.paths['/api/agent-configs/{agentId}']?.delete?.['x-roles']).toEqual(['admin']);
    expect(doc.paths['/api/extraction/jobs/{jobId}/correct']?.post?.requestBody).toBeDefined();
    expect(Object.keys(doc.components.schemas.AgentConfig?.properties ?? {})).toEqual(
      expect.arrayContaining(['id', 'menu', 'privacy', 'vad', 'tts']),
    );
    expect(Object.keys(doc.components.schemas.ExtractionResult?.properties ?? {})).toEqual(
      expect.arrayContaining(['customer', 'items', 'confidence']),
    );
  });
});
