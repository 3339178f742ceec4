import type { Router } from '@koa/router';
import { ServiceTokenRevocations } from '../../auth/ServiceTokenRevocations.ts';
import type { TokenService } from '../../auth/TokenService.ts';
import type { CallRecords } from '../../calls/index.ts';
import type { MikroORM } from '../../db/orm.ts';
import { ExtractionQueries } from '../../extraction/ExtractionQueries.ts';
import { ExtractionReview } from '../../extraction/ExtractionReview.ts';
import { createAgentConfigsRouter } from './agentConfigs.ts';
import { createAuditRouter } from './audit.ts';
import { createCallbacksRouter } from './callbacks.ts';
import { createCallsRouter } from './calls.ts';
import { createExtractionRouter } from './extraction.ts';
import { createRecordingsRouter } from './recordings.ts';

/**
 * The HTTP face of call records: calls, agent configurations, extraction review, recordings and the audit log, for
 * createHttpApp({ routers }).
 */
export function createCallRecordRouters(deps: {
  tokens: TokenService;
  orm: MikroORM;
  records: Pick<CallRecords, 'queries' | 'agentConfigs' | 'extraction' | 'recordings'>;
}): Router[] {
  const { tokens, orm, records } = deps;
  return [
    createCallsRouter({ tokens, queries: records.queries }),
    createAgentConfigsRouter({ tokens, store: records.agentConfigs, orm }),
    createExtractionRouter({
      tokens,
      queries: new ExtractionQueries(orm),
      review: new ExtractionReview(orm, records.extraction.queue),
    }),
    createAuditRouter({ tokens, orm }),
    createCallbacksRouter({ tokens, orm }),
    createRecordingsRouter({
      tokens,
      serviceTokens: new ServiceTokenRevocations({ orm }).guard(tokens),
      orm,
      store: records.recordings,
    }),
  ];
}
