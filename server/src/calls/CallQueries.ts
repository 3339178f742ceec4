import type { MikroORM } from '../db/orm.ts';
import { ExtractionQueries } from '../extraction/ExtractionQueries.ts';
import { callbacksOfCall } from './callbackRequests.ts';
import { isoUtc, mysqlUtc } from './sqlTime.ts';

export interface CallListFilter {
  page: number;
  pageSize: number;
  status?: 'active' | 'ended';
  outcome?: 'completed' | 'abandoned' | 'failed';
  agentId?: string;
  /** Started at or after / before (ISO times). */
  from?: Date;
  to?: Date;
  /** Words searched in the caller's name and the transcript. */
  q?: string;
  extractionStatus?: 'pending' | 'running' | 'succeeded' | 'failed';
}

export interface CallSummary {
  id: string;
  roomId: string;
  agentId: string | null;
  displayName: string;
  status: string;
  outcome: string | null;
  endReason: string | null;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  extraction: { jobId: number; status: string; reviewStatus: string } | null;
}

interface CallRow {
  id: string;
  room_id: string;
  agent_id: string | null;
  display_name: string;
  status: string;
  outcome: string | null;
  end_reason: string | null;
  started_at: string;
  ended_at: string | null;
  job_id: number | null;
  job_status: string | null;
  review_status: string | null;
}

function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Read side of call records for the API and console: filtered, paginated lists and one call in full. */
export class CallQueries {
  readonly #orm: MikroORM;
  readonly #extractions: ExtractionQueries;

  constructor(orm: MikroORM) {
    this.#orm = orm;
    this.#extractions = new ExtractionQueries(orm);
  }

  async list(
    filter: CallListFilter,
  ): Promise<{ items: CallSummary[]; total: number; page: number; pageSize: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (condition: string, ...values: unknown[]) => {
      where.push(condition);
      params.push(...values);
    };
    if (filter.status) add('c.status = ?', filter.status);
    if (filter.outcome) add('c.outcome = ?', filter.outcome);
    if (filter.agentId) add('c.agent_id = ?', filter.agentId);
    if (filter.from) add('c.started_at >= ?', mysqlUtc(filter.from));
    if (filter.to) add('c.started_at < ?', mysqlUtc(filter.to));
    if (filter.extractionStatus) add('j.status = ?', filter.extractionStatus);
    for (const word of (filter.q ?? '').split(/\s+/).filter(Boolean).slice(0, 8)) {
      const like = `%${likeEscape(word)}%`;
      add(
        '(c.display_name like ? or exists (select 1 from transcript_segments s where s.call_id = c.id and s.text like ?))',
        like,
        like,
      );
    }
    const whereSql = where.length > 0 ? `where ${where.join(' and ')}` : '';
    const from = 'from calls c left join extraction_jobs j on j.call_id = c.id';
    const em = this.#orm.em.fork();
    const [count] = await em.execute<{ n: number }[]>(`select count(*) as n ${from} ${whereSql}`, params);
    const rows = await em.execute<CallRow[]>(
      `select c.id, c.room_id, c.agent_id, c.display_name, c.status, c.outcome, c.end_reason, c.started_at, c.ended_at,
              j.id as job_id, j.status as job_status, j.review_status
       ${from} ${whereSql}
       order by c.started_at desc, c.id
       limit ? offset ?`,
      [...params, filter.pageSize, (filter.page - 1) * filter.pageSize],
    );
    return {
      items: rows.map(toSummary),
      total: Number(count?.n ?? 0),
      page: filter.page,
      pageSize: filter.pageSize,
    };
  }

