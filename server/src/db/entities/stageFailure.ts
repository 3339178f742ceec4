import { EntitySchema } from '@mikro-orm/core';
import { type Call, CallEntity } from './call.ts';

/** A stage of the agent's pipeline that failed during a call (see `StageFailedEventSchema`). */
export interface StageFailure {
  id: number;
  call: Call;
  stage: string;
  provider: string;
  message: string;
  recovery: string;
  fallbackProvider: string | null;
  /** Milliseconds since the call started. */
  atMs: number;
  createdAt: Date;
}

export const StageFailureEntity = new EntitySchema<StageFailure>({
  name: 'StageFailure',
  tableName: 'stage_failures',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    call: { kind: 'm:1', entity: () => CallEntity, deleteRule: 'cascade' },
    stage: { type: 'string', length: 16 },
    provider: { type: 'string', length: 64 },
    message: { type: 'string', length: 500 },
    recovery: { type: 'string', length: 16 },
    fallbackProvider: { type: 'string', length: 64, nullable: true },
    atMs: { type: 'integer' },
    createdAt: { type: 'datetime', length: 3, onCreate: () => new Date() },
  },
});
