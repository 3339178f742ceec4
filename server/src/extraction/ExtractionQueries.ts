import { isoUtc } from '../calls/sqlTime.ts';
import type { MikroORM } from '../db/orm.ts';

export interface ExtractionSummary {
  jobId: number;
  callId: string;
  status: string;
  attempts: number;
  lastError: string | null;
  source: string | null;
  confidence: number | null;
  reviewStatus: string;
  createdAt: string;
  completedAt: string | null;
}

/** Read side of extraction jobs for the review API: the queue, and one job with its stored order. */
export class ExtractionQueries {
  readonly #orm: MikroORM;

  constructor(orm: MikroORM) {
    this.#orm = orm;
  }

  /** Extraction jobs, newest first, for the review queue. */
  async list(filter: {
    page: number;
    pageSize: number;
    status?: string;
    reviewStatus?: string;
  }): Promise<{ items: ExtractionSummary[]; total: number; page: number; pageSize: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status) {
      where.push('status = ?');
      params.push(filter.status);
    }
    if (filter.reviewStatus) {
      where.push('review_status = ?');
      params.push(filter.reviewStatus);
    }
    const whereSql = where.length > 0 ? `where ${where.join(' and ')}` : '';
    const em = this.#orm.em.fork();
    const [count] = await em.execute<{ n: number }[]>(
      `select count(*) as n from extraction_jobs ${whereSql}`,
      params,
    );
    const rows = await em.execute<
      {
        id: number;
        call_id: string;
        status: string;
        attempts: number;
        last_error: string | null;
        source: string | null;
        confidence: number | null;
        review_status: string;
        created_at: string;
        completed_at: string | null;
      }[]
    >(
      `select id, call_id, status, attempts, last_error, source, confidence, review_status, created_at, completed_at
       from extraction_jobs ${whereSql} order by id desc limit ? offset ?`,
      [...params, filter.pageSize, (filter.page - 1) * filter.pageSize],
    );
    return {
      items: rows.map((r) => ({
        jobId: r.id,
        callId: r.call_id,
        status: r.status,
        attempts: r.attempts,
        lastError: r.last_error,
        source: r.source,
        confidence: r.confidence,
        reviewStatus: r.review_status,
        createdAt: isoUtc(r.created_at) as string,
        completedAt: isoUtc(r.completed_at),
      })),
      total: Number(count?.n ?? 0),
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }

  /** An extraction job with its result and the order rows stored from it. */
  async get(jobId: number) {
    const em = this.#orm.em.fork();
    const [job] = await em.execute<
      {
        id: number;
        call_id: string;
        status: string;
        attempts: number;
        max_attempts: number;
        last_error: string | null;
        source: string | null;
        confidence: number | null;
        result: string | object | null;
        review_status: string;
        reviewed_by: string | null;
        reviewed_at: string | null;
        created_at: string;
        completed_at: string | null;
      }[]
    >(
      `select id, call_id, status, attempts, max_attempts, last_error, source, confidence, result, review_status,
              reviewed_by, reviewed_at, created_at, completed_at
       from extraction_jobs where id = ?`,
      [jobId],
    );
    if (!job) return undefined;
    const [order] = await em.execute<
      {
        id: number;
        source: string;
        confidence: number;
        currency: string | null;
        total: string | null;
        notes: string | null;
        name: string | null;
        address: string | null;
        phone: string | null;
        email: string | null;
      }[]
    >(
      `select o.id, o.source, o.confidence, o.currency, o.total, o.notes, c.name, c.address, c.phone, c.email
       from orders o join customers c on c.id = o.customer_id where o.call_id = ?`,
      [job.call_id],
    );
    const items = order
      ? await em.execute<
          {
            name: string;
            size: string | null;
            quantity: number;
            unit_price: string | null;
            currency: string | null;
          }[]
        >(
          'select name, size, quantity, unit_price, currency from order_items where order_id = ? order by position',
          [order.id],
        )
      : [];
    return {
      jobId: job.id,
      callId: job.call_id,
      status: job.status,
      attempts: job.attempts,
      maxAttempts: job.max_attempts,
      lastError: job.last_error,
      source: job.source,
      confidence: job.confidence,
      result: typeof job.result === 'string' ? JSON.parse(job.result) : job.result,
      reviewStatus: job.review_status,
      reviewedBy: job.reviewed_by,
      reviewedAt: isoUtc(job.reviewed_at),
      createdAt: isoUtc(job.created_at),
      completedAt: isoUtc(job.completed_at),
      order: order
        ? {
            orderId: order.id,
            source: order.source,
            confidence: order.confidence,
            currency: order.currency,
            total: order.total,
            notes: order.notes,
            customer: { name: order.name, address: order.address, phone: order.phone, email: order.email },
            items: items.map((i) => ({
              name: i.name,
              size: i.size,
              quantity: i.quantity,
              unitPrice: i.unit_price,
              currency: i.currency,
            })),
          }
        : null,
    };
  }
}
