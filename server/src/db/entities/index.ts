import { AgentConfigEntity } from './agentConfig.ts';
import { AuditEventEntity } from './auditEvent.ts';
import { CallEntity } from './call.ts';
import { CustomerEntity } from './customer.ts';
import { ExtractionJobEntity } from './extractionJob.ts';
import { OrderEntity } from './order.ts';
import { OrderItemEntity } from './orderItem.ts';
import { ParticipantEntity } from './participant.ts';
import { RefreshTokenEntity } from './RefreshToken.ts';
import { StageFailureEntity } from './stageFailure.ts';
import { TranscriptSegmentEntity } from './transcriptSegment.ts';
import { TurnMetricEntity } from './turnMetric.ts';
import { UserEntity } from './User.ts';

export type { AgentConfigRecord } from './agentConfig.ts';
export { AgentConfigEntity } from './agentConfig.ts';
export type { AuditEvent } from './auditEvent.ts';
export { AuditEventEntity } from './auditEvent.ts';
export type { Call, CallOutcome, CallStatus } from './call.ts';
export { CallEntity } from './call.ts';
export type { Customer } from './customer.ts';
export { CustomerEntity } from './customer.ts';
export type { ExtractionJob, ExtractionJobStatus, ReviewStatus } from './extractionJob.ts';
export { ExtractionJobEntity } from './extractionJob.ts';
export type { Order } from './order.ts';
export { OrderEntity } from './order.ts';
export type { OrderItem } from './orderItem.ts';
export { OrderItemEntity } from './orderItem.ts';
export type { Participant } from './participant.ts';
export { ParticipantEntity } from './participant.ts';
export type { RefreshToken } from './RefreshToken.ts';
export { RefreshTokenEntity } from './RefreshToken.ts';
export type { StageFailure } from './stageFailure.ts';
export { StageFailureEntity } from './stageFailure.ts';
export type { TranscriptSegment } from './transcriptSegment.ts';
export { TranscriptSegmentEntity } from './transcriptSegment.ts';
export type { TurnMetric } from './turnMetric.ts';
export { TurnMetricEntity } from './turnMetric.ts';
export type { User } from './User.ts';
export { UserEntity } from './User.ts';

/** Every entity the ORM knows; add new entity schemas here. */
export const ALL_ENTITIES = [
  AgentConfigEntity,
  AuditEventEntity,
  CallEntity,
  CustomerEntity,
  ExtractionJobEntity,
  OrderEntity,
  OrderItemEntity,
  ParticipantEntity,
  RefreshTokenEntity,
  StageFailureEntity,
  TranscriptSegmentEntity,
  TurnMetricEntity,
  UserEntity,
];
