import { EntitySchema } from '@mikro-orm/core';

/** Who did what to which record, e.g. a supervisor correcting an extracted order or a co-pilot taking over. */
export interface AuditEvent {
  id: number;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  targetType: string;
  targetId: string;
  details: Record<string, unknown> | null;
  createdAt: Date;
}

export const AuditEventEntity = new EntitySchema<AuditEvent>({
  name: 'AuditEvent',
  tableName: 'audit_events',
  properties: {
    id: { type: 'integer', primary: true, autoincrement: true },
    actorId: { type: 'string', length: 64, nullable: true },
    actorRole: { type: 'string', length: 32, nullable: true },
    action: { type: 'string', length: 64 },
    targetType: { type: 'string', length: 32 },
    targetId: { type: 'string', length: 64 },
    details: { type: 'json', nullable: true },
    createdAt: { type: 'datetime', length: 3, onCreate: () => new Date() },
  },
  indexes: [{ properties: ['targetType', 'targetId'] }, { properties: ['createdAt'] }],
});
