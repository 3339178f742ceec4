import type { QueryResult } from '@mikro-orm/core';
import type { StageFailedEvent, TranscriptEvent, TurnMetricsEvent } from '@voiceroom/protocol';
import type { CallEventMap } from '../CallEventBus.ts';
import type { EntityManager } from '../db/orm.ts';
import { type RedactedSegment, TranscriptRedactor } from '../privacy/TranscriptRedactor.ts';

/** How CallRecorder writes: each statement or transaction retried while the database is unreachable. */
export interface CallRowWriter {
  write(sql: string, params: unknown[]): Promise<QueryResult>;
  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T>;
}

export interface LiveCall {
  callId: string;
  /** Present when the call's agent asks for PII redaction. */
  redactor: TranscriptRedactor | undefined;
  /**
   * Whether the unredacted words of a redacted segment are kept for extraction: only while the call is active, as
   * its extraction job (queued at the end) is what clears them again.
   */
  keepForExtraction: boolean;
}

export function redactorIf(redact: boolean): TranscriptRedactor | undefined {
  return redact ? new TranscriptRedactor() : undefined;
}

export async function recordParticipantJoined(
  db: CallRowWriter,
  callId: string,
  p: CallEventMap['participant.joined'],
): Promise<void> {
  await db.write(
    `insert into participants (call_id, peer_id, identity, display_name, role, joined_at)
     values (?, ?, ?, ?, ?, utc_timestamp(3))
     on duplicate key update left_at = null, left_reason = null`,
    [callId, p.peerId, p.identity.slice(0, 128), p.displayName.slice(0, 120), p.role.slice(0, 32)],
  );
}

export async function recordParticipantLeft(
  db: CallRowWriter,
  callId: string,
  p: CallEventMap['participant.left'],
): Promise<void> {
  await db.write(
    `update participants set left_at = utc_timestamp(3), left_reason = ?
     where call_id = ? and peer_id = ? and left_at is null`,
    [p.reason.slice(0, 200), callId, p.peerId],
  );
}

/** A final transcript segment, redacted when the call asks for it (and earlier segments a number spans). */
export async function recordTranscript(db: CallRowWriter, call: LiveCall, t: TranscriptEvent): Promise<void> {
  const { callId, redactor, keepForExtraction } = call;
  const { segment: current, earlier }: { segment: RedactedSegment; earlier: RedactedSegment[] } = redactor
    ? redactor.push(t)
    : { segment: { segmentId: t.segmentId, original: t.text, text: t.text, redacted: false }, earlier: [] };
  const keep = (s: RedactedSegment) => (s.redacted && keepForExtraction ? s.original : null);
  await db.transaction(async (em) => {
    await em.execute(
      `insert into transcript_segments (call_id, segment_id, speaker, text, start_ms, end_ms, interrupted, redacted,
           extraction_text, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, utc_timestamp(3))
         on duplicate key update text = values(text), end_ms = values(end_ms), interrupted = values(interrupted),
           redacted = values(redacted), extraction_text = values(extraction_text)`,
      [
        callId,
        t.segmentId,
        t.speaker,
        current.text,
        t.startMs,
        t.endMs,
        t.interrupted,
        current.redacted,
        keep(current),
      ],
    );
    // Earlier caller segments that turned out to hold the start of a number read across segments.
    for (const segment of earlier) {
      await em.execute(
        `update transcript_segments set text = ?, redacted = true, extraction_text = coalesce(extraction_text, ?)
         where call_id = ? and segment_id = ?`,
        [segment.text, keep(segment), callId, segment.segmentId],
      );
    }
  });
}

export async function recordTurnMetrics(
  db: CallRowWriter,
  callId: string,
  m: TurnMetricsEvent,
): Promise<void> {
  await db.write(
    `insert into turn_metrics (call_id, turn, eou_ms, asr_final_ms, dialog_first_token_ms, tts_first_audio_ms,
       voice_to_voice_ms, interrupted, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, utc_timestamp(3))
     on duplicate key update eou_ms = values(eou_ms), asr_final_ms = values(asr_final_ms),
       dialog_first_token_ms = values(dialog_first_token_ms), tts_first_audio_ms = values(tts_first_audio_ms),
       voice_to_voice_ms = values(voice_to_voice_ms), interrupted = values(interrupted)`,
    [
      callId,
      m.turn,
      m.eouMs,
      m.asrFinalMs,
      m.dialogFirstTokenMs,
      m.ttsFirstAudioMs,
      m.voiceToVoiceMs,
      m.interrupted,
    ],
  );
}

export async function recordStageFailure(
  db: CallRowWriter,
  callId: string,
  f: StageFailedEvent,
): Promise<void> {
  await db.write(
    `insert into stage_failures (call_id, stage, provider, message, recovery, fallback_provider, at_ms, created_at)
     values (?, ?, ?, ?, ?, ?, ?, utc_timestamp(3))`,
    [callId, f.stage, f.provider, f.message, f.recovery, f.fallbackProvider ?? null, f.atMs],
  );
}
