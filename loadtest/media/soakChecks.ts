/**
 * The end-of-soak checks: every mediasoup object closed again (the server's own counters, from /metrics) and the
 * database consistent (every call ended, transcripts and turn metrics stored, every extraction job final).
 */
import { query } from './db.ts';
import { readMetrics } from './stack.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const MEDIA_KINDS = ['routers', 'transports', 'producers', 'consumers'] as const;

/** Live mediasoup objects by kind, waited for to reach zero for up to `timeoutMs`. */
export async function mediaObjectsAfter(baseUrl: string, timeoutMs: number): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const metrics = await readMetrics(baseUrl);
    const counts = Object.fromEntries(
      MEDIA_KINDS.map((k) => [k, metrics.get(`voiceroom_mediasoup_objects{kind="${k}"}`) ?? Number.NaN]),
    );
    if (Object.values(counts).every((v) => v === 0) || Date.now() > deadline) return counts;
    await sleep(500);
  }
}

const one = async (db: string, sql: string) => Number((await query(db, sql))[0]?.[0] ?? Number.NaN);

/**
 * Database consistency after `answeredTurns` answered customer turns over `callsPlaced` calls: extraction jobs are
 * waited for (up to `timeoutMs`) to reach a final status.
 */
export async function databaseConsistency(
  db: string,
  callsPlaced: number,
  answeredTurns: number,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  let jobsPending = await one(
    db,
    "select count(*) from extraction_jobs where status not in ('succeeded','failed')",
  );
  while (jobsPending > 0 && Date.now() < deadline) {
    await sleep(1_000);
    jobsPending = await one(
      db,
      "select count(*) from extraction_jobs where status not in ('succeeded','failed')",
    );
  }
  const calls = await one(db, 'select count(*) from calls');
  const notEnded = await one(db, "select count(*) from calls where status <> 'ended' or ended_at is null");
  const withoutAgentSegment = await one(
    db,
    "select count(*) from calls c where not exists (select 1 from transcript_segments s where s.call_id = c.id and s.speaker = 'agent')",
  );
  const customerSegments = await one(
    db,
    "select count(*) from transcript_segments where speaker = 'customer'",
  );
  const turnMetrics = await one(db, 'select count(*) from turn_metrics');
  const jobs = await one(db, 'select count(*) from extraction_jobs');
  const jobsFailed = await one(db, "select count(*) from extraction_jobs where status = 'failed'");
  const result = {
    calls_placed: callsPlaced,
    call_rows: calls,
    calls_not_ended: notEnded,
    calls_without_agent_segment: withoutAgentSegment,
    answered_turns: answeredTurns,
    customer_segments: customerSegments,
    turn_metric_rows: turnMetrics,
    extraction_jobs: jobs,
    extraction_jobs_not_final: jobsPending,
    extraction_jobs_failed: jobsFailed,
  };
  const problems: string[] = [];
  if (calls !== callsPlaced) problems.push(`${calls} call rows for ${callsPlaced} calls placed`);
  if (notEnded > 0) problems.push(`${notEnded} calls not ended`);
  if (withoutAgentSegment > 0) problems.push(`${withoutAgentSegment} calls without the greeting stored`);
  if (customerSegments < answeredTurns)
    problems.push(`${customerSegments} customer segments stored for ${answeredTurns} answered turns`);
  if (turnMetrics < answeredTurns)
    problems.push(`${turnMetrics} turn metric rows for ${answeredTurns} answered turns`);
  if (jobs !== calls) problems.push(`${jobs} extraction jobs for ${calls} calls`);
  if (jobsPending > 0) problems.push(`${jobsPending} extraction jobs not final`);
  return { ...result, consistent: problems.length === 0, problems };
}
