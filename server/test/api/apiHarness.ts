import type { Router } from '@koa/router';
import type { Context, Middleware, Next } from 'koa';
import { MySqlAgentConfigStore } from '../../src/calls/AgentConfigStore.ts';
import { CallQueries } from '../../src/calls/CallQueries.ts';
import { CallRecorder } from '../../src/calls/CallRecorder.ts';
import { CallEventBus } from '../../src/events.ts';
import { ExtractionJobQueue } from '../../src/extraction/jobs/ExtractionJobQueue.ts';
import { ExtractionReview } from '../../src/extraction/review.ts';
import { createAgentConfigsRouter } from '../../src/http/routes/agentConfigs.ts';
import { createCallsRouter, startCallWith } from '../../src/http/routes/calls.ts';
import { createExtractionRouter } from '../../src/http/routes/extraction.ts';
import { createOpenApiRouter } from '../../src/http/routes/openapi.ts';
import { type Harness, startHarness } from '../http/harness.ts';

export interface ApiHarness extends Harness {
  bus: CallEventBus;
  recorder: CallRecorder;
  store: MySqlAgentConfigStore;
  queue: ExtractionJobQueue;
  token(role: 'admin' | 'supervisor' | 'agent' | 'customer'): Promise<string>;
}

/**
 * The control plane (H1's harness: real MariaDB, Redis, ephemeral port) with the call records, agent
 * configuration, extraction and OpenAPI routers mounted and POST /api/calls backed by the CallRecorder. The
 * harness creates the database, so those routers are built afterwards and reached through its fallback hook.
 */
export async function startApiHarness(): Promise<ApiHarness> {
  const late: { recorder?: CallRecorder; routers?: Router[] } = {};
  const bus = new CallEventBus();
  const h = await startHarness({
    startCall: (request) => startCallWith(late.recorder as CallRecorder)(request),
    routers: [createOpenApiRouter()],
    fallback: (ctx, next) => runRouters(late.routers ?? [], ctx, next),
  });
  const store = new MySqlAgentConfigStore(h.db.orm);
  await store.seedDefaults();
  const queue = new ExtractionJobQueue(h.db.orm, { maxAttempts: 3 });
  const recorder = new CallRecorder({ orm: h.db.orm, bus, agentConfigs: store, extractionQueue: queue });
  recorder.start();
  late.recorder = recorder;
  late.routers = buildRouters(h, store, queue);
  const tokens = new Map<string, string>();
  return {
    ...h,
    bus,
    recorder,
    store,
    queue,
    async token(role) {
      const cached = tokens.get(role);
      if (cached) return cached;
      const { accessToken } = await h.login(`${role}@voiceroom.local`);
      tokens.set(role, accessToken);
      return accessToken;
    },
    async close() {
      await recorder.stop();
      await h.close();
    },
  };
}

function buildRouters(h: Harness, store: MySqlAgentConfigStore, queue: ExtractionJobQueue) {
  const queries = new CallQueries(h.db.orm);
  return [
    createCallsRouter({ tokens: h.tokens, queries }),
    createAgentConfigsRouter({ tokens: h.tokens, store, orm: h.db.orm }),
    createExtractionRouter({ tokens: h.tokens, queries, review: new ExtractionReview(h.db.orm, queue) }),
  ];
}

/** Runs the routers' middleware in order, as app.use would have. */
function runRouters(routers: Router[], ctx: Context, next: Next): Promise<unknown> {
  const chain = routers.flatMap((r) => [r.routes(), r.allowedMethods()]) as unknown as Middleware[];
  const run = (i: number): Promise<unknown> => {
    const middleware = chain[i];
    return middleware ? Promise.resolve(middleware(ctx, () => run(i + 1))) : next();
  };
  return run(0);
}
