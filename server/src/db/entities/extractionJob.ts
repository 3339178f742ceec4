import { EntitySchema } from '@mikro-orm/core';
import type { ExtractionResult, ExtractionSource } from '../../extraction/schema.ts';
import { type Call, CallEntity } from './call.ts';

/** pending -> running -> succeeded | failed; a running job whose lease expired is pending again in effect. */
export type ExtractionJobStatus = 'pending' | 'running' | 'succeeded' | 'failed';
export type ReviewStatus = 'unreviewed' | 'approved' | 'corrected';

/** A durable post-call extraction job. The queue claims rows with a lease so a crashed worker's job is retried. */
export interface ExtractionJob {
  id: number;
  call: Call;
  status: ExtractionJobStatus;
  attempts: number;
  maxAttempts: number;
  /** Not picked up before this time (backoff). */
  runAfter: Date;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  lastError: string | null;
  source: ExtractionSource | null;
  result: ExtractionResult | null;
  confidence: number | null;
  reviewStatus: ReviewStatus;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
}

export const ExtractionJobEntity = new EntitySchema<ExtractionJob>({
  name: 'ExtractionJob',
  tableName: 'extraction_jobs',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    call: { kind: 'm:1', entity: () => CallEntity, deleteRule: 'cascade', unique: true },
    status: { type: 'string', length: 16 },
    attempts: { type: 'integer', default: 0 },
    maxAttempts: { type: 'integer' },
    runAfter: { type: 'datetime', length: 3 },
    leaseOwner: { type: 'string', length: 64, nullable: true },
    leaseExpiresAt: { type: 'datetime', length: 3, nullable: true },
    lastError: { type: 'text', nullable: true },
    source: { type: 'string', length: 16, nullable: true },
    result: { type: 'json', nullable: true },
    confidence: { type: 'double', nullable: true },
    reviewStatus: { type: 'string', length: 16, default: 'unreviewed' },
    reviewedBy: { type: 'string', length: 64, nullable: true },
    reviewedAt: { type: 'datetime', length: 3, nullable: true },
    createdAt: { type: 'datetime', length: 3, onCreate: () => new Date() },
    updatedAt: { type: 'datetime', length: 3, onCreate: () => new Date(), onUpdate: () => new Date() },
    completedAt: { type: 'datetime', length: 3, nullable: true },
  },
  indexes: [{ properties: ['status', 'runAfter'] }],
});
