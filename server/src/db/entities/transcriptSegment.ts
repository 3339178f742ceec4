import { EntitySchema } from '@mikro-orm/core';
import type { Speaker } from '@voiceroom/protocol';
import { type Call, CallEntity } from './call.ts';

/**
 * One final utterance, stored as it happens (already redacted when the call's agent asks for it). When redaction
 * changed the text, `extractionText` keeps the original words for post-call extraction only: the extraction job
 * clears it when it reaches a final state, and it is never loaded by default nor serialised.
 */
export interface TranscriptSegment {
  id: number;
  call: Call;
  segmentId: string;
  speaker: Speaker;
  text: string;
  startMs: number;
  endMs: number;
  interrupted: boolean;
  redacted: boolean;
  extractionText: string | null;
  createdAt: Date;
}

export const TranscriptSegmentEntity = new EntitySchema<TranscriptSegment>({
  name: 'TranscriptSegment',
  tableName: 'transcript_segments',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    call: { kind: 'm:1', entity: () => CallEntity, deleteRule: 'cascade' },
    segmentId: { type: 'string', length: 64 },
    speaker: { type: 'string', length: 16 },
    text: { type: 'text' },
    startMs: { type: 'integer' },
    endMs: { type: 'integer' },
    interrupted: { type: 'boolean', default: false },
    redacted: { type: 'boolean', default: false },
    extractionText: { type: 'text', nullable: true, lazy: true, hidden: true },
    createdAt: { type: 'datetime', length: 3, onCreate: () => new Date() },
  },
  uniques: [{ properties: ['call', 'segmentId'] }],
});
