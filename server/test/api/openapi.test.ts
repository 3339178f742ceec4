import type { Router } from '@koa/router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { UserRole } from '../../src/auth/roles.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
}, 60_000);
afterAll(async () => {
  await app?.close();
});

interface Route {
  method: string;
  /** Koa style: /api/calls/:callId */
  path: string;
}

/** Every method + path the running server's Koa app serves, from the stacks of the routers it mounted. */
function registeredRoutes(): Route[] {
  const routers = app.server.app.middleware
    .map((middleware) => (middleware as { router?: Router }).router)
    .filter((router): router is Router => router !== undefined);
  const routes = routers.flatMap((router) =>
    router.stack.flatMap((layer) =>
      layer.methods
        .filter((m) => m !== 'HEAD')
        .map((m) => ({ method: m.toLowerCase(), path: String(layer.path).replace(/(.)\/$/, '$1') })),
    ),
  );
  return [...new Map(routes.map((r) => [`${r.method} ${r.path}`, r])).values()];
}

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

const ROLES: UserRole[] = ['customer', 'human_agent', 'supervisor', 'admin', 'service'];

/**
 * Who the route lets in, asked of the route itself: 'public' when it answers without an access token (a 401 for
 * another reason, such as a missing refresh token, is the route's own answer), else the roles whose access token is
 * not refused with 403 ('any' when no role is).
 */
async function observedAccess(route: Route): Promise<'public' | 'any' | string[]> {
  const url = `${app.url}${route.path.replace(/:\w+/g, 'x')}`;
  const call = (token?: string) =>
    fetch(url, {
      method: route.method.toUpperCase(),
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(route.method === 'get' || route.method === 'delete'
          ? {}
          : { 'content-type': 'application/json' }),
      },
      ...(route.method === 'get' || route.method === 'delete' ? {} : { body: '{}' }),
    });
  const anonymous = await call();
  const anonymousCode = ((await anonymous.json().catch(() => ({}))) as { error?: { code?: string } }).error
    ?.code;
  if (anonymous.status !== 401 || anonymousCode !== 'token_missing') return 'public';
  const allowed: string[] = [];
  for (const role of ROLES) {
    // Workers hold service tokens (their own audience); everyone else a user access token with their role.
    const { token } =
      role === 'service'
        ? await app.server.tokens.issueServiceToken('probe-service')
        : await app.server.tokens.issueAccessToken({ id: `probe-${role}`, email: 'probe@x', role });
    const response = await call(token);
    const code =
      ((await response.json().catch(() => ({}))) as { error?: { code?: string } }).error?.code ?? '';
    // Refused for the role (403) or for the kind of token (a user token on a worker route, or the reverse).
    const refused = response.status === 403 || (response.status === 401 && code.startsWith('token_'));
    if (!refused) allowed.push(role);
  }
  const everyUser = ROLES.filter((r) => r !== 'service').every((r) => allowed.includes(r));
  return everyUser ? 'any' : allowed.sort();
}

interface Documented {
  security?: unknown;
  'x-roles'?: string[];
  parameters?: { name: string; in: string; required: boolean }[];
  requestBody?: unknown;
  responses: Record<string, unknown>;
}

async function openApiDocument() {
  const res = await fetch(`${app.url}/api/openapi.json`);
  expect(res.status).toBe(200);
  return (await res.json()) as {
    openapi: string;
    paths: Record<string, Record<string, Documented>>;
    components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
  };
}

describe('OpenAPI document', () => {
  it('documents every route the running app registered, with the roles the route actually lets in', async () => {
    const doc = await openApiDocument();
    expect(doc.openapi).toBe('3.1.0');
    const routes = registeredRoutes();
    expect(routes.length).toBeGreaterThan(25);
    const key = (r: Route) => `${r.method} ${openApiPath(r.path)}`;
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(routes.map(key).filter((r) => !documented.includes(r))).toEqual([]);
    expect(documented.filter((d) => !routes.map(key).includes(d))).toEqual([]);

    const mismatches: string[] = [];
    for (const route of routes) {
      const op = doc.paths[openApiPath(route.path)]?.[route.method] as Documented;
      const documentedAccess = op.security === undefined ? 'public' : (op['x-roles']?.toSorted() ?? 'any');
      const observed = await observedAccess(route);
      if (JSON.stringify(observed) !== JSON.stringify(documentedAccess))
        mismatches.push(`${key(route)}: documented ${documentedAccess}, serves ${observed}`);
    }
    expect(mismatches).toEqual([]);
  }, 60_000);

  it('describes parameters, bodies, roles and errors from the same schemas the routes validate with', async () => {
    const doc = await openApiDocument();
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
    expect(doc.paths['/api/conversations/{conversationId}/messages']?.post?.requestBody).toBeDefined();
    expect(Object.keys(doc.components.schemas.AgentConfig?.properties ?? {})).toEqual(
      expect.arrayContaining(['id', 'menu', 'privacy', 'vad', 'tts']),
    );
    expect(Object.keys(doc.components.schemas.ExtractionResult?.properties ?? {})).toEqual(
      expect.arrayContaining(['customer', 'items', 'confidence']),
    );
  });
});
