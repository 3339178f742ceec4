import type { Router } from '@koa/router';
import { providerPolicyFromEnv } from '@voiceroom/protocol';
import type { Context, Next } from 'koa';
import { CallEventBus } from '../../src/CallEventBus.ts';
import { type CallRecords, startCallRecords } from '../../src/calls/index.ts';
import type { ServerConfig } from '../../src/config.ts';
import { createCallRecordRouters } from '../../src/http/routes/callRecordRouters.ts';
import { createOpenApiRouter } from '../../src/http/routes/openapi.ts';
import { type Harness, startHarness } from '../http/harness.ts';

export interface ApiHarness extends Harness {
  bus: CallEventBus;
  records: CallRecords;
  token(role: 'admin' | 'supervisor' | 'agent' | 'customer'): Promise<string>;
}

const RULES_ONLY: ServerConfig['extraction'] = {
  deepseekBaseUrl: 'http://127.0.0.1:9',
  deepseekModel: 'deepseek-chat',
  maxAttempts: 3,
};

/**
 * The control plane (H1's harness: real MariaDB, Redis, ephemeral port) with call records wired as the server's
 * main wires them (startCallRecords: recorder, extraction worker, routers, POST /api/calls). The harness creates
 * the database, so the call-record routers are built afterwards and reached through its fallback hook. The
 * extraction worker runs only when asked (tests that drive jobs themselves keep it off).
 */
export async function startApiHarness(
  options: {
    extraction?: ServerConfig['extraction'];
    runExtractionWorker?: boolean;
    recordings?: ServerConfig['recordings'];
  } = {},
): Promise<ApiHarness> {
  const late: { records?: CallRecords; routers?: Router[] } = {};
  const bus = new CallEventBus();
  const h = await startHarness({
    startCall: (request) => (late.records as CallRecords).recorder.startCall(request),
    routers: [createOpenApiRouter()],
    fallback: (ctx, next) => runRouters(late.routers ?? [], ctx, next),
  });
  const records = await startCallRecords({
    orm: h.db.orm,
    bus,
    config: {
      extraction: options.extraction ?? RULES_ONLY,
      providers: providerPolicyFromEnv({}, '/models'),
      ...(options.recordings ? { recordings: options.recordings } : {}),
    },
    runExtractionWorker: options.runExtractionWorker ?? false,
  });
  late.records = records;
  late.routers = createCallRecordRouters({ tokens: h.tokens, orm: h.db.orm, records });
  const tokens = new Map<string, string>();
  return {
    ...h,
    bus,
    records,
    async token(role) {
      const cached = tokens.get(role);
      if (cached) return cached;
      const { accessToken } = await h.login(`${role}@voiceroom.local`);
      tokens.set(role, accessToken);
      return accessToken;
    },
    async close() {
      await records.stop();
      await h.close();
    },
  };
}

/** Runs the routers' middleware in order, as app.use would have. */
function runRouters(routers: Router[], ctx: Context, next: Next): Promise<unknown> {
  const chain = routers.flatMap((r) => [r.routes(), r.allowedMethods()]) as unknown as ((
    ctx: Context,
    next: Next,
  ) => unknown)[];
  const run = (i: number): Promise<unknown> => {
    const middleware = chain[i];
    return middleware ? Promise.resolve(middleware(ctx, () => run(i + 1))) : next();
  };
  return run(0);
}
