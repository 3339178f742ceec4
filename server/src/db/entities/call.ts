import { EntitySchema } from '@mikro-orm/core';

export type CallStatus = 'active' | 'ended';
/** How the call ended, as far as the server can tell. */
export type CallOutcome = 'completed' | 'abandoned' | 'failed';

export interface Call {
  id: string;
  roomId: string;
  /** Plain id, not a foreign key: deleting an agent configuration keeps the calls it handled. */
  agentId: string | null;
  displayName: string;
  status: CallStatus;
  outcome: CallOutcome | null;
  endReason: string | null;
  /** Copied from the agent configuration when the call starts, so later edits do not change a running call. */
  redactPii: boolean;
  startedAt: Date;
  endedAt: Date | null;
}

export const CallEntity = new EntitySchema<Call>({
  name: 'Call',
  tableName: 'calls',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    roomId: { type: 'string', length: 128, unique: true },
    agentId: { type: 'string', length: 64, nullable: true, index: true },
    displayName: { type: 'string', length: 120 },
    status: { type: 'string', length: 16, index: true },
    outcome: { type: 'string', length: 16, nullable: true },
    endReason: { type: 'string', length: 200, nullable: true },
    redactPii: { type: 'boolean' },
    startedAt: { type: 'datetime', length: 3, index: true },
    endedAt: { type: 'datetime', length: 3, nullable: true },
  },
});
