import { Router } from '@koa/router';
import { z } from 'zod';
import { STAFF_ROLES } from '../../auth/roles.ts';
import type { TokenService } from '../../auth/TokenService.ts';
import type { ExtractionQueries } from '../../extraction/ExtractionQueries.ts';
import type { ExtractionReview } from '../../extraction/ExtractionReview.ts';
import { CorrectedResultSchema } from '../../extraction/schema.ts';
import { NotFoundError } from '../errors.ts';
import { authenticatedUser, requireAuth } from '../middleware/requireAuth.ts';
import { validateBody, validateParams, validateQuery } from '../validate.ts';

export const JobListQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(20),
    status: z.enum(['pending', 'running', 'succeeded', 'failed']).optional(),
    reviewStatus: z.enum(['unreviewed', 'approved', 'corrected']).optional(),
  })
  .strict();
export const JobParamsSchema = z.object({
  jobId: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 32 - 1),
});
export const ApproveBodySchema = z.object({ note: z.string().max(2000).optional() }).strict();
export const CorrectBodySchema = z
  .object({ result: CorrectedResultSchema, note: z.string().max(2000).optional() })
  .strict();

/**
 * Review of post-call extraction: GET /api/extraction/jobs (the queue, filterable), GET /jobs/:jobId (result and
 * stored order), POST /jobs/:jobId/approve, /correct (replace the stored order) and /retry (a failed job).
 * Reads for staff, actions for supervisors and admins; every action is audit-logged.
 */
export function createExtractionRouter(deps: {
  tokens: TokenService;
  queries: ExtractionQueries;
  review: ExtractionReview;
}): Router {
  const router = new Router({ prefix: '/api/extraction' });
  const staff = requireAuth(deps.tokens, STAFF_ROLES);
  const reviewers = requireAuth(deps.tokens, ['supervisor', 'admin']);

  router.get('/jobs', staff, async (ctx) => {
    ctx.body = await deps.queries.list(validateQuery(ctx, JobListQuerySchema));
  });

  router.get('/jobs/:jobId', staff, async (ctx) => {
    const { jobId } = validateParams(ctx, JobParamsSchema);
    const job = await deps.queries.get(jobId);
    if (!job) throw new NotFoundError(`Extraction job ${jobId}`, 'extraction_job_not_found');
    ctx.body = job;
  });

  const act = (name: 'approve' | 'correct' | 'retry') =>
    router.post(`/jobs/:jobId/${name}`, reviewers, async (ctx) => {
      const { jobId } = validateParams(ctx, JobParamsSchema);
      const user = authenticatedUser(ctx.state);
      const reviewer = { id: user.id, role: user.role };
      if (name === 'approve')
        await deps.review.approve(jobId, reviewer, validateBody(ctx, ApproveBodySchema).note);
      if (name === 'correct') {
        const { result, note } = validateBody(ctx, CorrectBodySchema);
        await deps.review.correct(jobId, result, reviewer, note);
      }
      if (name === 'retry') await deps.review.retry(jobId, reviewer);
      ctx.body = await deps.queries.get(jobId);
    });
  act('approve');
  act('correct');
  act('retry');

  return router;
}
