import { Router } from '@koa/router';
import { z } from 'zod';
import type { TokenService } from '../../auth/TokenService.ts';
import { isoUtc, mysqlUtc } from '../../calls/sqlTime.ts';
import type { MikroORM } from '../../db/orm.ts';
import { requireAuth } from '../middleware/requireAuth.ts';
import { validateQuery } from '../validate.ts';

const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

export const AuditQuerySchema = z
  .object({
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(200).default(50),
    /** A call: its own entries (handoffs, reviews) and its room's (co-pilot actions). */
    callId: z.uuid('not a call id').optional(),
    actorId: z.string().min(1).max(64).optional(),
    /** An exact action ('copilot.takeover') or a prefix ending in a dot ('handoff.'). */
    action: z
      .string()
      .regex(/^[a-z0-9_.]{1,64}$/, 'lowercase letters, digits, _ and . only')
      .optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict();

interface AuditRow {
  id: number;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  target_type: string;
  target_id: string;
  details: string | Record<string, unknown> | null;
  created_at: string;
}

/** GET /api/audit (admins): the audit log, newest first, filtered by call, actor, action and time, paginated. */
export function createAuditRouter(deps: { tokens: TokenService; orm: MikroORM }): Router {
  const router = new Router({ prefix: '/api' });
  router.get('/audit', requireAuth(deps.tokens, ['admin']), async (ctx) => {
    const query = validateQuery(ctx, AuditQuerySchema);
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (condition: string, ...values: unknown[]) => {
      where.push(condition);
      params.push(...values);
    };
    if (query.callId) {
      add(
        '(a.target_id = ? or a.target_id = (select c.room_id from calls c where c.id = ?))',
        query.callId,
        query.callId,
      );
    }
    if (query.actorId) add('a.actor_id = ?', query.actorId);
    if (query.action?.endsWith('.')) add('a.action like ?', `${query.action.replace(/_/g, '\\_')}%`);
    else if (query.action) add('a.action = ?', query.action);
    if (query.from) add('a.created_at >= ?', mysqlUtc(query.from));
    if (query.to) add('a.created_at < ?', mysqlUtc(query.to));
    const whereSql = where.length > 0 ? `where ${where.join(' and ')}` : '';
    const em = deps.orm.em.fork();
    const [count] = await em.execute<{ n: number }[]>(
      `select count(*) as n from audit_events a ${whereSql}`,
      params,
    );
    const rows = await em.execute<AuditRow[]>(
      `select a.id, a.actor_id, a.actor_role, a.action, a.target_type, a.target_id, a.details, a.created_at
       from audit_events a ${whereSql} order by a.created_at desc, a.id desc limit ? offset ?`,
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    );
    ctx.body = {
      items: rows.map((r) => ({
        id: r.id,
        actorId: r.actor_id,
        actorRole: r.actor_role,
        action: r.action,
        targetType: r.target_type,
        targetId: r.target_id,
        details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
        createdAt: isoUtc(r.created_at),
      })),
      total: Number(count?.n ?? 0),
      page: query.page,
      pageSize: query.pageSize,
    };
  });
  return router;
}
