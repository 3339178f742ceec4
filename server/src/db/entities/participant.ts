import { EntitySchema } from '@mikro-orm/core';
import { type Call, CallEntity } from './call.ts';

export interface Participant {
  id: number;
  call: Call;
  peerId: string;
  identity: string;
  displayName: string;
  role: string;
  joinedAt: Date;
  leftAt: Date | null;
  leftReason: string | null;
}

export const ParticipantEntity = new EntitySchema<Participant>({
  name: 'Participant',
  tableName: 'participants',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    call: { kind: 'm:1', entity: () => CallEntity, deleteRule: 'cascade' },
    peerId: { type: 'string', length: 64 },
    identity: { type: 'string', length: 128 },
    displayName: { type: 'string', length: 120 },
    role: { type: 'string', length: 32 },
    joinedAt: { type: 'datetime', length: 3 },
    leftAt: { type: 'datetime', length: 3, nullable: true },
    leftReason: { type: 'string', length: 200, nullable: true },
  },
  uniques: [{ properties: ['call', 'peerId'] }],
});