  /**
   * One call with handoff requests, participants, transcript, turn metrics (with a summary), the pipeline stages
   * that failed during it and extraction; undefined if unknown.
   */
  async get(callId: string) {
    const em = this.#orm.em.fork();
    const [row] = await em.execute<CallRow[]>(
      `select c.id, c.room_id, c.agent_id, c.display_name, c.status, c.outcome, c.end_reason, c.started_at, c.ended_at,
              j.id as job_id, j.status as job_status, j.review_status
       from calls c left join extraction_jobs j on j.call_id = c.id where c.id = ?`,
      [callId],
    );
    if (!row) return undefined;
    const participants = await em.execute<Record<string, string | null>[]>(
      `select peer_id, identity, display_name, role, joined_at, left_at, left_reason
       from participants where call_id = ? order by joined_at, id`,
      [callId],
    );
    const transcript = await em.execute<
      {
        segment_id: string;
        speaker: string;
        text: string;
        start_ms: number;
        end_ms: number;
        interrupted: number;
        redacted: number;
      }[]
    >(
      `select segment_id, speaker, text, start_ms, end_ms, interrupted, redacted
       from transcript_segments where call_id = ? order by start_ms, id`,
      [callId],
    );
    const turns = await em.execute<
      {
        turn: number;
        eou_ms: number;
        asr_final_ms: number;
        dialog_first_token_ms: number;
        tts_first_audio_ms: number;
        voice_to_voice_ms: number;
        interrupted: number;
      }[]
    >(
      `select turn, eou_ms, asr_final_ms, dialog_first_token_ms, tts_first_audio_ms, voice_to_voice_ms, interrupted
       from turn_metrics where call_id = ? order by turn`,
      [callId],
    );
    const stageFailures = await em.execute<
      {
        stage: string;
        provider: string;
        message: string;
        recovery: string;
        fallback_provider: string | null;
        at_ms: number;
      }[]
    >(
      `select stage, provider, message, recovery, fallback_provider, at_ms
       from stage_failures where call_id = ? order by at_ms, id`,
      [callId],
    );
    const handoffs = await em.execute<Record<string, string | number | null>[]>(
      `select id, reason, status, timeout_s, created_at, accepted_by, resolved_at
       from handoff_requests where call_id = ? order by created_at, id`,
      [callId],
    );
    const callbacks = await callbacksOfCall(em, callId);
    return {
      ...toSummary(row),
      callbacks,
      handoffs: handoffs.map((h) => ({
        requestId: h.id,
        reason: h.reason,
        status: h.status,
        timeoutS: Number(h.timeout_s),
        createdAt: isoUtc((h.created_at as string | null) ?? null),
        acceptedBy: h.accepted_by,
        resolvedAt: isoUtc((h.resolved_at as string | null) ?? null),
      })),
      participants: participants.map((p) => ({
        peerId: p.peer_id,
        identity: p.identity,
        displayName: p.display_name,
        role: p.role,
        joinedAt: isoUtc(p.joined_at ?? null),
        leftAt: isoUtc(p.left_at ?? null),
        leftReason: p.left_reason,
      })),
      transcript: transcript.map((s) => ({
        segmentId: s.segment_id,
        speaker: s.speaker,
        text: s.text,
        startMs: s.start_ms,
        endMs: s.end_ms,
        interrupted: Boolean(s.interrupted),
        redacted: Boolean(s.redacted),
      })),
      metrics: {
        turns: turns.map((t) => ({
          turn: t.turn,
          eouMs: t.eou_ms,
          asrFinalMs: t.asr_final_ms,
          dialogFirstTokenMs: t.dialog_first_token_ms,
          ttsFirstAudioMs: t.tts_first_audio_ms,
          voiceToVoiceMs: t.voice_to_voice_ms,
          interrupted: Boolean(t.interrupted),
        })),
        voiceToVoiceMs: latencySummary(turns.map((t) => t.voice_to_voice_ms)),
      },
      stageFailures: stageFailures.map((f) => ({
        stage: f.stage,
        provider: f.provider,
        message: f.message,
        recovery: f.recovery,
        fallbackProvider: f.fallback_provider,
        atMs: f.at_ms,
      })),
      extraction: row.job_id === null ? null : await this.#extractions.get(row.job_id),
    };
  }
}

function toSummary(row: CallRow): CallSummary {
  const startedAt = isoUtc(row.started_at) as string;
  const endedAt = isoUtc(row.ended_at);
  return {
    id: row.id,
    roomId: row.room_id,
    agentId: row.agent_id,
    displayName: row.display_name,
    status: row.status,
    outcome: row.outcome,
    endReason: row.end_reason,
    startedAt,
    endedAt,
    durationMs: endedAt ? Date.parse(endedAt) - Date.parse(startedAt) : null,
    extraction:
      row.job_id === null
        ? null
        : {
            jobId: row.job_id,
            status: row.job_status ?? 'pending',
            reviewStatus: row.review_status ?? 'unreviewed',
          },
  };
}

function latencySummary(values: number[]): {
  count: number;
  p50: number | null;
  p95: number | null;
  max: number | null;
} {
  if (values.length === 0) return { count: 0, p50: null, p95: null, max: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? null;
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? null };
}
